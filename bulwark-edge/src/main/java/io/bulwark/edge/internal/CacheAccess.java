package io.bulwark.edge.internal;

import io.bulwark.cache.BodyAccumulator;
import io.bulwark.cache.CacheDecisions;
import io.bulwark.cache.CacheKey;
import io.bulwark.cache.CacheKeys;
import io.bulwark.cache.CachedResponse;
import io.bulwark.cache.Freshness;
import io.bulwark.cache.HeaderSource;
import io.bulwark.cache.ResponseHeaders;
import io.bulwark.cache.StorageDecision;
import io.bulwark.config.Behavior;
import io.bulwark.config.CachePolicy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The cache phase: the only place the edge talks to the cache module. Decides hit or miss, serves
 * hits without copying the body (a duplicate of the stored read-only direct buffer), leads or joins
 * a collapsed fill on a miss, and stores a fill's response once its body ended completely.
 */
final class CacheAccess {
  private CacheAccess() {}

  static final io.bulwark.core.Key<CacheKey> CACHE_KEY =
      io.bulwark.core.Key.of("cacheKey", CacheKey.class);

  /** Netty's case-insensitive headers seen through the cache module's interface. */
  static HeaderSource headerSource(HttpHeaders h) {
    return new HeaderSource() {
      @Override
      public String get(String lowerCaseName) {
        return h.get(lowerCaseName);
      }

      @Override
      public List<String> getAll(String lowerCaseName) {
        return h.getAll(lowerCaseName);
      }

      @Override
      public Iterable<String> names() {
        return h.names();
      }
    };
  }

  static String acceptEncodingFor(Exchange ex) {
    CachePolicy p = ex.behavior.cachePolicy();
    return CacheKeys.acceptEncodingToken(p, headerSource(ex.request.headers()));
  }

  /** Phase 6: a fresh hit is served; a miss leads or joins a fill; uncached requests pass. */
  static void lookupOrFetch(Exchange ex) {
    Behavior b = ex.behavior;
    boolean cacheable =
        !b.cachePolicy().cachingDisabled()
            && b.cachedMethods().contains(ex.method)
            && ("GET".equals(ex.method) || ex.isHead());
    if (!cacheable) {
      OriginFetch.pass(ex);
      return;
    }
    CacheKey key =
        CacheKeys.of(
            b.cachePolicy(),
            HostRouter.stripPort(ex.request.headers().get(HttpHeaderNames.HOST, "")),
            ex.path,
            ex.rawQuery,
            headerSource(ex.request.headers()));
    ex.attrs.set(CACHE_KEY, key);
    lookup(ex, key, true);
  }

  private static void lookup(Exchange ex, CacheKey key, boolean mayWait) {
    Instant now = ex.runtime.clock().instant();
    CachedResponse entry = ex.runtime.services().cache().get(key);
    if (entry != null) {
      Freshness f = CacheDecisions.freshness(entry, now);
      if (f.fresh()) {
        serveHit(ex, entry, f);
        return;
      }
    }
    if (ex.isHead()) {
      OriginFetch.pass(ex); // a HEAD miss cannot fill: it has no body to store
      return;
    }
    if (!mayWait) {
      OriginFetch.pass(ex); // the fill we waited for did not store: go alone
      return;
    }
    Collapser c = ex.runtime.shared().collapser;
    while (true) {
      Collapser.Fill mine = c.lead(key);
      if (mine != null) {
        Filler filler = new Filler(key, now);
        filler.acceptEncoding(acceptEncodingFor(ex));
        OriginFetch.fill(ex, mine, filler);
        return;
      }
      Collapser.Fill theirs = c.current(key);
      if (theirs != null
          && theirs.addWaiter(() -> ex.ctx.executor().execute(() -> lookup(ex, key, false)))) {
        return;
      }
      // The fill ended between lead() and addWaiter(): look again.
      entry = ex.runtime.services().cache().get(key);
      if (entry != null && CacheDecisions.freshness(entry, now).fresh()) {
        serveHit(ex, entry, CacheDecisions.freshness(entry, now));
        return;
      }
    }
  }

