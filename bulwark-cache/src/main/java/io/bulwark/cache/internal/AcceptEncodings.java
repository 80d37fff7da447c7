package io.bulwark.cache.internal;

import java.util.List;

/**
 * Normalises a viewer's Accept-Encoding to the one coding the cache keys on: {@code br}, {@code
 * gzip} or {@code identity} (the CloudFront model: the key holds the normalised value, never the
 * raw header, so "gzip, deflate, br" and "br;q=1, gzip" share one object).
 *
 * <p>Rules (RFC 9110 12.5.3): codings compare case-insensitively; {@code x-gzip} is {@code gzip}
 * (RFC 9110 8.4.1.3); a coding is acceptable when listed with q &gt; 0; {@code *} makes every
 * coding not listed explicitly acceptable at its q; the first listing of a coding wins. A malformed
 * q value counts as q=0: sending a compressed body to a viewer that cannot decode it breaks the
 * page, sending identity never does. Allocation-free.
 */
public final class AcceptEncodings {
  public static final String BR = "br";
  public static final String GZIP = "gzip";
  public static final String IDENTITY = "identity";

  private static final int ABSENT = -1;
  private static final int REFUSED = 0;
  private static final int ACCEPTED = 1;

  private AcceptEncodings() {}

  /** The coding to key on and serve, given what the policy enables and the header values. */
  public static String choose(boolean allowGzip, boolean allowBrotli, List<String> values) {
    if ((!allowGzip && !allowBrotli) || values == null || values.isEmpty()) {
      return IDENTITY;
    }
    int br = ABSENT;
    int gzip = ABSENT;
    int star = ABSENT;
    for (int v = 0, nv = values.size(); v < nv; v++) {
      String s = values.get(v);
      if (s == null) {
        continue;
      }
      int n = s.length();
      int i = 0;
      while (i < n) {
        while (i < n && (s.charAt(i) == ',' || s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
          i++;
        }
        int start = i;
        while (i < n
            && s.charAt(i) != ','
            && s.charAt(i) != ';'
            && s.charAt(i) != ' '
            && s.charAt(i) != '\t') {
          i++;
        }
        int end = i;
        int q = ACCEPTED;
        // parameters up to the next comma: look for q=
        while (i < n && s.charAt(i) != ',') {
          if (s.charAt(i) == ';') {
            i++;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
              i++;
            }
            if (i + 1 < n && (s.charAt(i) == 'q' || s.charAt(i) == 'Q') && s.charAt(i + 1) == '=') {
              i += 2;
              int qs = i;
              while (i < n && s.charAt(i) != ',' && s.charAt(i) != ';') {
                i++;
              }
              q = qPositive(s, qs, i) ? ACCEPTED : REFUSED;
              continue;
            }
          }
          i++;
        }
        int len = end - start;
        if (len == 0) {
          continue;
        }
        if (br == ABSENT && len == 2 && s.regionMatches(true, start, BR, 0, 2)) {
          br = q;
        } else if (gzip == ABSENT
            && ((len == 4 && s.regionMatches(true, start, GZIP, 0, 4))
                || (len == 6 && s.regionMatches(true, start, "x-gzip", 0, 6)))) {
          gzip = q;
        } else if (star == ABSENT && len == 1 && s.charAt(start) == '*') {
          star = q;
        }
      }
    }
    if (allowBrotli && accepted(br, star)) {
      return BR;
    }
    if (allowGzip && accepted(gzip, star)) {
      return GZIP;
    }
    return IDENTITY;
  }

  private static boolean accepted(int explicit, int star) {
    return explicit == ACCEPTED || (explicit == ABSENT && star == ACCEPTED);
  }

  /** Whether s[from, to) (trimmed) is a well-formed qvalue greater than zero. */
  static boolean qPositive(String s, int from, int to) {
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    if (from == to) {
      return false;
    }
    boolean nonZero = false;
    boolean dot = false;
    int digits = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (dot || digits == 0) {
          return false;
        }
        dot = true;
      } else if (c >= '0' && c <= '9') {
        digits++;
        nonZero |= c != '0';
      } else {
        return false;
      }
    }
    return nonZero;
  }
}
