package io.bulwark.edge.internal;

import io.bulwark.config.Behavior;
import io.bulwark.config.Distribution;
import io.bulwark.core.ErrorKind;
import io.bulwark.edge.AccessLogRecord;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Instant;
import java.util.List;

/**
 * The request path, in order. This file is the table of contents: a reader sees the whole path here
 * (DESIGN.md, "The edge request path").
 *
 * <ol>
 *   <li>accept and parse (the Netty pipeline; a malformed request never gets here: {@link
 *       ViewerConnection} answers 400/414/431 and closes);
 *   <li>{@link #ROUTE}: distribution by Host; an unknown host gets 421, never a random site;
 *   <li>{@link #WEB_ACL}: the distribution's web ACL (block, challenge, count, labels);
 *   <li>{@link #BEHAVIOR}: the first matching path pattern, else the default;
 *   <li>{@link #METHODS}: the behavior's allowed methods;
 *   <li>{@link #VIEWER_PROTOCOL}: redirect-to-https, https-only;
 *   <li>(viewer-request functions: a later issue);
 *   <li>cache: fresh hit, or a miss that joins or leads a collapsed fill ({@link CacheAccess});
 *   <li>origin group with failover ({@link OriginFetch});
 *   <li>response headers (Age, Via, X-Cache) and storage; an error the distribution has a custom
 *       page for is answered with that page, fetched through the distribution ({@link ErrorPages},
 *       installed as the cache phase starts, so nothing before it is replaced);
 *   <li>{@link #log}: always, exactly once, however the request ended.
 * </ol>
 */
final class RequestPhases {
  private RequestPhases() {}

  /** A phase before the cache: answers the request (returns true) or lets it continue. */
  interface Phase {
    boolean apply(Exchange ex);
  }

  static final Phase ROUTE =
      ex -> {
        String host = ex.request.headers().get(HttpHeaderNames.HOST);
        if (host == null && ex.request.protocolVersion() == HttpVersion.HTTP_1_1) {
          ex.respondError(ErrorKind.BAD_REQUEST, "MissingHost"); // RFC 9112 3.2
          return true;
        }
        Distribution d = ex.runtime.route(host);
        if (d == null) {
          ex.respondError(ErrorKind.UNKNOWN_HOST, "UnknownHost");
          return true;
        }
        ex.distribution = d;
        return false;
      };

  static final Phase BEHAVIOR =
      ex -> {
        ex.behavior = ex.distribution.behaviorFor(ex.path);
        return false;
      };

  static final Phase METHODS =
      ex -> {
        if (!ex.behavior.allowedMethods().contains(ex.method)) {
          ex.respondError(ErrorKind.METHOD_NOT_ALLOWED, "MethodNotAllowed");
          return true;
        }
        return false;
      };

  static final Phase VIEWER_PROTOCOL =
      ex -> {
        if (ex.secure) {
          return false;
        }
        Behavior b = ex.behavior;
        switch (b.viewerProtocolPolicy()) {
          case ALLOW_ALL:
            return false;
          case HTTPS_ONLY:
            ex.respondError(ErrorKind.HTTPS_REQUIRED, "HttpsRequired");
            return true;
          case REDIRECT_TO_HTTPS:
          default:
            String host = HostRouter.stripPort(ex.request.headers().get(HttpHeaderNames.HOST));
            int port = ex.runtime.shared().httpsPort();
            String authority = port == 443 || port <= 0 ? host : host + ":" + port;
            HttpHeaders h = new DefaultHttpHeaders();
            h.set(HttpHeaderNames.LOCATION, "https://" + authority + ex.request.uri());
            // 301 for safe methods as CloudFront does; 307 keeps the method and body of others.
            int code = "GET".equals(ex.method) || ex.isHead() ? 301 : 307;
            ex.respondText(code, "Moved to HTTPS\n", "Redirect", h);
            return true;
        }
      };

  /** The distribution's web ACL (geo restriction included as GeoMatch rules). */
  static final Phase WEB_ACL = new WafPhase();

  static final List<Phase> BEFORE_CACHE =
      List.of(ROUTE, WEB_ACL, BEHAVIOR, METHODS, VIEWER_PROTOCOL);

  static void run(Exchange ex) {
    for (int i = 0, n = BEFORE_CACHE.size(); i < n; i++) {
      if (BEFORE_CACHE.get(i).apply(ex)) {
        return;
      }
    }
    ErrorPages.install(ex);
    CacheAccess.lookupOrFetch(ex);
  }

  /** The logging and metrics phase. */
  static void log(Exchange ex) {
    long tookNanos = System.nanoTime() - ex.startNanos;
    String dist = ex.distribution == null ? "-" : ex.distribution.id();
    if ("StaleHit".equals(ex.resultType)) {
      ex.runtime.shared().metrics.staleServed(dist, ex.detailedResultType);
    }
    ex.runtime
        .shared()
        .metrics
        .request(dist, ex.status, ex.resultType, ex.bytesOut, ex.request.content().readableBytes());
    io.bulwark.edge.AccessLogSink sink = ex.runtime.services().accessLog();
    if (sink == io.bulwark.edge.AccessLogSink.OFF) {
      return;
    }
    sink.accept(
        new AccessLogRecord(
            Instant.ofEpochMilli(ex.startMillis),
            OriginRequests.clientIp(ex),
            ex.method,
            ex.request.headers().get(HttpHeaderNames.HOST, "-"),
            ex.path,
            ex.rawQuery == null ? "-" : ex.rawQuery,
            ex.status,
            ex.bytesOut,
            tookNanos / 1_000_000,
            ex.resultType,
            ex.detailedResultType.equals("-") ? ex.resultType : ex.detailedResultType,
            dist,
            ex.originId,
            ex.failovers,
            ex.secure ? "https" : "http"));
  }
}
