package io.bulwark.config.node;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable node of a parsed configuration document, located in its file. Maps keep the order of
 * the file. Scalars are kept as text; section parsers convert them and report a {@link
 * ConfigProblem} located at the node when the text is not what they need.
 */
public final class ConfigNode {
  /** The shape of a node. */
  public enum Kind {
    MAP,
    LIST,
    SCALAR,
    NULL
  }

  private final String file;
  private final int line;
  private final int column;
  private final String path;
  private final Kind kind;
  private final Map<String, ConfigNode> map;
  private final List<ConfigNode> list;
  private final String text;

  private ConfigNode(
      String file,
      int line,
      int column,
      String path,
      Kind kind,
      Map<String, ConfigNode> map,
      List<ConfigNode> list,
      String text) {
    this.file = file;
    this.line = line;
    this.column = column;
    this.path = path;
    this.kind = kind;
    this.map = map;
    this.list = list;
    this.text = text;
  }

  static ConfigNode map(
      String file, int line, int column, String path, LinkedHashMap<String, ConfigNode> entries) {
    return new ConfigNode(
        file, line, column, path, Kind.MAP, Collections.unmodifiableMap(entries), List.of(), null);
  }

  static ConfigNode list(String file, int line, int column, String path, List<ConfigNode> items) {
    return new ConfigNode(file, line, column, path, Kind.LIST, Map.of(), List.copyOf(items), null);
  }

  static ConfigNode scalar(String file, int line, int column, String path, String text) {
    return new ConfigNode(file, line, column, path, Kind.SCALAR, Map.of(), List.of(), text);
  }

  static ConfigNode nul(String file, int line, int column, String path) {
    return new ConfigNode(file, line, column, path, Kind.NULL, Map.of(), List.of(), null);
  }

  public String file() {
    return file;
  }

  /** 1-based line of the node's value (for a map entry, the line of its key). */
  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /**
   * The key path from the root, e.g. {@code distributions[0].behaviors[1].path}; "" at the root.
   */
  public String path() {
    return path;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isMap() {
    return kind == Kind.MAP;
  }

  public boolean isList() {
    return kind == Kind.LIST;
  }

  public boolean isScalar() {
    return kind == Kind.SCALAR;
  }

  public boolean isNull() {
    return kind == Kind.NULL;
  }

  /** Keys of a map in file order; empty for other kinds. */
  public Set<String> keys() {
    return map.keySet();
  }

  /** The child under {@code key}, or null when absent (or this is not a map). */
  public ConfigNode get(String key) {
    return map.get(key);
  }

  public boolean has(String key) {
    return map.containsKey(key);
  }

  /** Items of a list; empty for other kinds. */
  public List<ConfigNode> items() {
    return list;
  }

  /** The text of a scalar; null for other kinds. */
  public String text() {
    return text;
  }

  /** A problem located at this node. */
  public ConfigProblem problem(String message, String fix) {
    return new ConfigProblem(file, line, path, message, fix);
  }

  /** A short description of the kind, for messages such as "expected a list, found a map". */
  public String describeKind() {
    return switch (kind) {
      case MAP -> "a map";
      case LIST -> "a list";
      case SCALAR -> "the value '" + text + "'";
      case NULL -> "nothing";
    };
  }

  @Override
  public String toString() {
    return file + ":" + line + " " + path + " (" + kind + ")";
  }
}
