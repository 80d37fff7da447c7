package io.bulwark.config;

/**
 * A CloudFront path pattern: {@code *} matches any run of characters (including "/"), {@code ?}
 * exactly one, everything else literally and case-sensitively. The pattern always matches the whole
 * path; a pattern without a leading "/" is treated as if it had one, as CloudFront does. Compiled
 * once at load; {@link #matches} is allocation-free.
 */
public final class PathPattern {
  private final String pattern;
  private final char[] p;

  private PathPattern(String pattern) {
    this.pattern = pattern;
    this.p = pattern.toCharArray();
  }

  /** Compiles a pattern; the caller has validated its length and characters. */
  public static PathPattern compile(String pattern) {
    String normalized =
        pattern.startsWith("/") || pattern.startsWith("*") ? pattern : "/" + pattern;
    return new PathPattern(normalized);
  }

  public String pattern() {
    return pattern;
  }

  /**
   * Whether {@code path} (without query string) matches. Greedy-with-backtrack wildcard matching:
   * linear in practice, O(n*m) worst case, with no recursion and no regex.
   */
  public boolean matches(CharSequence path) {
    return wildcardMatch(p, path, true);
  }

  /**
   * Whole-string wildcard match, shared by path patterns and invalidation paths: {@code *} matches
   * any run of characters ("/" included); {@code ?} matches exactly one when {@code
   * questionMarkIsWildcard}, else itself. Greedy with one backtrack point: no recursion, no regex,
   * O(n*m) in the worst case and linear in practice.
   */
  public static boolean wildcardMatch(
      char[] pattern, CharSequence text, boolean questionMarkIsWildcard) {
    char[] p = pattern;
    int n = text.length();
    int pi = 0;
    int si = 0;
    int star = -1;
    int mark = 0;
    while (si < n) {
      if (pi < p.length
          && p[pi] != '*'
          && ((questionMarkIsWildcard && p[pi] == '?') || p[pi] == text.charAt(si))) {
        pi++;
        si++;
      } else if (pi < p.length && p[pi] == '*') {
        star = pi++;
        mark = si;
      } else if (star >= 0) {
        pi = star + 1;
        si = ++mark;
      } else {
        return false;
      }
    }
    while (pi < p.length && p[pi] == '*') {
      pi++;
    }
    return pi == p.length;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
