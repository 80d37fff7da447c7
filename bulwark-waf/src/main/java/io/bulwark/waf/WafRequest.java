package io.bulwark.waf;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The part of an HTTP request a web ACL inspects, with no transport type in it (the edge adapts its
 * Netty request into this; tests build it directly).
 *
 * <p>Text is kept as the edge received it: the URI path and query string are raw (still
 * percent-encoded), header values are the bytes on the wire read as ISO-8859-1. Rules decode with
 * text transformations, exactly as AWS WAF rules do, so an encoded attack is only seen decoded by a
 * rule that asks for it. Header names compare case-insensitively everywhere they are inspected, so
 * the edge may pass them lower-cased (as HTTP/2 sends them), which saves the engine lower-casing
 * them again.
 *
 * <p>The body holds at most the inspection limit; {@link #bodyOversize()} says the request body was
 * larger than what is here, which drives each rule's oversize handling (CONTINUE, MATCH, NO_MATCH).
 *
 * <p>Cost: this view is built for every request a web ACL sees, so it copies nothing it does not
 * have to. The builder's header array becomes the request's header list as it is (no copy), and the
 * cookies are parsed from the Cookie headers only when a rule first asks for them, in one pass over
 * each header without {@code split} or {@code strip}.
 */
public final class WafRequest {
  /** One header line, in received order; names compare case-insensitively. */
  public record Header(String name, String value) {
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }

  /** One cookie from a Cookie header, in received order. */
  public record Cookie(String name, String value) {}

  private static final byte[] NO_BODY = new byte[0];

  private final String method;
  private final String uriPath;
  private final String rawQuery;
  private final List<Header> headers;

  /**
   * Parsed on first use. Not volatile: parsing is idempotent and the list is immutable with final
   * fields, so a thread that sees another's list sees it whole, and at worst parses again.
   */
  private List<Cookie> cookies;

  /** Whether the cookies were given apart from the headers ({@link Builder#cookies}). */
  private final boolean cookiesGiven;

  private final byte[] body;
  private final boolean bodyOversize;
  private final InetAddress clientIp;

  private WafRequest(Builder b) {
    this.method = Objects.requireNonNull(b.method, "method");
    this.uriPath = Objects.requireNonNull(b.uriPath, "uriPath");
    this.rawQuery = b.rawQuery == null ? "" : b.rawQuery;
    this.headers = new ArrayView<>(b.headers, b.headerCount);
    b.headersShared = true;
    this.cookies = b.cookies != null ? List.copyOf(b.cookies) : null;
    this.cookiesGiven = b.cookies != null;
    this.body = b.body == null ? NO_BODY : b.body;
    this.bodyOversize = b.bodyOversize;
    this.clientIp = Objects.requireNonNull(b.clientIp, "clientIp");
  }

  public static Builder builder() {
    return new Builder();
  }

  public String method() {
    return method;
  }

  /** The path as received, without the query string, still percent-encoded. */
  public String uriPath() {
    return uriPath;
  }

  /** The query string as received (without the '?'), still percent-encoded; "" when absent. */
  public String rawQuery() {
    return rawQuery;
  }

  public List<Header> headers() {
    return headers;
  }

  /** The first value of a header, or null; the name compares case-insensitively. */
  public String header(String name) {
    for (int i = 0, n = headers.size(); i < n; i++) {
      Header h = headers.get(i);
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  /**
   * The cookies: those given to the builder, or else those of every Cookie header in order (each
   * header split at ';', each part trimmed, then split at its first '='; a part without '=' is a
   * cookie with an empty value; empty parts are skipped).
   */
  public List<Cookie> cookies() {
    List<Cookie> c = cookies;
    if (c == null) {
      c = parseCookies(headers);
      cookies = c;
    }
    return c;
  }

  /**
   * The value of the request's only Cookie header: the string its cookies are parsed from. Empty
   * without one, null when there are several (HTTP/2 may split cookies over several) or when the
   * cookies were given apart from the headers.
   */
  public String cookieHeader() {
    if (cookiesGiven) {
      return null;
    }
    String found = "";
    int n = 0;
    for (int i = 0, hn = headers.size(); i < hn; i++) {
      Header h = headers.get(i);
      if (isCookieHeader(h.name())) {
        found = h.value();
        n++;
      }
    }
    return n <= 1 ? found : null;
  }

  /** The body bytes up to the inspection limit. Do not modify. */
  public byte[] body() {
    return body;
  }

  /** True when the request body is larger than {@link #body()} holds. */
  public boolean bodyOversize() {
    return bodyOversize;
  }

  /** The peer address of the connection (not a forwarded header). */
  public InetAddress clientIp() {
    return clientIp;
  }

  static List<Cookie> parseCookies(List<Header> headers) {
    Cookie[] out = null;
    int n = 0;
    for (int i = 0, hn = headers.size(); i < hn; i++) {
      Header h = headers.get(i);
      if (!isCookieHeader(h.name())) {
        continue;
      }
      String v = h.value();
      int len = v.length();
      for (int start = 0; start < len; ) {
        int end = v.indexOf(';', start);
        if (end < 0) {
          end = len;
        }
        // The part [s, e) with whitespace trimmed as String.strip does (Character.isWhitespace;
        // no whitespace code point lies outside the BMP, so testing chars is the same).
        int s = skipSpace(v, start, end);
        int e = trimSpace(v, s, end);
        if (s < e) {
          int eq = v.indexOf('=', s);
          Cookie c;
          if (eq < 0 || eq >= e) {
            c = new Cookie(v.substring(s, e), "");
          } else {
            c =
                new Cookie(
                    v.substring(s, trimSpace(v, s, eq)), v.substring(skipSpace(v, eq + 1, e), e));
          }
          if (out == null) {
            out = new Cookie[8];
          } else if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = c;
        }
        start = end + 1;
      }
    }
    return n == 0 ? List.of() : new ArrayView<>(out, n);
  }

  private static int skipSpace(String v, int from, int to) {
    while (from < to && Character.isWhitespace(v.charAt(from))) {
      from++;
    }
    return from;
  }

  private static int trimSpace(String v, int from, int to) {
    while (to > from && Character.isWhitespace(v.charAt(to - 1))) {
      to--;
    }
    return to;
  }

  /**
   * {@code name.toLowerCase(Locale.ROOT).equals("cookie")} without the copy. Only ASCII letters and
   * the Kelvin sign (U+212A, which lower-cases to 'k') lower-case into "cookie", one char each, so
   * such a name has 6 chars; {@code equalsIgnoreCase} also admits the Turkish dotted and dotless i,
   * which the exact test then refuses.
   */
  static boolean isCookieHeader(String name) {
    if (name.length() != 6 || !name.equalsIgnoreCase("cookie")) {
      return false;
    }
    for (int i = 0; i < 6; i++) {
      if (name.charAt(i) >= 0x80) {
        return name.toLowerCase(Locale.ROOT).equals("cookie");
      }
    }
    return true;
  }

  /** An unmodifiable list over the first {@code size} elements of an array it never writes. */
  private static final class ArrayView<T> extends AbstractList<T> implements RandomAccess {
    private final T[] items;
    private final int size;

    ArrayView(T[] items, int size) {
      this.items = items;
      this.size = size;
    }

    @Override
    public T get(int index) {
      Objects.checkIndex(index, size);
      return items[index];
    }

    @Override
    public int size() {
      return size;
    }
  }

  /** Builds a request view; cookies default to those parsed from the Cookie headers. */
  public static final class Builder {
    private static final Header[] NO_HEADERS = new Header[0];

    private String method = "GET";
    private String uriPath = "/";
    private String rawQuery = "";
    private Header[] headers = NO_HEADERS;
    private int headerCount;

    /** True once a built request uses {@link #headers}: adding more copies it first. */
    private boolean headersShared;

    private List<Cookie> cookies;
    private byte[] body;
    private boolean bodyOversize;
    private InetAddress clientIp;

    private Builder() {}

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder uriPath(String uriPath) {
      this.uriPath = uriPath;
      return this;
    }

    public Builder rawQuery(String rawQuery) {
      this.rawQuery = rawQuery;
      return this;
    }

    /** Splits a request target such as {@code /a/b?x=1} into path and raw query. */
    public Builder target(String target) {
      int q = target.indexOf('?');
      this.uriPath = q < 0 ? target : target.substring(0, q);
      this.rawQuery = q < 0 ? "" : target.substring(q + 1);
      return this;
    }

    /**
     * Room for {@code n} headers, so that adding them does not grow the array (the edge knows the
     * count); optional.
     */
    public Builder expectHeaders(int n) {
      if (n > headers.length) {
        headers = Arrays.copyOf(headers, n);
        headersShared = false;
      }
      return this;
    }

    public Builder header(String name, String value) {
      Header h = new Header(name, value);
      if (headersShared || headerCount == headers.length) {
        headers = Arrays.copyOf(headers, Math.max(16, headerCount * 2));
        headersShared = false;
      }
      headers[headerCount++] = h;
      return this;
    }

    public Builder cookies(List<Cookie> cookies) {
      this.cookies = cookies;
      return this;
    }

    public Builder body(byte[] body, boolean oversize) {
      this.body = body;
      this.bodyOversize = oversize;
      return this;
    }

    public Builder body(String utf8) {
      return body(utf8.getBytes(StandardCharsets.UTF_8), false);
    }

    public Builder clientIp(InetAddress clientIp) {
      this.clientIp = clientIp;
      return this;
    }

    public WafRequest build() {
      return new WafRequest(this);
    }
  }
}
