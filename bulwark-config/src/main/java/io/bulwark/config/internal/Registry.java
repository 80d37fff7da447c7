package io.bulwark.config.internal;

import io.bulwark.config.node.ConfigNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of one kind (origins, cache policies...) in file order, and every id that was
 * declared, valid or not. A reference to an id that was declared but refused is not reported again
 * as "unknown": the user already has a problem for it, and one mistake should read as one.
 */
public final class Registry<T> {
  private final String kind;
  private final Map<String, T> values = new LinkedHashMap<>();
  private final Map<String, ConfigNode> declared = new LinkedHashMap<>();

  /**
   * @param kind what an entry is, for messages ("origin", "cache policy")
   */
  public Registry(String kind) {
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }

  /**
   * Reads and declares the {@code id} of the entry read by {@code f}; null (with a problem) when it
   * is missing, malformed or already taken in this registry or in {@code sharing}, which share one
   * namespace with it.
   */
  public String declare(Fields f, Problems problems, Registry<?>... sharing) {
    String id = f.required("id", "give the " + kind + " an id, e.g. 'id: my-" + slug() + "'");
    if (id == null) {
      return null;
    }
    ConfigNode at = f.node().get("id");
    if (!Names.isId(id)) {
      problems.at(
          at,
          "'" + id + "' is not a valid id",
          "use letters, digits, '.', '_' and '-', starting with a letter or digit (at most 128)");
      return null;
    }
    Registry<?> clash = declared.containsKey(id) ? this : null;
    for (Registry<?> other : sharing) {
      if (clash == null && other.declared.containsKey(id)) {
        clash = other;
      }
    }
    if (clash != null) {
      problems.at(
          at,
          "duplicate id '"
              + id
              + "': already used by "
              + clash.kind
              + " at line "
              + clash.declared.get(id).line()
              + (clash == this ? "" : " (origins and origin groups share one set of ids)"),
          "rename one of them");
      return null;
    }
    declared.put(id, at);
    return id;
  }

  private String slug() {
    return kind.replace(' ', '-');
  }

  public void put(String id, T value) {
    values.put(id, value);
  }

  public T get(String id) {
    return values.get(id);
  }

  public boolean isDeclared(String id) {
    return declared.containsKey(id);
  }

  public Map<String, T> values() {
    return values;
  }

  /** Ids of valid entries. */
  public Collection<String> ids() {
    return values.keySet();
  }

  /** Every declared id, valid or not, in file order: what "known ids" lists show. */
  public Collection<String> declaredIds() {
    return declared.keySet();
  }
}
