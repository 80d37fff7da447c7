package io.bulwark.config.internal;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Syntax of the names a configuration holds: ids, host names, header names. */
public final class Names {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  /** RFC 9110 section 5.6.2 tchar, the characters of a header field name. */
  private static final String TCHAR = "!#$%&'*+-.^_`|~";

  /**
   * Header names an origin custom header may not set. CloudFront refuses the same list (its "custom
   * headers that CloudFront can't add to origin requests"), for two reasons: hop-by-hop and framing
   * headers (Connection, Content-Length, Transfer-Encoding, TE, Trailer, Upgrade, Keep-Alive,
   * Expect) are the proxy's own and a second value is a request-smuggling vector; and headers the
   * edge itself computes (Host, Via, X-Forwarded-For, conditionals, Range, X-Cache) would silently
   * override what the request path decided. Lower-cased.
   */
  static final Set<String> FORBIDDEN_CUSTOM_HEADERS =
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
  static final List<String> FORBIDDEN_CUSTOM_HEADER_PREFIXES =
      List.of("proxy-", "x-amz-", "x-amzn-", "x-edge-");

  private Names() {}

  /** An id: a letter or digit, then letters, digits, '.', '_' or '-'; at most 128 characters. */
  public static boolean isId(String s) {
    return ID.matcher(s).matches();
  }

  /** A lower-case DNS name or IPv4 address (labels of letters, digits, '-', '_'). */
  public static boolean isHostName(String s) {
    if (s.isEmpty() || s.length() > 253 || s.endsWith(".")) {
      return false;
    }
    for (String label : s.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** An IPv6 literal without brackets (syntax check only: hex digits, ':' and '.'). */
  public static boolean isIpv6(String s) {
    return IPV6.matcher(s).matches() && s.indexOf(':') >= 0;
  }

  /** A header field name (RFC 9110 token). */
  public static boolean isHeaderName(String s) {
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
   * Why an origin custom header may not be named {@code name}, or null when it may.
   *
   * @param name a valid header name
   */
  public static String forbiddenCustomHeaderReason(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (String prefix : FORBIDDEN_CUSTOM_HEADER_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return prefix.equals("proxy-")
            ? "Proxy-* headers belong to the hop between the edge and a proxy"
            : "headers starting with '" + prefix + "' are reserved to the edge (as in CloudFront)";
      }
    }
    if (!FORBIDDEN_CUSTOM_HEADERS.contains(lower)) {
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
