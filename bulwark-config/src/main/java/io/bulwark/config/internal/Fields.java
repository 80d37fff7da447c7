package io.bulwark.config.internal;

import io.bulwark.config.HostPort;
import io.bulwark.config.node.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A typed reader over one map of the configuration. Refuses keys it does not know (suggesting the
 * closest known one) and converts values, recording a located problem and returning the default
 * when a value is wrong, so that parsing continues and every problem is found in one pass.
 *
 * <p>A key written with no value ({@code key:}, YAML null) reads as absent, except where a method
 * says otherwise. When the node is not a map at all, one problem is recorded and every read returns
 * its default without further problems, so one mistake is not reported ten times.
 */
public final class Fields {
  private final ConfigNode node;
  private final Problems problems;
  private final boolean valid;

  private Fields(ConfigNode node, Problems problems, boolean valid) {
    this.node = node;
    this.problems = problems;
    this.valid = valid;
  }

  /**
   * Reads {@code node} as a map holding only {@code allowed} keys.
   *
   * @param what what the map is, for messages ("an origin")
   */
  public static Fields of(ConfigNode node, Problems problems, String what, Set<String> allowed) {
    if (!node.isMap()) {
      problems.at(
          node,
          "expected " + what + " (a map of keys), found " + node.describeKind(),
          "write it as indented 'key: value' lines; accepted keys: " + String.join(", ", allowed));
      return new Fields(node, problems, false);
    }
    for (String key : node.keys()) {
      if (!allowed.contains(key)) {
        unknownKey(node.get(key), key, allowed, problems);
      }
    }
    return new Fields(node, problems, true);
  }

  static void unknownKey(ConfigNode at, String key, Set<String> allowed, Problems problems) {
    String guess = Suggest.closest(key, allowed);
    problems.at(
        at,
        "unknown key '" + key + "'",
        guess != null
            ? "did you mean '" + guess + "'?"
            : "remove it; the keys accepted here are: " + String.join(", ", allowed));
  }

  public ConfigNode node() {
    return node;
  }

  public boolean valid() {
    return valid;
  }

  public Problems problems() {
    return problems;
  }

  /** The value under {@code key}, null when absent or written with no value. */
  public ConfigNode get(String key) {
    ConfigNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  public boolean has(String key) {
    return get(key) != null;
  }

  /** The scalar under {@code key} as text, or {@code def} (a problem if it is not a scalar). */
  public String string(String key, String def) {
    ConfigNode v = get(key);
    if (v == null) {
      return def;
    }
    if (!v.isScalar()) {
      problems.at(v, "expected a single value, found " + v.describeKind(), "write one value");
      return def;
    }
    return v.text();
  }

  /** A required scalar; null (with a problem) when absent. */
  public String required(String key, String fix) {
    if (!valid) {
      return null;
    }
    if (get(key) == null) {
      problems.missing(node, key, fix);
      return null;
    }
    return string(key, null);
  }

  public boolean bool(String key, boolean def) {
    String text = string(key, null);
    if (text == null) {
      return def;
    }
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    if (text.equalsIgnoreCase("false")) {
      return false;
    }
    problems.at(
        node.get(key), "expected true or false, found '" + text + "'", "write true or false");
    return def;
  }

  /** A whole number in [min, max]. */
  public int integer(String key, int def, int min, int max) {
    String text = string(key, null);
    if (text == null) {
      return def;
    }
    int n;
    try {
      n = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      problems.at(
          node.get(key),
          "expected a whole number, found '" + text + "'",
          "write a number from " + min + " to " + max);
      return def;
    }
    if (n < min || n > max) {
      problems.at(
          node.get(key),
          key + " must be from " + min + " to " + max + ", found " + n,
          "write a number from " + min + " to " + max);
      return def;
    }
    return n;
  }

  /** A duration in [min, max]. */
  public Duration duration(String key, Duration def, Duration min, Duration max) {
    String text = string(key, null);
    if (text == null) {
      return def;
    }
    Duration d = Units.parseDuration(text);
    if (d == null) {
      problems.at(
          node.get(key), "'" + text + "' is not a duration", "write " + Units.DURATION_FORMS);
      return def;
    }
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      String range = Units.formatDuration(min) + " to " + Units.formatDuration(max);
      problems.at(
          node.get(key),
          key + " must be from " + range + ", found " + Units.formatDuration(d),
          "write a duration from " + range);
      return def;
    }
    return d;
  }

