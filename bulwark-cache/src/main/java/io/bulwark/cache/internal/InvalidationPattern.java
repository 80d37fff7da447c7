package io.bulwark.cache.internal;

/**
 * A CloudFront invalidation path: {@code *} matches any run of characters, "/" included ({@code
 * /images/*}, {@code /*}, {@code /a/*.css}); everything else is literal and case-sensitive; a
 * missing leading "/" is added. Matched against the request path without query: a query in the
 * pattern ({@code /a?x=1}) is dropped, so every query, header and cookie variant of the path is
 * invalidated. Invalidating more than asked is safe; less would leave stale objects.
 */
public final class InvalidationPattern {
  private final String pattern;
  private final char[] p;

  private InvalidationPattern(String pattern) {
    this.pattern = pattern;
    this.p = pattern.toCharArray();
  }

  public static InvalidationPattern compile(String pattern) {
    String s = pattern.trim();
    int q = s.indexOf('?');
    if (q >= 0) {
      s = s.substring(0, q);
    }
    if (!s.startsWith("/")) {
      s = "/" + s;
    }
    return new InvalidationPattern(s);
  }

  public String pattern() {
    return pattern;
  }

  /** Whole-path wildcard match, iterative with one backtrack point (no recursion, no regex). */
  public boolean matches(String path) {
    int n = path.length();
    int pi = 0;
    int si = 0;
    int star = -1;
    int mark = 0;
    while (si < n) {
      if (pi < p.length && p[pi] != '*' && p[pi] == path.charAt(si)) {
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
