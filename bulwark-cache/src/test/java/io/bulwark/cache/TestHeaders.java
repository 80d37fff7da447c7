package io.bulwark.cache;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A {@link HeaderSource} over name/value pairs, case-insensitive like the edge's headers. */
final class TestHeaders implements HeaderSource {
  private final List<String[]> lines = new ArrayList<>();

  static TestHeaders of(String... namesAndValues) {
    TestHeaders h = new TestHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      h.lines.add(new String[] {namesAndValues[i], namesAndValues[i + 1]});
    }
    return h;
  }

  @Override
  public String get(String lowerCaseName) {
    for (String[] l : lines) {
      if (l[0].equalsIgnoreCase(lowerCaseName)) {
        return l[1];
      }
    }
    return null;
  }

  @Override
  public List<String> getAll(String lowerCaseName) {
    List<String> out = new ArrayList<>();
    for (String[] l : lines) {
      if (l[0].equalsIgnoreCase(lowerCaseName)) {
        out.add(l[1]);
      }
    }
    return out;
  }

  @Override
  public Iterable<String> names() {
    Set<String> names = new LinkedHashSet<>();
    for (String[] l : lines) {
      names.add(l[0]);
    }
    return names;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (String[] l : lines) {
      sb.append(l[0].toLowerCase(Locale.ROOT)).append(": ").append(l[1]).append("; ");
    }
    return sb.toString();
  }
}
