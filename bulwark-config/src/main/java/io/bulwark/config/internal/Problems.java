package io.bulwark.config.internal;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.config.node.ConfigProblem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every problem found in one file, collected rather than thrown so that a user sees them all in one
 * pass. Reported in file order.
 */
public final class Problems {
  private final List<ConfigProblem> list = new ArrayList<>();

  /** A problem located at {@code node}. */
  public void at(ConfigNode node, String message, String fix) {
    list.add(node.problem(message, fix));
  }

  /** A required key is absent from {@code parent}: located at the parent, named by the key. */
  public void missing(ConfigNode parent, String key, String fix) {
    list.add(
        new ConfigProblem(
            parent.file(),
            parent.line(),
            childPath(parent, key),
            "'" + key + "' is required",
            fix));
  }

  public void add(ConfigProblem problem) {
    list.add(problem);
  }

  public int count() {
    return list.size();
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  /** Throws every problem, in file order, if there is any. */
  public void throwIfAny() throws ConfigException {
    if (!list.isEmpty()) {
      List<ConfigProblem> sorted = new ArrayList<>(list);
      sorted.sort(Comparator.comparingInt(ConfigProblem::line));
      throw new ConfigException(sorted);
    }
  }

  static String childPath(ConfigNode parent, String key) {
    return parent.path().isEmpty() ? key : parent.path() + "." + key;
  }
}
