package io.bulwark.edge.internal;

import io.bulwark.cache.CacheDecisions;
import io.bulwark.cache.CachedResponse;
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

  /** The stale stored entry served instead of an origin failure when it allows it, or null. */
  private final CachedResponse staleFallback;

  /**
   * A background refresh (stale-while-revalidate): the viewer was already answered from the cache,
   * so nothing is written to it and nothing it logs is touched; the request is retained until the
   * fetch ends.
   */
  private final boolean background;

  /** A 304 to our conditional request: the refreshed entry is served when the exchange ends. */
  private boolean refreshing;

  private CachedResponse refreshed;

  /** Forward the viewer's Range: a range of an object that cannot be cached, passed through. */
  private boolean forwardRange;

  /**
   * A fill for a viewer who asked for a range: the body is collected, stored, and the range served
   * from the stored object (RFC 9110 14) instead of streaming the whole object.
   */
  private boolean collect;

  /** The collected body outgrew the cache on its last piece: pass the range on at completion. */
  private boolean rangeFallback;

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

  private OriginFetch(
      Exchange ex,
      Collapser.Fill fill,
      CacheAccess.Filler filler,
      CachedResponse staleFallback,
      boolean background) {
    this.ex = ex;
    this.group = ex.behavior.target();
    this.fill = fill;
    this.filler = filler;
    this.staleFallback = staleFallback;
    this.background = background;
    this.viewerGone = background;
    this.loop = ex.ctx.channel().eventLoop();
    this.order = FailoverPolicy.attemptOrder(group.members(), ex.runtime.services().health());
  }

  /** A request that is not cached: straight through to the origin group. */
  static void pass(Exchange ex) {
    new OriginFetch(ex, null, null, null, false).start();
  }

  /**
   * A request that does not fill the cache but has a stale entry to fall back on if the origin
   * fails and the entry allows it (stale-if-error).
   */
  static void pass(Exchange ex, CachedResponse staleFallback) {
    new OriginFetch(ex, null, null, staleFallback, false).start();
  }

  /** A range request passed through with its Range: the object could not be cached. */
  static void passRange(Exchange ex, CachedResponse staleFallback) {
    OriginFetch f = new OriginFetch(ex, null, null, staleFallback, false);
    f.forwardRange = true;
    f.start();
  }

  /**
   * A cache miss that leads {@code fill}: the response is stored if it may be. With a stale entry
   * to revalidate, the request is conditional; a 304 refreshes the entry and serves it.
   */
  static void fill(Exchange ex, Collapser.Fill fill, CacheAccess.Filler filler) {
    new OriginFetch(ex, fill, filler, filler.stale(), false).start();
  }

  /**
   * Refreshes a stale entry in the background after the viewer was served it
   * (stale-while-revalidate): nothing goes to the viewer; the outcome only updates the cache. An
   * origin failure keeps the stale entry.
   */
  static void background(Exchange ex, Collapser.Fill fill, CacheAccess.Filler filler) {
    ex.request.retain(); // read when the origin request is built, after the viewer is answered
    new OriginFetch(ex, fill, filler, filler.stale(), true).start();
  }

  private void start() {
    if (!background) {
      ex.attrs.set(KEY, this);
    }
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
            ex.request.content().retainedDuplicate(),
            filler != null,
            filler == null ? null : filler.revalidating(),
            forwardRange);
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
    if (code >= 500 && staleFallback != null && (background || staleAllowedOnError())) {
      // RFC 5861 4: an origin error is answered with the stale entry; the 5xx is discarded.
      conn = null;
      serveStaleOnError();
      return false;
    }
    committed = true;
    if (!background) {
      ex.originId = origin().id();
    }
    ex.runtime.shared().metrics.originLatency(origin().id(), System.nanoTime() - attemptStartNanos);
    if (filler == null && !background && code >= 200 && code < 400) {
      CacheAccess.invalidateAfterUnsafe(ex, response.headers());
    }
    if (code == 304 && filler != null && filler.revalidating() != null) {
      // Our conditional request: the stored entry is still good (RFC 9111 4.3.3, 4.3.4).
      refreshed = filler.refresh(ex, response.headers());
      refreshing = true;
      return true;
    }
    if (viewerGone && fill == null) {
      finishQuietly();
      return false;
    }
    // The origin's headers were validated by the decoder: no second validation pass here.
    HttpResponse out =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), NON_VALIDATING_HEADERS);
    copyEndToEnd(response.headers(), out.headers());
    if (!out.headers().contains(HttpHeaderNames.DATE)) {
      // RFC 9110 6.6.1: a recipient with a clock adds Date; the stored copy keeps it.
      out.headers()
          .set(HttpHeaderNames.DATE, CacheDecisions.httpDate(ex.runtime.clock().instant()));
    }
    if (filler != null) {
      storing = filler.begin(ex, code, out.headers());
      if (storing
          && filler.compressTo() != null
          && !Compression.varyListsAcceptEncoding(out.headers().getAll(HttpHeaderNames.VARY))) {
        // Later viewers get the compressed variant: caches after us must key on the encoding.
        out.headers().add(HttpHeaderNames.VARY, "Accept-Encoding");
      }
    }
    // RFC 9213: the policy's own targeted field is this edge's, not the viewer's (CDN-Cache-Control
    // goes on to any CDN in front of us).
    String targeted = ex.behavior.cachePolicy().targetedCacheControl();
    if (targeted != null) {
      out.headers().remove(targeted);
    }
    boolean bodyless = ex.isHead() || code == 204 || code == 304 || (code >= 100 && code < 200);
    if (!bodyless && !HttpUtil.isContentLengthSet(response)) {
      if (ex.request.protocolVersion() == HttpVersion.HTTP_1_1) {
        out.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      } else if (!background) {
        ex.keepAlive = false; // HTTP/1.0 viewer: the end of the body is the end of the connection
      }
    }
    if (!background) {
      ex.resultType = "Miss";
    }
    if (!viewerGone && storing && CacheAccess.answerConditionalOnFill(ex, code, filler)) {
      viewerGone = true; // the viewer got its 304; the body is still read and stored
      return true;
    }
    if (!viewerGone && filler != null && ex.request.headers().contains(HttpHeaderNames.RANGE)) {
      if (storing) {
        collect = true; // served from the stored object once it is complete
        return true;
      }
      if (code == 200) {
        // Not cacheable (too large, say): this viewer's range goes to the origin instead.
        conn = null;
        filler.abort();
        end();
        passRange(ex, staleFallback);
        return false;
      }
    }
    if (!viewerGone) {
      ex.startStream(out);
    }
    return true;
  }

  /**
   * RFC 9110 15.2: a proxy forwards 1xx responses (103 Early Hints lets the viewer preload while
   * the origin works). Only to the viewer that is waiting on this fetch, on HTTP/1.1 (a 1.0 client
   * must not get one), before the final response; never stored. A 100 Continue answers the edge's
   * own request (the viewer's body was already read whole) and stays here.
   */
  @Override
  public void onInterim(HttpResponse interim) {
    if (!background && !viewerGone && !committed && interim.status().code() != 100) {
      HttpResponse out =
          new DefaultHttpResponse(HttpVersion.HTTP_1_1, interim.status(), NON_VALIDATING_HEADERS);
      copyEndToEnd(interim.headers(), out.headers());
      ex.sendInterim(out);
    }
  }

  @Override
  public void onContent(HttpContent content) {
    if (refreshing) {
      content.release(); // a 304 has no body
      return;
    }
    if (storing) {
      storing = filler.append(content.content());
    }
    if (collect) {
      boolean lastPiece = content instanceof LastHttpContent;
      content.release();
      if (!storing) {
        // Grew past the object size limit: ask the origin for just the range instead.
        collect = false;
        rangeFallback = true;
        if (!lastPiece) {
          // Not from within the last piece: the connection completes that one itself and then
          // calls onComplete, which passes the range on.
          OriginConnection c = conn;
          conn = null;
          if (c != null) {
            c.abandon();
          }
          rangeFallback = false;
          end();
          if (!viewerGone) {
            passRange(ex, staleFallback);
          }
        }
      }
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (viewerGone) {
      content.release();
    } else {
      ex.streamContent(content);
      if (!last && !ex.viewerWritable() && conn != null) {
        conn.setReading(false);
      }
    }
  }

  @Override
  public void onComplete() {
    conn = null;
    if (refreshing) {
      finishRefresh();
      return;
    }
    if (rangeFallback) {
      end();
      if (!viewerGone) {
        passRange(ex, staleFallback);
      }
      return;
    }
    if (collect) {
      CachedResponse entry = storing ? filler.store(ex) : null;
      end();
      if (viewerGone) {
        return; // stored for the next viewer; this one left
      }
      if (entry != null) {
        CacheAccess.serve(ex, entry, entry.freshness(ex.runtime.clock().instant()), "Miss");
      } else {
        passRange(ex, staleFallback);
      }
      return;
    }
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
    if (refreshing) {
      finishRefresh(); // the 304's headers arrived whole; only its (empty) end went wrong
      return;
    }
    if (!committed) {
      if (beforeResponse
          && reused
          && kind == ErrorKind.ORIGIN_CONNECTION_RESET
          && !retriedStale
          && FailoverPolicy.idempotentForFailover(ex.method)) {
        // A pooled connection the origin had already closed: one fresh try, not a failover.
        // Only a reset or close qualifies: a timeout means the origin is slow or hung, and a second
        // connection to it would make the viewer wait a second timeout before failing over.
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
    if (collect) {
      collect = false;
      end();
      if (!viewerGone) {
        ex.respondError(kind, detailFor(kind)); // nothing was sent yet
      }
      return;
    }
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
    if (staleFallback != null && (background || staleAllowedOnError())) {
      serveStaleOnError(); // every member failed: RFC 5861 4
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

  private boolean staleAllowedOnError() {
    return CacheAccess.staleIfError(ex, staleFallback);
  }

  /** The origin failed and the stale entry may stand in: serve it (and so do the waiters). */
  private void serveStaleOnError() {
    if (filler != null) {
      filler.abort();
    }
    if (fill != null && !background) {
      fill.staleServed = true;
    }
    end();
    if (!viewerGone) {
      CacheAccess.serveStale(ex, staleFallback, "StaleIfError");
    }
  }

  /** The 304 ended: wake the waiters, then serve the refreshed entry (or fetch it whole). */
  private void finishRefresh() {
    end();
    if (viewerGone) {
      return;
    }
    if (refreshed == null) {
      OriginFetch.pass(ex); // the 304 named another representation: fetch it unconditionally
      return;
    }
    CacheAccess.serve(
        ex, refreshed, refreshed.freshness(ex.runtime.clock().instant()), "RefreshHit");
  }

  private void nextMember() {
    member++;
    attemptOnMember = 0;
    retriedStale = false;
    if (!background) {
      ex.failovers++;
    }
  }

  private void end() {
    if (done) {
      return;
    }
    done = true;
    if (fill != null) {
      ex.runtime.shared().collapser.complete(fill);
    }
    if (background) {
      ex.request.release();
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

  private static final io.netty.handler.codec.http.HttpHeadersFactory NON_VALIDATING_HEADERS =
      io.netty.handler.codec.http.DefaultHttpHeadersFactory.headersFactory()
          .withNameValidation(false)
          .withValueValidation(false);

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
