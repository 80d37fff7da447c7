package io.bulwark.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Parsed Cache-Control directives (RFC 9111 section 5.2), immutable.
 *
 * <p>The parser is tolerant, as a cache in front of arbitrary origins must be: directives are split
 * on commas outside quoted strings, names are case-insensitive (RFC 9111 5.2: "Cache directives are
 * identified by a token, to be compared case-insensitively"), arguments may be tokens or quoted
 * strings (backslash escapes honoured, an unterminated quote runs to the end of the field),
 * whitespace around {@code =} is skipped, empty list elements are ignored, and several field lines
 * are one list (RFC 9110 5.3).
 *
 * <p>Duplicates: the first occurrence is kept. If the same directive appears again with a
 * <em>different</em> argument, it is marked conflicting; RFC 9111 4.2.1 lets a cache either use the
 * first occurrence or consider the response stale, and for the delta-seconds directives ({@code
 * max-age}, {@code s-maxage}) Bulwark takes the safe side: {@link #invalidDeltaSeconds} reports
 * them and the storage decision treats the response as already stale (TTL 0 before the policy
 * clamp). An argument that is not 1*DIGIT is invalid the same way. A quoted number ({@code
 * max-age="60"}) is accepted, as RFC 9111 5.2 asks recipients to be liberal. Values above 2^31 are
 * read as 2^31 (RFC 9111 1.2.2).
 */
public final class CacheControl {
  /** The largest delta-seconds value kept: 2^31 (RFC 9111 1.2.2). */
  public static final long DELTA_SECONDS_MAX = 2_147_483_648L;

  /** No directives. */
  public static final CacheControl EMPTY =
      new CacheControl(new String[0], new String[0], new boolean[0]);

  private final String[] names;
  private final String[] args;
  private final boolean[] conflicting;

  private CacheControl(String[] names, String[] args, boolean[] conflicting) {
    this.names = names;
    this.args = args;
    this.conflicting = conflicting;
  }

  /** Parses every Cache-Control field value of a message (null or empty values are skipped). */
  public static CacheControl parse(String... fieldValues) {
    return parse(Arrays.asList(fieldValues));
  }

  /** Parses every Cache-Control field value of a message (null or empty values are skipped). */
  public static CacheControl parse(List<String> fieldValues) {
    List<String> names = new ArrayList<>(4);
    List<String> args = new ArrayList<>(4);
    List<Boolean> conflicts = new ArrayList<>(4);
    for (String s : fieldValues) {
      if (s == null) {
        continue;
      }
      int i = 0;
      int n = s.length();
      while (i < n) {
        while (i < n && (s.charAt(i) == ',' || isOws(s.charAt(i)))) {
          i++;
        }
        int nameStart = i;
        while (i < n && s.charAt(i) != '=' && s.charAt(i) != ',') {
          i++;
        }
        String name = s.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
        String arg = null;
        if (i < n && s.charAt(i) == '=') {
          i++;
          while (i < n && isOws(s.charAt(i))) {
            i++;
          }
          if (i < n && s.charAt(i) == '"') {
            StringBuilder q = new StringBuilder();
            i++;
            while (i < n && s.charAt(i) != '"') {
              char c = s.charAt(i);
              if (c == '\\' && i + 1 < n) {
                c = s.charAt(++i);
              }
              q.append(c);
              i++;
            }
            arg = q.toString();
            while (i < n && s.charAt(i) != ',') {
              i++; // skip the closing quote and anything after it up to the next element
            }
          } else {
            int argStart = i;
            while (i < n && s.charAt(i) != ',') {
              i++;
            }
            arg = s.substring(argStart, i).trim();
          }
        }
        if (name.isEmpty()) {
          continue;
        }
        int seen = names.indexOf(name);
        if (seen < 0) {
          names.add(name);
          args.add(arg);
          conflicts.add(false);
        } else if (!Objects.equals(args.get(seen), arg)) {
          conflicts.set(seen, true);
        }
      }
    }
    if (names.isEmpty()) {
      return EMPTY;
    }
    boolean[] c = new boolean[conflicts.size()];
    for (int k = 0; k < c.length; k++) {
      c[k] = conflicts.get(k);
    }
    return new CacheControl(names.toArray(new String[0]), args.toArray(new String[0]), c);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  private int indexOf(String directive) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(directive)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the directive (lower-case name) is present, with or without an argument. */
  public boolean has(String directive) {
    return indexOf(directive) >= 0;
  }

  /** The first occurrence's argument, unquoted; null when absent or given without one. */
  public String argument(String directive) {
    int i = indexOf(directive);
    return i < 0 ? null : args[i];
  }

  /**
   * The directive's delta-seconds argument, when it is present, valid and not contradicted by a
   * duplicate; empty otherwise (see {@link #invalidDeltaSeconds} to tell absent from invalid).
   */
  public OptionalLong deltaSeconds(String directive) {
    int i = indexOf(directive);
    if (i < 0 || conflicting[i]) {
      return OptionalLong.empty();
    }
    long v = parseDeltaSeconds(args[i]);
    return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /**
   * True when the directive is present but unusable as delta-seconds: no argument, not 1*DIGIT
   * (optionally quoted), or duplicated with a different argument. RFC 9111 4.2.1 permits treating
   * such a response as stale, which Bulwark does.
   */
  public boolean invalidDeltaSeconds(String directive) {
    int i = indexOf(directive);
    return i >= 0 && (conflicting[i] || parseDeltaSeconds(args[i]) < 0);
  }

  /**
   * Field names listed in a qualified {@code no-cache="a, b"} or {@code private="a"} (RFC 9111
   * 5.2.2.4, 5.2.2.7), lower-cased; empty when unqualified or absent.
   */
  public List<String> fieldNames(String directive) {
    String arg = argument(directive);
    if (arg == null || arg.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String part : arg.split(",")) {
      String t = part.trim();
      if (!t.isEmpty()) {
        out.add(t.toLowerCase(Locale.ROOT));
      }
    }
    return List.copyOf(out);
  }

  /** Whether no directive was given. */
  public boolean isEmpty() {
    return names.length == 0;
  }

  public boolean noStore() {
    return has("no-store");
  }

  public boolean noCache() {
    return has("no-cache");
  }

  public boolean isPrivate() {
    return has("private");
  }

  public boolean isPublic() {
    return has("public");
  }

  public boolean mustRevalidate() {
    return has("must-revalidate");
  }

  public boolean proxyRevalidate() {
    return has("proxy-revalidate");
  }

  public OptionalLong maxAge() {
    return deltaSeconds("max-age");
  }

  public OptionalLong sMaxAge() {
    return deltaSeconds("s-maxage");
  }

  /** 1*DIGIT (quotes already removed), capped at 2^31; -1 when not a valid delta-seconds. */
  static long parseDeltaSeconds(String arg) {
    if (arg == null || arg.isEmpty()) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      if (v < DELTA_SECONDS_MAX) {
        v = v * 10 + (c - '0');
      }
    }
    return Math.min(v, DELTA_SECONDS_MAX);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]);
      if (args[i] != null) {
        sb.append("=\"").append(args[i]).append('"');
      }
      if (conflicting[i]) {
        sb.append(" (conflicting duplicate)");
      }
    }
    return sb.toString();
  }
}
