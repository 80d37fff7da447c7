package io.bulwark.edge.internal;

import io.bulwark.cache.ResponseHeaders;
import io.bulwark.cache.Validation;
import io.bulwark.config.Behavior;
import io.bulwark.config.CachePolicy;
import io.bulwark.config.KeyFields;
import io.bulwark.config.OriginRequestPolicy;
import io.bulwark.config.OriginSpec;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the request sent to an origin from the viewer's request, CloudFront's way: only what the
 * cache key and the origin request policy name is forwarded; hop-by-hop headers never are; the
 * origin's custom headers (the shared secret of seed 002 section 5) are added after any copy the
 * viewer sent is removed, so a viewer can neither spoof nor learn them. The web ACL's label header
 * ({@code forward-labels}) is handled the same way.
 */
final class OriginRequests {
  /** Hop-by-hop headers (RFC 9110 7.6.1) and others the edge itself owns. */
  static final Set<String> NEVER_FORWARDED =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "content-length",
          "host",
          "expect",
          "x-forwarded-for",
          "via");

  /**
   * The viewer's preconditions. A cache fill drops them: the fill must fetch the whole object for
   * every viewer, not this viewer's 304 or 412 (the viewer's own conditional is answered from the
   * stored object, RFC 9111 4.3.2).
   */
  static final Set<String> VIEWER_PRECONDITIONS =
      Set.of("if-none-match", "if-modified-since", "if-match", "if-unmodified-since", "if-range");

  private OriginRequests() {}

  /**
   * A request that is not a cache fill: the viewer's preconditions go through as the policy says.
   */
  static FullHttpRequest build(
      Exchange ex,
      OriginSpec origin,
      boolean originTls,
      int originPort,
      String acceptEncoding,
      ByteBuf body) {
    return build(ex, origin, originTls, originPort, acceptEncoding, body, false, null, false);
  }

  /**
   * The origin request.
   *
   * @param fill true for a cache fill: the viewer's preconditions are not forwarded
   * @param revalidate the stale stored headers whose validators make this a conditional request
   *     (If-None-Match from its ETag, If-Modified-Since from its Last-Modified, RFC 9111 4.3.1), or
   *     null
   * @param forwardRange forward the viewer's Range and If-Range (a range of an object too large to
   *     cache, passed through)
   */
  static FullHttpRequest build(
      Exchange ex,
      OriginSpec origin,
      boolean originTls,
      int originPort,
      String acceptEncoding,
      ByteBuf body,
      boolean fill,
      ResponseHeaders revalidate,
      boolean forwardRange) {
    Behavior b = ex.behavior;
    CachePolicy cp = b.cachePolicy();
    OriginRequestPolicy orp = b.originRequestPolicy();
    HttpHeaders in = ex.request.headers();
    HttpHeaders out = new DefaultHttpHeaders(false);

    Set<String> connectionNamed = connectionTokens(in);
    for (Map.Entry<String, String> e : in) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (NEVER_FORWARDED.contains(name)
          || connectionNamed.contains(name)
          || name.equals("cookie")
          || name.equals("accept-encoding")
          || (fill && (VIEWER_PRECONDITIONS.contains(name) || name.equals("range")))) {
        continue;
      }
      boolean forward =
          cp.headers().includes(name) || (orp != null && orp.headers().includes(name));
      if (forward) {
        out.add(e.getKey(), e.getValue());
      }
    }

    // Host: the viewer's when a policy forwards it, else the origin's own name.
    boolean forwardHost =
        cp.headers().includes("host") || (orp != null && orp.headers().includes("host"));
    String host = in.get(HttpHeaderNames.HOST);
    if (!forwardHost || host == null) {
      boolean defaultPort = originPort == (originTls ? 443 : 80);
      host = defaultPort ? origin.host() : hostForHeader(origin.host()) + ":" + originPort;
    }
    out.set(HttpHeaderNames.HOST, host);

    // Cookies: those the cache key or the origin request policy names.
    String cookies =
        filterCookies(
            in.getAll(HttpHeaderNames.COOKIE),
            cp.cookies(),
            orp == null ? KeyFields.NONE : orp.cookies());
    if (cookies != null) {
      out.set(HttpHeaderNames.COOKIE, cookies);
    }

    if (acceptEncoding != null && !"identity".equals(acceptEncoding)) {
      out.set(HttpHeaderNames.ACCEPT_ENCODING, acceptEncoding);
    } else if (orp != null && orp.headers().includes("accept-encoding")) {
      String ae = in.get(HttpHeaderNames.ACCEPT_ENCODING);
      if (ae != null) {
        out.set(HttpHeaderNames.ACCEPT_ENCODING, ae);
      }
    }

    if (forwardRange) {
      for (CharSequence n : new CharSequence[] {HttpHeaderNames.RANGE, HttpHeaderNames.IF_RANGE}) {
        String v = in.get(n);
        if (v != null) {
          out.set(n, v);
        }
      }
    }
    if (revalidate != null) {
      String etag = Validation.ifNoneMatchFor(revalidate);
      if (etag != null) {
        out.set(HttpHeaderNames.IF_NONE_MATCH, etag);
      }
      String lastModified = Validation.ifModifiedSinceFor(revalidate);
      if (lastModified != null) {
        out.set(HttpHeaderNames.IF_MODIFIED_SINCE, lastModified);
      }
    }

    String xff = in.get("x-forwarded-for");
    String client = ex.connection == null ? null : clientIp(ex);
    out.set("x-forwarded-for", xff == null ? client : xff + ", " + client);
    out.add(HttpHeaderNames.VIA, EdgeRuntime.VIA_VALUE);

    // The web ACL's labels (forward-labels): like the secret, the header is the edge's own, so the
    // viewer's copy is removed whether or not there are labels to send; an origin that trusts it
    // must never see a value a viewer wrote.
    WafPhase.ForwardedLabels labels = ex.attrs.get(WafPhase.FORWARDED_LABELS);
    if (labels != null) {
      out.remove(labels.header());
      if (labels.value() != null) {
        out.set(labels.header(), labels.value());
      }
    }

    // The secret: strip whatever the viewer sent under these names, then add ours.
    for (OriginSpec.CustomHeader h : origin.customHeaders()) {
      out.remove(h.name());
    }
    for (OriginSpec.CustomHeader h : origin.customHeaders()) {
      out.add(h.name(), h.value().reveal());
    }

    String uri = origin.pathPrefix() + ex.path;
    String query =
        filterQuery(
            ex.rawQuery, cp.queryStrings(), orp == null ? KeyFields.NONE : orp.queryStrings());
    if (query != null && !query.isEmpty()) {
      uri = uri + "?" + query;
    }

    HttpMethod method = ex.request.method();
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, method, uri, body, out, new DefaultHttpHeaders(false));
    if (body.isReadable()
        || method == HttpMethod.POST
        || method == HttpMethod.PUT
        || method == HttpMethod.PATCH) {
      out.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    }
    return r;
  }

  static String clientIp(Exchange ex) {
    return ex.connection == null ? computeClientIp(ex.ctx) : ex.connection.clientIp();
  }

  static String computeClientIp(io.netty.channel.ChannelHandlerContext ctx) {
    java.net.SocketAddress a = ctx.channel().remoteAddress();
    if (a instanceof java.net.InetSocketAddress isa) {
      return isa.getAddress() == null ? isa.getHostString() : isa.getAddress().getHostAddress();
    }
    return "unknown";
  }

  private static String hostForHeader(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Names listed in Connection headers (RFC 9110 7.6.1): hop-by-hop as well. */
  static Set<String> connectionTokens(HttpHeaders h) {
    List<String> values = h.getAll(HttpHeaderNames.CONNECTION);
    if (values.isEmpty()) {
      return Set.of();
    }
    java.util.HashSet<String> names = new java.util.HashSet<>();
    for (String v : values) {
      for (String t : v.split(",")) {
        String n = t.trim().toLowerCase(Locale.ROOT);
        if (!n.isEmpty()) {
          names.add(n);
        }
      }
    }
    return names;
  }

  static String filterCookies(List<String> headerValues, KeyFields key, KeyFields orp) {
    if (headerValues.isEmpty()) {
      return null;
    }
    if (key.behavior() == KeyFields.Behavior.ALL || orp.behavior() == KeyFields.Behavior.ALL) {
      return String.join("; ", headerValues);
    }
    if (key.behavior() == KeyFields.Behavior.NONE && orp.behavior() == KeyFields.Behavior.NONE) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String v : headerValues) {
      for (io.netty.handler.codec.http.cookie.Cookie c : ServerCookieDecoder.LAX.decodeAll(v)) {
        if (key.includes(c.name()) || orp.includes(c.name())) {
          if (sb.length() > 0) {
            sb.append("; ");
          }
          sb.append(c.name()).append('=').append(c.value());
        }
      }
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** Query parameters named by either policy, in the viewer's order, encoding untouched. */
  static String filterQuery(String raw, KeyFields key, KeyFields orp) {
    if (raw == null) {
      return null;
    }
    if (key.behavior() == KeyFields.Behavior.ALL || orp.behavior() == KeyFields.Behavior.ALL) {
      return raw;
    }
    if (key.behavior() == KeyFields.Behavior.NONE && orp.behavior() == KeyFields.Behavior.NONE) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq >= 0 ? part.substring(0, eq) : part;
      if (key.includes(name) || orp.includes(name)) {
        if (sb.length() > 0) {
          sb.append('&');
        }
        sb.append(part);
      }
    }
    return sb.toString();
  }
}
