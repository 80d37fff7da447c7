package io.bulwark.edge.internal;

import io.bulwark.config.OriginGroupSpec;
import io.bulwark.config.OriginSpec;
import io.bulwark.core.ErrorKind;
import io.bulwark.core.Key;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Fetches one request from an origin group: members in order, each with its connection attempts;
 * the next member on a listed status, a connection failure or a timeout, for GET, HEAD and OPTIONS
 * only ({@link FailoverPolicy}). A failed member's response is discarded (its connection closed,
 * its body never read): never cached, never sent.
 *
 * <p>The response that is kept is streamed to the viewer as it arrives. When this fetch leads a
 * cache fill, the body is also accumulated and stored only when it ended completely; a body cut
 * short closes the viewer connection and is never stored. A slow viewer stops reads from the origin
 * (backpressure) instead of growing the heap.
 */
final class OriginFetch implements OriginConnection.Listener {
  static final Key<OriginFetch> KEY = Key.of("originFetch", OriginFetch.class);

  private final Exchange ex;
  private final OriginGroupSpec group;
  private final Collapser.Fill fill;
  private final CacheAccess.Filler filler;
  private final EventLoop loop;

  /** Members in the order they are tried: healthy (or unchecked) first, then the rest. */
  private final java.util.List<OriginSpec> order;

  private int member;
  private int attemptOnMember;
  private boolean retriedStale;
  private OriginConnection conn;
  private boolean committed;
  private boolean done;
  private boolean viewerGone;
  private boolean storing;
  private long attemptStartNanos;

  private OriginFetch(Exchange ex, Collapser.Fill fill, CacheAccess.Filler filler) {
    this.ex = ex;
    this.group = ex.behavior.target();
    this.fill = fill;
    this.filler = filler;
    this.loop = ex.ctx.channel().eventLoop();
    this.order = FailoverPolicy.attemptOrder(group.members(), ex.runtime.services().health());
  }

  /** A request that is not cached: straight through to the origin group. */
  static void pass(Exchange ex) {
    new OriginFetch(ex, null, null).start();
  }

  /** A cache miss that leads {@code fill}: the response is stored if it may be. */
  static void fill(Exchange ex, Collapser.Fill fill, CacheAccess.Filler filler) {
    new OriginFetch(ex, fill, filler).start();
  }

  private void start() {
    ex.attrs.set(KEY, this);
    attempt(false);
  }

  private OriginSpec origin() {
    return order.get(member);
  }

  private boolean hasNext() {
    return member + 1 < order.size();
  }

  private void attempt(boolean fresh) {
    if (viewerGone && fill == null) {
      finishQuietly();
      return;
    }
    OriginSpec o = origin();
    OriginPool.Key key = poolKey(o);
    if (key == null) {
      connectFailed(
          ErrorKind.ORIGIN_CONNECT_REFUSED,
          "static origin " + o.staticOriginId() + " is not running");
      return;
    }
    attemptStartNanos = System.nanoTime();
    OriginPool pool = ex.runtime.shared().pool;
    long connectMillis = o.connectTimeout().toMillis();
    Future<OriginConnection> f =
        fresh ? pool.connect(loop, key, connectMillis) : pool.acquire(loop, key, connectMillis);
    if (f.isDone()) {
      connected(f);
    } else {
      f.addListener(x -> connected(f));
    }
  }

  private void connected(Future<OriginConnection> f) {
    if (!f.isSuccess()) {
      OriginPool.ConnectFailure cf =
          f.cause() instanceof OriginPool.ConnectFailureException e
              ? e.failure
              : OriginPool.classify(f.cause());
      connectFailed(cf.kind(), cf.detail());
      return;
    }
    conn = f.getNow();
    OriginSpec o = origin();
    boolean tls = conn.key().tls();
    var request =
        OriginRequests.build(
            ex,
            o,
            tls,
            conn.key().port(),
            filler == null ? CacheAccess.acceptEncodingFor(ex) : filler.acceptEncoding(),
            ex.request.content().retainedDuplicate());
    conn.send(request, this, o.responseTimeout().toNanos());
  }

  private OriginPool.Key poolKey(OriginSpec o) {
    boolean tls =
        switch (o.protocolPolicy()) {
          case HTTP_ONLY -> false;
          case HTTPS_ONLY -> true;
          case MATCH_VIEWER -> ex.secure;
        };
    int port;
    if (o.staticOriginId() != null) {
      port = ex.runtime.services().staticOriginPorts().applyAsInt(o.staticOriginId());
      if (port <= 0) {
        return null;
      }
      tls = false;
    } else {
      port = tls ? o.httpsPort() : o.httpPort();
    }
    return new OriginPool.Key(
        o.host(), port, tls, o.minTls(), o.verifyTls(), o.keepAliveTimeout().toNanos());
  }

  private void connectFailed(ErrorKind kind, String detail) {
    OriginSpec o = origin();
    attemptOnMember++;
    boolean connectKind =
        kind == ErrorKind.ORIGIN_CONNECT_REFUSED || kind == ErrorKind.ORIGIN_CONNECT_TIMEOUT;
    if (connectKind && attemptOnMember < o.connectionAttempts()) {
      attempt(true); // CloudFront's "connection attempts": the same origin again
      return;
    }
    failOver(kind, detail);
  }

