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

  /** Whole-path wildcard match ({@code *} only: a query was stripped at compile). */
  public boolean matches(String path) {
    return io.bulwark.config.PathPattern.wildcardMatch(p, path, false);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