  /** Serves a stored response: its headers, Age (RFC 9111 5.1), and the body without a copy. */
  static void serveHit(Exchange ex, CachedResponse entry, Freshness f) {
    ByteBuffer body = entry.body();
    ByteBuf content =
        ex.isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body.duplicate());
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(entry.status()), content);
    HttpHeaders h = r.headers();
    ResponseHeaders stored = entry.headers();
    for (int i = 0, n = stored.size(); i < n; i++) {
      String name = stored.name(i);
      if (!name.equalsIgnoreCase("age") && !name.equalsIgnoreCase("content-length")) {
        h.add(name, stored.value(i));
      }
    }
    h.set(HttpHeaderNames.AGE, f.ageSeconds());
    h.set(HttpHeaderNames.CONTENT_LENGTH, body.remaining());
    ex.resultType = "Hit";
    ex.originId = "-";
    // HEAD: the Content-Length above is the GET body's, as RFC 9110 9.3.2 allows.
    ex.respond(r);
  }

  /**
   * Accumulates a fill's body and stores it when the origin's response ended completely. A body
   * that did not arrive whole, or grew past the object size limit, is dropped.
   */
  static final class Filler {
    private final CacheKey key;
    private final Instant fillStartedAt;
    private StorageDecision decision;
    private BodyAccumulator body;
    private int status;
    private ResponseHeaders headers;
    private Instant responseTime;
    private String acceptEncoding;

    Filler(CacheKey key, Instant fillStartedAt) {
      this.key = key;
      this.fillStartedAt = fillStartedAt;
    }

    String acceptEncoding() {
      return acceptEncoding;
    }

    void acceptEncoding(String token) {
      this.acceptEncoding = token;
    }

    /** Response headers arrived: may this response be stored? */
    boolean begin(Exchange ex, int status, HttpHeaders viewerHeaders) {
      this.status = status;
      this.responseTime = ex.runtime.clock().instant();
      ResponseHeaders.Builder rb = ResponseHeaders.builder();
      for (Map.Entry<String, String> e : viewerHeaders) {
        rb.add(e.getKey(), e.getValue());
      }
      this.headers = rb.build();
      this.decision =
          CacheDecisions.storage(
              ex.behavior.cachePolicy(),
              ex.method,
              ex.request.headers().contains(HttpHeaderNames.AUTHORIZATION),
              status,
              headers,
              responseTime);
      if (!decision.store() || !CacheDecisions.contentEncodingMatches(acceptEncoding, headers)) {
        return false; // e.g. a gzip body from an origin asked for identity: never under that key
      }
      long max = ex.runtime.snapshot().cache().maxObjectBytes();
      long expected = -1;
      String cl = viewerHeaders.get(HttpHeaderNames.CONTENT_LENGTH);
      if (cl != null) {
        try {
          expected = Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
          return false;
        }
        if (expected > max) {
          return false; // streams through without being cached
        }
      }
      body = new BodyAccumulator(max, expected);
      return true;
    }

    /** A piece of the body; false once it can no longer be stored. */
    boolean append(ByteBuf chunk) {
      if (body == null) {
        return false;
      }
      int n = chunk.nioBufferCount();
      boolean ok = true;
      if (n == 1) {
        ok = body.append(chunk.nioBuffer());
      } else {
        for (ByteBuffer b : chunk.nioBuffers()) {
          ok = ok && body.append(b);
        }
      }
      if (!ok) {
        body.abort();
        body = null;
      }
      return ok;
    }

    void store(Exchange ex) {
      if (body == null) {
        return;
      }
      ByteBuffer whole;
      try {
        whole = body.finish();
      } catch (IllegalStateException lengthMismatch) {
        return; // fewer or more bytes than Content-Length: never stored
      } finally {
        body = null;
      }
      Duration initialAge = CacheDecisions.initialAge(headers, fillStartedAt, responseTime);
      CachedResponse entry =
          CachedResponse.builder()
              .key(key)
              .distributionId(ex.distribution.id())
              .path(ex.path)
              .status(status)
              .headers(headers)
              .body(whole)
              .storedAt(responseTime)
              .initialAge(initialAge)
              .ttl(decision.ttl())
              .build();
      ex.runtime.services().cache().put(entry, fillStartedAt);
    }

    void abort() {
      if (body != null) {
        body.abort();
        body = null;
      }
    }
  }
}
