package io.bulwark.waf;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The part of an HTTP request a web ACL inspects, with no transport type in it (the edge adapts its
 * Netty request into this; tests build it directly).
 *
 * <p>Text is kept as the edge received it: the URI path and query string are raw (still
 * percent-encoded), header values are the bytes on the wire read as ISO-8859-1. Rules decode with
 * text transformations, exactly as AWS WAF rules do, so an encoded attack is only seen decoded by a
 * rule that asks for it.
 *
 * <p>The body holds at most the inspection limit; {@link #bodyOversize()} says the request body was
 * larger than what is here, which drives each rule's oversize handling (CONTINUE, MATCH, NO_MATCH).
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

  private final String method;
  private final String uriPath;
  private final String rawQuery;
  private final List<Header> headers;
  private final List<Cookie> cookies;
  private final byte[] body;
  private final boolean bodyOversize;
  private final InetAddress clientIp;

  private WafRequest(Builder b) {
    this.method = Objects.requireNonNull(b.method, "method");
    this.uriPath = Objects.requireNonNull(b.uriPath, "uriPath");
    this.rawQuery = b.rawQuery == null ? "" : b.rawQuery;
    this.headers = List.copyOf(b.headers);
    this.cookies = b.cookies != null ? List.copyOf(b.cookies) : parseCookies(this.headers);
    this.body = b.body == null ? new byte[0] : b.body;
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
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return h.value();
      }
    }
    return null;
  }

  public List<Cookie> cookies() {
    return cookies;
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
    List<Cookie> out = new ArrayList<>();
    for (Header h : headers) {
      if (!h.name().toLowerCase(Locale.ROOT).equals("cookie")) {
        continue;
      }
      for (String part : h.value().split(";")) {
        String p = part.strip();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        if (eq < 0) {
          out.add(new Cookie(p, ""));
        } else {
          out.add(new Cookie(p.substring(0, eq).strip(), p.substring(eq + 1).strip()));
        }
      }
    }
    return out;
  }

  /** Builds a request view; cookies default to those parsed from the Cookie headers. */
  public static final class Builder {
    private String method = "GET";
    private String uriPath = "/";
    private String rawQuery = "";
    private final List<Header> headers = new ArrayList<>();
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

    public Builder header(String name, String value) {
      headers.add(new Header(name, value));
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
