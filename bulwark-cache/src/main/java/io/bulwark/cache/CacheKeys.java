package io.bulwark.cache;

import io.bulwark.cache.internal.AcceptEncodings;
import io.bulwark.cache.internal.KeyEncoder;
import io.bulwark.config.CachePolicy;
import java.util.List;

/**
 * Builds cache keys from a behavior's {@link CachePolicy}, as CloudFront's cache policy does: the
 * key is the lower-cased host, the path, and whichever query parameters, headers and cookies the
 * policy selects (none, a whitelist, all except a list, or all), plus the viewer's Accept-Encoding
 * normalised to one of {@code br}, {@code gzip} or {@code identity}.
 *
 * <p>This is on the hit path: one {@link StringBuilder}, sized up front, and no other allocation
 * for the usual policies. Everything the key does not contain must not change the response; the
 * edge's origin request policy must therefore forward to the origin only what the key holds (or
 * values the origin does not vary on), or one viewer's response is served to another.
 */
public final class CacheKeys {
  /** The normalised Accept-Encoding token for Brotli. */
  public static final String BR = AcceptEncodings.BR;

  /** The normalised Accept-Encoding token for gzip. */
  public static final String GZIP = AcceptEncodings.GZIP;

  /** The normalised Accept-Encoding token when no compression is keyed. */
  public static final String IDENTITY = AcceptEncodings.IDENTITY;

  private CacheKeys() {}

  /**
   * The key for a request.
   *
   * @param policy the behavior's cache policy
   * @param host the Host (without port, as the distribution matched it); lower-cased here
   * @param path the path in origin form (starts with "/"), without the query, as the edge
   *     normalised it; case-sensitive
   * @param rawQuery the query after "?", undecoded; null or empty for none
   * @param headers the viewer's request headers
   */
  public static CacheKey of(
      CachePolicy policy, String host, String path, String rawQuery, HeaderSource headers) {
    int queryLength = rawQuery == null ? 0 : rawQuery.length();
    StringBuilder sb = new StringBuilder(host.length() + path.length() + queryLength + 48);
    KeyEncoder.appendLowerCase(sb, host);
    sb.append(' ').append(path);
    KeyEncoder.appendQuery(sb, policy.queryStrings(), rawQuery);
    KeyEncoder.appendHeaders(sb, policy.headers(), headers);
    KeyEncoder.appendCookies(sb, policy.cookies(), headers);
    sb.append("\nae ").append(acceptEncodingToken(policy, headers));
    return CacheKey.of(sb.toString());
  }

  /**
   * The secondary key of a response that varies on request fields the primary key does not hold
   * (RFC 9111 4.1): the primary key, then one line per field with its normalised value. The values
   * of several field lines are one list; each comma-separated member is trimmed of surrounding
   * whitespace (RFC 9111 4.1 allows normalising values "in a way that is known to have identical
   * semantics"); the member order is kept. An absent field is distinct from an empty one. The value
   * length prefix means no value can forge another field.
   *
   * @param names lower-cased field names from {@link CacheDecisions#varyNames}
   */
  public static CacheKey withVary(CacheKey primary, List<String> names, HeaderSource request) {
    if (names.isEmpty()) {
      return primary;
    }
    StringBuilder sb = new StringBuilder(primary.value().length() + 32 * names.size());
    sb.append(primary.value()).append("\nvary");
    for (int i = 0, n = names.size(); i < n; i++) {
      String name = names.get(i);
      sb.append("\nv ").append(name);
      List<String> values = request.getAll(name);
      if (values.isEmpty()) {
        sb.append(" absent");
        continue;
      }
      StringBuilder v = new StringBuilder();
      for (String line : values) {
        for (String member : line.split(",")) {
          String m = member.trim();
          if (m.isEmpty()) {
            continue;
          }
          if (v.length() > 0) {
            v.append(", ");
          }
          v.append(m);
        }
      }
      sb.append('=').append(v.length()).append(':').append(v);
    }
    return CacheKey.of(sb.toString());
  }

  /**
   * The viewer's Accept-Encoding normalised for this policy: {@code "br"} when the policy enables
   * Brotli and the viewer accepts br with q &gt; 0, else {@code "gzip"} when the policy enables
   * gzip and the viewer accepts gzip (or x-gzip, or {@code *}), else {@code "identity"}. The edge
   * sends this value to the origin, so the object fetched is the object keyed.
   */
  public static String acceptEncodingToken(CachePolicy policy, HeaderSource headers) {
    if (!policy.gzip() && !policy.brotli()) {
      return IDENTITY;
    }
    return acceptEncodingToken(policy.gzip(), policy.brotli(), headers.getAll("accept-encoding"));
  }

  /** The same normalisation over raw Accept-Encoding values (one per field line). */
  public static String acceptEncodingToken(
      boolean allowGzip, boolean allowBrotli, List<String> acceptEncodingValues) {
    return AcceptEncodings.choose(allowGzip, allowBrotli, acceptEncodingValues);
  }
}
