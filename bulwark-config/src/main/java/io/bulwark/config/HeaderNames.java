package io.bulwark.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rules for header names the edge adds to origin requests: an origin's custom headers, and the
 * header that carries a web ACL's labels (bulwark-waf's {@code forward-labels}). Both are set by
 * the edge after removing any copy the viewer sent, so both must be syntactically valid and must
 * not be a header the edge already owns.
 */
public final class HeaderNames {
  /** RFC 9110 section 5.6.2 tchar, the characters of a header field name. */
  private static final String TCHAR = "!#$%&'*+-.^_`|~";

  /**
   * Header names the edge may not add to an origin request. CloudFront refuses the same list (its
   * "custom headers that CloudFront can't add to origin requests"), for two reasons: hop-by-hop and
   * framing headers (Connection, Content-Length, Transfer-Encoding, TE, Trailer, Upgrade,
   * Keep-Alive, Expect) are the proxy's own and a second value is a request-smuggling vector; and
   * headers the edge itself computes (Host, Via, X-Forwarded-For, conditionals, Range, X-Cache)
   * would silently override what the request path decided. Lower-cased.
   */
  static final Set<String> EDGE_OWNED =
      Set.of(
          "cache-control",
          "connection",
          "content-length",
          "cookie",
          "expect",
          "host",
          "if-match",
          "if-modified-since",
          "if-none-match",
          "if-range",
          "if-unmodified-since",
          "keep-alive",
          "max-forwards",
          "pragma",
          "range",
          "request-range",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "via",
          "x-cache",
          "x-forwarded-for",
          "x-real-ip");

  /** Prefixes reserved to the proxy (Proxy-*) or to CloudFront and the edge (X-Amz-*, X-Edge-*). */
  static final List<String> EDGE_OWNED_PREFIXES = List.of("proxy-", "x-amz-", "x-amzn-", "x-edge-");

  private HeaderNames() {}

  /** A header field name (RFC 9110 token). */
  public static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || TCHAR.indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why the edge may not add a header named {@code name} to origin requests, or null when it may.
   *
   * @param name a valid header name
   */
  public static String edgeOwnedReason(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String prefix : EDGE_OWNED_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return prefix.equals("proxy-")
            ? "Proxy-* headers belong to the hop between the edge and a proxy"
            : "headers starting with '" + prefix + "' are reserved to the edge (as in CloudFront)";
      }
    }
    if (!EDGE_OWNED.contains(lower)) {
      return null;
    }
    return switch (lower) {
      case "connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade", "expect" ->
          "it is a hop-by-hop header the edge manages per connection; a second value would let"
              + " one request be read as two (request smuggling)";
      case "content-length" ->
          "the edge frames the body itself; a conflicting Content-Length is a request-smuggling"
              + " vector";
      case "host" -> "the edge sets Host from the origin (or forwards the viewer's, per policy)";
      case "via", "x-forwarded-for", "x-real-ip", "max-forwards", "x-cache" ->
          "the edge computes it for every request";
      case "cookie", "cache-control", "pragma" ->
          "it comes from the viewer request and the origin request policy decides what is"
              + " forwarded";
      default -> "conditional and range headers are the cache's own, set per request";
    };
  }
}