  @Override
  public boolean onHeaders(HttpResponse response) {
    int code = response.status().code();
    if (FailoverPolicy.onStatus(group, ex.method, code, hasNext())) {
      ex.runtime.shared().metrics.failover(group.id(), origin().id(), "status_" + code);
      conn = null;
      nextMember();
      loop.execute(() -> attempt(false));
      return false;
    }
    committed = true;
    ex.originId = origin().id();
    ex.runtime.shared().metrics.originLatency(origin().id(), System.nanoTime() - attemptStartNanos);
    if (viewerGone && fill == null) {
      finishQuietly();
      return false;
    }
    HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status());
    copyEndToEnd(response.headers(), out.headers());
    if (filler != null) {
      storing = filler.begin(ex, code, out.headers());
    }
    boolean bodyless = ex.isHead() || code == 204 || code == 304 || (code >= 100 && code < 200);
    if (!bodyless && !HttpUtil.isContentLengthSet(response)) {
      if (ex.request.protocolVersion() == HttpVersion.HTTP_1_1) {
        out.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else {
        ex.keepAlive = false; // HTTP/1.0 viewer: the end of the body is the end of the connection
      }
    }
    ex.resultType = "Miss";
    if (!viewerGone) {
      ex.startStream(out);
    }
    return true;
  }

  @Override
  public void onContent(HttpContent content) {
    if (storing) {
      storing = filler.append(content.content());
    }
    boolean last = content instanceof LastHttpContent;
    if (viewerGone) {
      content.release();
    } else {
      ex.streamContent(content);
      if (!last && !ex.ctx.channel().isWritable() && conn != null) {
        conn.setReading(false);
      }
    }
  }

  @Override
  public void onComplete() {
    conn = null;
    if (filler != null) {
      if (storing) {
        filler.store(ex);
      } else {
        filler.abort();
      }
    }
    end();
  }

  @Override
  public void onError(ErrorKind kind, String detail, boolean beforeResponse, boolean reused) {
    conn = null;
    if (!committed) {
      if (beforeResponse
          && reused
          && !retriedStale
          && FailoverPolicy.idempotentForFailover(ex.method)) {
        // A pooled connection the origin had already closed: one fresh try, not a failover.
        retriedStale = true;
        attempt(true);
        return;
      }
      failOver(kind, detail);
      return;
    }
    if (filler != null) {
      filler.abort();
    }
    storing = false;
    ex.runtime.shared().metrics.originError(origin().id(), kind);
    if (!viewerGone) {
      ex.abortStream(detailFor(kind));
    }
    end();
  }

  private void failOver(ErrorKind kind, String detail) {
    ex.runtime.shared().metrics.originError(origin().id(), kind);
    if (FailoverPolicy.onError(ex.method, kind, hasNext())) {
      ex.runtime
          .shared()
          .metrics
          .failover(group.id(), origin().id(), kind.name().toLowerCase(Locale.ROOT));
      nextMember();
      attempt(false);
      return;
    }
    ex.originId = origin().id();
    if (filler != null) {
      filler.abort();
    }
    if (!viewerGone) {
      ex.respondError(kind, detailFor(kind));
    }
    end();
  }

  private void nextMember() {
    member++;
    attemptOnMember = 0;
    retriedStale = false;
    ex.failovers++;
  }

  private void end() {
    if (done) {
      return;
    }
    done = true;
    if (fill != null) {
      ex.runtime.shared().collapser.complete(fill);
    }
  }

  private void finishQuietly() {
    if (conn != null) {
      conn.abandon();
      conn = null;
    }
    if (filler != null) {
      filler.abort();
    }
    end();
  }

  /** The viewer's socket drained or filled up: resume or pause reading from the origin. */
  void viewerWritabilityChanged(boolean writable) {
    if (conn != null && !done) {
      conn.setReading(writable);
    }
  }

  /**
   * The viewer went away. A pass-through fetch stops; a cache fill keeps going so the object is
   * stored for the next viewer (Varnish does the same), at the origin's pace.
   */
  void viewerGone() {
    viewerGone = true;
    if (conn != null) {
      conn.setReading(true);
    }
    if (fill == null && !done) {
      finishQuietly();
    }
  }

  static String detailFor(ErrorKind kind) {
    return switch (kind) {
      case ORIGIN_CONNECT_REFUSED, ORIGIN_UNRESOLVABLE -> "OriginConnectError";
      case ORIGIN_CONNECT_TIMEOUT, ORIGIN_RESPONSE_TIMEOUT -> "OriginCommError";
      case ORIGIN_CONNECTION_RESET -> "OriginCommError";
      case ORIGIN_TLS_FAILURE -> "OriginSslError";
      case ORIGIN_PROTOCOL_ERROR -> "OriginInvalidResponseError";
      default -> "Error";
    };
  }

  /** Response headers that are hop-by-hop (RFC 9110 7.6.1) are the origin's business, not ours. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  static void copyEndToEnd(HttpHeaders from, HttpHeaders to) {
    Set<String> named = OriginRequests.connectionTokens(from);
    for (Map.Entry<String, String> e : from) {
      String n = e.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(n) && !named.contains(n)) {
        to.add(e.getKey(), e.getValue());
      }
    }
  }

  static long nanosToMillis(long n) {
    return TimeUnit.NANOSECONDS.toMillis(n);
  }
}
