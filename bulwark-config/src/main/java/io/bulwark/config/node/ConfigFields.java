package io.bulwark.config.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed fields from a located config tree and collects every problem (file, line, key,
 * message, fix) instead of stopping at the first. Shared by the section parsers of other modules
 * (health checks, DNS), so every section words its problems the same way.
 */
public final class ConfigFields {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");
  private final List<ConfigProblem> problems = new ArrayList<>();

  public List<ConfigProblem> problems() {
    return problems;
  }

  public void add(ConfigNode at, String message, String fix) {
    problems.add(at.problem(message, fix));
  }

  public void throwIfAny() throws ConfigException {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Reports keys outside {@code allowed}, suggesting the closest allowed one. */
  public boolean keys(ConfigNode map, Set<String> allowed, String what) {
    if (!map.isMap()) {
      add(
          map,
          what + " must be a map, found " + map.describeKind(),
          "write it as key: value lines");
      return false;
    }
    for (String k : map.keys()) {
      if (!allowed.contains(k)) {
        String near = closest(k, allowed);
        add(
            map.get(k),
            "unknown key '" + k + "' in " + what,
            near != null
                ? "did you mean '" + near + "'?"
                : "use one of " + String.join(", ", allowed));
      }
    }
    return true;
  }

  public String string(ConfigNode map, String key, String def) {
    ConfigNode n = map.get(key);
    if (n == null || n.isNull()) {
      return def;
    }
    if (!n.isScalar()) {
      add(
          n,
          key + " must be a single value, found " + n.describeKind(),
          "write " + key + ": VALUE");
      return def;
    }
    return n.text();
  }

  public String required(ConfigNode map, String key, String fix) {
    String s = string(map, key, null);
    if (s == null || s.isBlank()) {
      if (!map.has(key) || map.get(key).isNull()) {
        add(map, "missing " + key, fix);
      }
      return null;
    }
    return s;
  }

  public int integer(ConfigNode map, String key, int def, int min, int max) {
    String s = string(map, key, null);
    if (s == null) {
      return def;
    }
    try {
      int v = Integer.parseInt(s.trim());
      if (v < min || v > max) {
        add(
            map.get(key),
            key + " must be " + min + "-" + max + ", got " + v,
            "use a value from " + min + " to " + max);
        return def;
      }
      return v;
    } catch (NumberFormatException e) {
      add(
          map.get(key),
          key + " must be a whole number, got '" + s + "'",
          "use a value from " + min + " to " + max);
      return def;
    }
  }

  public double decimal(ConfigNode map, String key, double def, double min, double max) {
    String s = string(map, key, null);
    if (s == null) {
      return def;
    }
    try {
      double v = Double.parseDouble(s.trim());
      if (!(v >= min && v <= max)) {
        add(
            map.get(key),
            key + " must be between " + min + " and " + max + ", got " + s,
            "use a number from " + min + " to " + max);
        return def;
      }
      return v;
    } catch (NumberFormatException e) {
      add(
          map.get(key),
          key + " must be a number, got '" + s + "'",
          "use a number from " + min + " to " + max);
      return def;
    }
  }

  public boolean bool(ConfigNode map, String key, boolean def) {
    String s = string(map, key, null);
    if (s == null) {
      return def;
    }
    switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        add(
            map.get(key),
            key + " must be true or false, got '" + s + "'",
            "write " + key + ": true or " + key + ": false");
        return def;
    }
  }

  /**
   * A duration: a whole number with {@code ms}, {@code s}, {@code m} or {@code h}; a bare number
   * means seconds (Route 53 writes intervals as seconds).
   */
  public Duration duration(ConfigNode map, String key, Duration def) {
    String s = string(map, key, null);
    if (s == null) {
      return def;
    }
    Matcher m = DURATION.matcher(s.trim());
    if (!m.matches()) {
      add(
          map.get(key),
          key + " must be a duration, got '" + s + "'",
          "write e.g. 10s, 500ms or 10 (seconds)");
      return def;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }

  /** A list of scalars; a single scalar is taken as a one-item list. */
  public List<String> strings(ConfigNode map, String key) {
    ConfigNode n = map.get(key);
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (n.isScalar()) {
      out.add(n.text());
      return out;
    }
    if (!n.isList()) {
      add(n, key + " must be a list, found " + n.describeKind(), "write " + key + ": [a, b]");
      return out;
    }
    for (ConfigNode item : n.items()) {
      if (item.isScalar()) {
        out.add(item.text());
      } else {
        add(
            item,
            key + " items must be single values, found " + item.describeKind(),
            "write each item as a plain value");
      }
    }
    return out;
  }

  /** The closest candidate by edit distance, when close enough to be a typo. */
  public static String closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = word.length() <= 3 ? 1 : Math.max(2, word.length() / 3);
    return bestDistance <= allowed ? best : null;
  }

  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
      }
    }
    return d[a.length()][b.length()];
  }
}