  /** A byte size in [min, max]. */
  public long size(String key, long def, long min, long max) {
    String text = string(key, null);
    if (text == null) {
      return def;
    }
    long n = Units.parseSize(text);
    if (n < 0) {
      problems.at(node.get(key), "'" + text + "' is not a size", "write " + Units.SIZE_FORMS);
      return def;
    }
    if (n < min || n > max) {
      String range = Units.formatSize(min) + " to " + Units.formatSize(max);
      problems.at(
          node.get(key),
          key + " must be from " + range + ", found " + Units.formatSize(n),
          "write a size from " + range);
      return def;
    }
    return n;
  }

  /**
   * A listen or connect address. Absent gives {@code absent}; written with no value gives null
   * ("none"), so that a default listener can be switched off with {@code key:}.
   */
  public HostPort hostPort(String key, HostPort absent) {
    ConfigNode v = node.get(key);
    if (v == null) {
      return absent;
    }
    if (v.isNull()) {
      return null;
    }
    String text = string(key, null);
    if (text == null) {
      return absent;
    }
    HostPort hp = parseHostPort(text.trim());
    if (hp == null) {
      problems.at(
          v,
          "'" + text + "' is not an address",
          "write host:port, e.g. 127.0.0.1:8080 or [::1]:8080 (port 0 picks a free port)");
      return absent;
    }
    return hp;
  }

  /** "host:port" or "[v6]:port", port 0-65535; null when malformed. */
  public static HostPort parseHostPort(String text) {
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        return null;
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
      if (!Names.isIpv6(host)) {
        return null;
      }
    } else {
      int colon = text.lastIndexOf(':');
      if (colon <= 0 || text.indexOf(':') != colon) {
        return null;
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
      if (!Names.isHostName(host.toLowerCase(Locale.ROOT))) {
        return null;
      }
    }
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
      return null;
    }
    int p = Integer.parseInt(port);
    return p > 65535 ? null : new HostPort(host, p);
  }

  /** One of {@code choices} (keys as written in the file), or {@code def}. */
  public <E> E choice(String key, E def, Map<String, E> choices) {
    String text = string(key, null);
    if (text == null) {
      return def;
    }
    E e = choices.get(text.trim());
    if (e == null) {
      String guess = Suggest.closest(text.trim(), choices.keySet());
      problems.at(
          node.get(key),
          "'" + text + "' is not one of: " + String.join(", ", choices.keySet()),
          guess != null ? "did you mean '" + guess + "'?" : "write one of them");
      return def;
    }
    return e;
  }

  /** The items of the list under {@code key}; empty when absent (a problem if not a list). */
  public List<ConfigNode> list(String key) {
    ConfigNode v = get(key);
    if (v == null) {
      return List.of();
    }
    if (!v.isList()) {
      problems.at(
          v,
          "expected a list, found " + v.describeKind(),
          "write a list: [a, b] or one '- item' per line");
      return List.of();
    }
    return v.items();
  }

  /** The scalar items of the list under {@code key}; non-scalar items are problems and skipped. */
  public List<ConfigNode> scalarList(String key) {
    List<ConfigNode> out = new ArrayList<>();
    for (ConfigNode item : list(key)) {
      if (item.isScalar()) {
        out.add(item);
      } else {
        problems.at(
            item, "expected a single value, found " + item.describeKind(), "write one value");
      }
    }
    return out;
  }
}
