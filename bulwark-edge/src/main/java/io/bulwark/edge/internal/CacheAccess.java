package io.bulwark.edge.internal;

import io.bulwark.cache.BodyAccumulator;
import io.bulwark.cache.ByteRanges;
import io.bulwark.cache.CacheDecisions;
import io.bulwark.cache.CacheKey;
import io.bulwark.cache.CacheKeys;
import io.bulwark.cache.CacheStore;
import io.bulwark.cache.CachedResponse;
import io.bulwark.cache.Freshness;
import io.bulwark.cache.HeaderSource;
import io.bulwark.cache.ResponseHeaders;
import io.bulwark.cache.StaleServing;
import io.bulwark.cache.StorageDecision;
import io.bulwark.cache.Validation;
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
import java.util.Locale;
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
    lookup(ex, key, null, null);
  }

  /**
   * Looks the key up and serves, revalidates, fills or waits.
   *
   * @param waitedSince null on the first look; when this request waited on a fill, the time it
   *     started waiting: an entry stored since then was fetched or validated for it (RFC 9111 4
   *     lets one response satisfy collapsed requests), so it is served even if its TTL is zero
   * @param waitedOn the fill it waited on, or null
   */
  private static void lookup(
      Exchange ex, CacheKey key, Instant waitedSince, Collapser.Fill waitedOn) {
    Instant now = ex.runtime.clock().instant();
    CacheStore store = ex.runtime.services().cache();
    CacheKey primary = key;
    CachedResponse entry = store.get(key);
    if (entry == null) {
      // Responses under this key vary on request fields (RFC 9111 4.1): look up this viewer's.
      List<String> vary = store.varyNames(key);
      if (vary != null) {
        key = CacheKeys.withVary(key, vary, headerSource(ex.request.headers()));
        entry = store.get(key);
      }
    }
    Freshness f = null;
    if (entry != null) {
      f = CacheDecisions.freshness(entry, now);
      if (f.fresh()) {
        serve(ex, entry, f, "Hit");
        return;
      }
      if (waitedSince != null && !entry.storedAt().isBefore(waitedSince)) {
        serve(ex, entry, f, "Hit");
        return;
      }
      if (waitedOn != null && waitedOn.staleServed) {
        serveStale(ex, entry, f, "StaleIfError"); // the leader found the origin failing
        return;
      }
    }
    if (ex.isHead() || waitedSince != null) {
      // A HEAD cannot fill (no body to store); a request whose fill did not store goes alone.
      // Either may still fall back on the stale entry if the origin fails.
      OriginFetch.pass(ex, entry);
      return;
    }
    Collapser c = ex.runtime.shared().collapser;
    while (true) {
      Collapser.Fill mine = c.lead(key);
      if (mine != null) {
        Filler filler = new Filler(primary, now, entry);
        filler.acceptEncoding(acceptEncodingFor(ex));
        if (entry != null && staleWhileRevalidate(ex, entry, f)) {
          // RFC 5861 3: serve the stale entry now; this request's fill refreshes it, in the
          // background, once (later requests find the fill in flight and do not start another).
          OriginFetch.background(ex, mine, filler);
          serveStale(ex, entry, f, "StaleWhileRevalidate");
          return;
        }
        OriginFetch.fill(ex, mine, filler);
        return;
      }
      Collapser.Fill theirs = c.current(key);
      if (theirs != null) {
        if (entry != null && staleWhileRevalidate(ex, entry, f)) {
          serveStale(ex, entry, f, "StaleWhileRevalidate"); // a refresh is already running
          return;
        }
        Instant since = now;
        if (theirs.addWaiter(
            () -> ex.ctx.executor().execute(() -> lookup(ex, primary, since, theirs)))) {
          return;
        }
      }
      // The fill ended between lead() and addWaiter(): look again.
      entry = store.get(key);
      if (entry != null) {
        f = CacheDecisions.freshness(entry, now);
        if (f.fresh()) {
          serve(ex, entry, f, "Hit");
          return;
        }
      }
    }
  }

  /**
   * After an unsafe request (anything but GET, HEAD, OPTIONS and TRACE, RFC 9110 9.2.1) answered
   * with a non-error status, the stored responses for its target URI and for the Location and
   * Content-Location it names on the same host are invalidated (RFC 9111 4.4): every variant of
   * those paths in this distribution is removed. A Location on another host is left alone (it could
   * be used to purge someone else's objects).
   */
  static void invalidateAfterUnsafe(Exchange ex, HttpHeaders responseHeaders) {
    String m = ex.method;
    if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS") || m.equals("TRACE")) {
      return;
    }
    CacheStore store = ex.runtime.services().cache();
    Instant now = ex.runtime.clock().instant();
    String dist = ex.distribution.id();
    store.purge(dist, ex.path, now);
    String host = HostRouter.stripPort(ex.request.headers().get(HttpHeaderNames.HOST, ""));
    for (CharSequence name :
        new CharSequence[] {HttpHeaderNames.LOCATION, HttpHeaderNames.CONTENT_LOCATION}) {
      String value = responseHeaders.get(name);
      if (value == null) {
        continue;
      }
      String path = sameHostPath(host, ex.path, value.trim());
      if (path != null && !path.equals(ex.path)) {
        store.purge(dist, path, now);
      }
    }
  }

  /** The path a Location-style reference names when it is on {@code host}, else null. */
  static String sameHostPath(String host, String requestPath, String reference) {
    java.net.URI resolved;
    try {
      String authority = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
      resolved = new java.net.URI("http://" + authority + requestPath).resolve(reference);
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return null;
    }
    String h = resolved.getHost();
    if (h != null && h.startsWith("[") && !host.startsWith("[")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h == null || !h.equalsIgnoreCase(host)) {
      return null;
    }
    String path = resolved.getRawPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  private static boolean staleWhileRevalidate(Exchange ex, CachedResponse entry, Freshness f) {
    CachePolicy p = ex.behavior.cachePolicy();
    return StaleServing.allowed(
        CacheDecisions.effectiveCacheControl(p, entry.headers()),
        f,
        StaleServing.Why.WHILE_REVALIDATE,
        Duration.ZERO);
  }

  /**
   * Whether a stale entry may stand in for a failed origin: its stale-if-error (RFC 5861 4) or the
   * policy's serve-stale-on-error window, and it is not a stored server error itself.
   */
  static boolean staleIfError(Exchange ex, CachedResponse entry) {
    if (entry == null || !StaleServing.mayStandInForError(entry.status())) {
      return false;
    }
    CachePolicy p = ex.behavior.cachePolicy();
    Freshness f = CacheDecisions.freshness(entry, ex.runtime.clock().instant());
    return StaleServing.allowed(
        CacheDecisions.effectiveCacheControl(p, entry.headers()),
        f,
        StaleServing.Why.IF_ERROR,
        p.serveStaleOnError());
  }

  /** The policy's own targeted cache-control field (RFC 9213): for the edge, never for viewers. */
  static java.util.function.Predicate<String> edgeOnly(CachePolicy p) {
    return name -> CacheDecisions.isEdgeOnlyField(p, name);
  }

  /**
   * Serves a stale entry: its own result type ("StaleHit", so grace never hides an outage in the
   * metrics) and the reason in the access log's detailed result type.
   */
  static void serveStale(Exchange ex, CachedResponse entry, Freshness f, String why) {
    ex.detailedResultType = why;
    serve(ex, entry, f, "StaleHit");
  }

  static void serveStale(Exchange ex, CachedResponse entry, String why) {
    serveStale(ex, entry, CacheDecisions.freshness(entry, ex.runtime.clock().instant()), why);
  }

  /**
   * Serves a stored response: its headers, Age (RFC 9111 5.1), and the body without a copy; or a
   * 304 when the viewer's own conditional request matches it (RFC 9111 4.3.2).
   */
  static void serve(Exchange ex, CachedResponse entry, Freshness f, String resultType) {
    HttpHeaders rq = ex.request.headers();
    if ((rq.contains(HttpHeaderNames.IF_NONE_MATCH)
            || rq.contains(HttpHeaderNames.IF_MODIFIED_SINCE))
        && Validation.viewerNotModified(
            ex.method,
            rq.getAll(HttpHeaderNames.IF_NONE_MATCH),
            rq.get(HttpHeaderNames.IF_MODIFIED_SINCE),
            entry.status(),
            entry.headers(),
            entry.storedAt())) {
      serveNotModified(ex, entry, f, resultType);
      return;
    }
    String range = rq.get(HttpHeaderNames.RANGE);
    if (range != null && entry.status() == 200 && "GET".equals(ex.method)) {
      ByteRanges.Range r = ByteRanges.parse(range, entry.bodyLength());
      if (r.kind() != ByteRanges.Kind.FULL
          && ByteRanges.ifRangeHolds(
              rq.get(HttpHeaderNames.IF_RANGE), entry.headers(), entry.storedAt())) {
        servePartial(ex, entry, f, resultType, r);
        return;
      }
    }
    ByteBuffer body = entry.body();
    ByteBuf content =
        ex.isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body.duplicate());
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(entry.status()), content);
    HttpHeaders h = r.headers();
    ResponseHeaders stored = entry.headers();
    for (int i = 0, n = entry.viewerFieldCount(); i < n; i++) {
      String name = stored.name(i);
      if (!name.equalsIgnoreCase("age") && !name.equalsIgnoreCase("content-length")) {
        h.add(name, stored.value(i));
      }
    }
    h.set(HttpHeaderNames.AGE, f.ageSeconds());
    h.set(HttpHeaderNames.CONTENT_LENGTH, body.remaining());
    ex.resultType = resultType;
    if ("Hit".equals(resultType)) {
      ex.originId = "-";
    }
    // HEAD: the Content-Length above is the GET body's, as RFC 9110 9.3.2 allows.
    ex.respond(r);
  }

  /** 206 with one range of the stored body (a slice, not a copy), or 416 (RFC 9110 14). */
  private static void servePartial(
      Exchange ex, CachedResponse entry, Freshness f, String resultType, ByteRanges.Range range) {
    int length = entry.bodyLength();
    FullHttpResponse r;
    if (range.kind() == ByteRanges.Kind.UNSATISFIABLE) {
      r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
              Unpooled.EMPTY_BUFFER);
      r.headers().set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(length));
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    } else {
      ByteBuffer slice = entry.body();
      slice.position((int) range.first()).limit((int) range.last() + 1);
      r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.PARTIAL_CONTENT,
              Unpooled.wrappedBuffer(slice.slice()));
      HttpHeaders h = r.headers();
      ResponseHeaders stored = entry.headers();
      for (int i = 0, n = entry.viewerFieldCount(); i < n; i++) {
        String name = stored.name(i);
        if (!name.equalsIgnoreCase("age") && !name.equalsIgnoreCase("content-length")) {
          h.add(name, stored.value(i));
        }
      }
      h.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(length));
      h.set(HttpHeaderNames.CONTENT_LENGTH, range.length());
    }
    r.headers().set(HttpHeaderNames.AGE, f.ageSeconds());
    ex.resultType = resultType;
    if ("Hit".equals(resultType)) {
      ex.originId = "-";
    }
    ex.respond(r);
  }

  /**
   * A fill's response is about to stream to a viewer whose conditional request it satisfies (the
   * viewer's preconditions were not forwarded, so the origin sent the whole object): answers the
   * viewer 304 now, as a hit would (RFC 9111 4.3.2). Returns whether it did.
   */
  static boolean answerConditionalOnFill(Exchange ex, int status, Filler filler) {
    HttpHeaders rq = ex.request.headers();
    if (!(rq.contains(HttpHeaderNames.IF_NONE_MATCH)
            || rq.contains(HttpHeaderNames.IF_MODIFIED_SINCE))
        || !Validation.viewerNotModified(
            ex.method,
            rq.getAll(HttpHeaderNames.IF_NONE_MATCH),
            rq.get(HttpHeaderNames.IF_MODIFIED_SINCE),
            status,
            filler.headers,
            filler.responseTime)) {
      return false;
    }
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
    copyNotModifiedFields(filler.headers, r.headers());
    ex.respond(r);
    return true;
  }

  private static void copyNotModifiedFields(ResponseHeaders stored, HttpHeaders h) {
    for (int i = 0, n = stored.size(); i < n; i++) {
      String name = stored.name(i);
      if (Validation.sentWithNotModified(name.toLowerCase(Locale.ROOT))) {
        h.add(name, stored.value(i));
      }
    }
  }

  /** A 304 from the cache with the fields RFC 9110 15.4.5 lists, and Age. */
  private static void serveNotModified(
      Exchange ex, CachedResponse entry, Freshness f, String resultType) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED, Unpooled.EMPTY_BUFFER);
    HttpHeaders h = r.headers();
    copyNotModifiedFields(entry.headers(), h);
    h.set(HttpHeaderNames.AGE, f.ageSeconds());
    ex.resultType = resultType;
    if ("Hit".equals(resultType)) {
      ex.originId = "-";
    }
    ex.respond(r);
  }

  /**
   * Accumulates a fill's body and stores it when the origin's response ended completely. A body
   * that did not arrive whole, or grew past the object size limit, is dropped.
   */
  static final class Filler {
    /** The primary key; a response that varies is stored under its secondary key. */
    private final CacheKey key;

    private CacheKey storeKey;
    private List<String> vary = List.of();
    private final Instant fillStartedAt;
    private final CachedResponse stale;
    private StorageDecision decision;
    private BodyAccumulator body;
    private int status;
    private ResponseHeaders headers;
    private Instant responseTime;
    private String acceptEncoding;
    private String compressTo;

    /**
     * @param stale the stored entry this fill replaces or revalidates, or null
     */
    Filler(CacheKey key, Instant fillStartedAt, CachedResponse stale) {
      this.key = key;
      this.fillStartedAt = fillStartedAt;
      this.stale = stale;
    }

    /** The stored entry this fill replaces, or null. */
    CachedResponse stale() {
      return stale;
    }

    /**
     * The stored headers to revalidate with (a conditional request, RFC 9111 4.3.1), or null when
     * there is no stale entry or it has no validator.
     */
    ResponseHeaders revalidating() {
      return stale != null && Validation.hasValidator(stale.headers()) ? stale.headers() : null;
    }

    /**
     * The origin answered our conditional request with 304: the stale entry with its headers
     * updated (RFC 9111 4.3.4) and its freshness renewed, stored when the updated response may be
     * stored. Null when the 304 does not select the stored response (a different ETag): the caller
     * then fetches the object unconditionally.
     */
    CachedResponse refresh(Exchange ex, HttpHeaders notModified) {
      Instant now = ex.runtime.clock().instant();
      ResponseHeaders.Builder rb = ResponseHeaders.builder();
      for (Map.Entry<String, String> e : notModified) {
        rb.add(e.getKey(), e.getValue());
      }
      if (!notModified.contains(HttpHeaderNames.DATE)) {
        rb.add("Date", CacheDecisions.httpDate(now)); // RFC 9110 6.6.1
      }
      ResponseHeaders update = rb.build();
      if (!Validation.selects(stale.headers(), update)) {
        return null;
      }
      CachePolicy policy = ex.behavior.cachePolicy();
      ResponseHeaders merged = Validation.updatedHeaders(stale.headers(), update);
      List<String> notStored = CacheDecisions.fieldsNotStored(policy, merged);
      StorageDecision d =
          CacheDecisions.storage(
              ex.behavior.cachePolicy(),
              ErrorPages.errorCachingMinTtl(ex, stale.status()),
              "GET",
              ex.request.headers().contains(HttpHeaderNames.AUTHORIZATION),
              stale.status(),
              merged,
              now);
      Duration initialAge = CacheDecisions.initialAge(update, fillStartedAt, now);
      if (!notStored.isEmpty()) {
        merged = merged.without(notStored::contains);
      }
      CachedResponse updated = stale.refreshed(merged, edgeOnly(policy), now, d.ttl(), initialAge);
      if (d.store()) {
        ex.runtime.services().cache().put(updated, fillStartedAt);
      } else {
        ex.runtime.services().cache().remove(stale.key()); // the 304 says no-store now, say
      }
      return updated;
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
              ErrorPages.errorCachingMinTtl(ex, status),
              ex.method,
              ex.request.headers().contains(HttpHeaderNames.AUTHORIZATION),
              status,
              headers,
              responseTime);
      if (!decision.store() || !CacheDecisions.contentEncodingMatches(acceptEncoding, headers)) {
        return false; // e.g. a gzip body from an origin asked for identity: never under that key
      }
      vary = CacheDecisions.varyNames(ex.behavior.cachePolicy(), headers);
      List<String> notStored = CacheDecisions.fieldsNotStored(ex.behavior.cachePolicy(), headers);
      if (!notStored.isEmpty()) {
        headers = headers.without(notStored::contains); // RFC 9111 5.2.2.4, 5.2.2.7
      }
      storeKey = CacheKeys.withVary(key, vary, headerSource(ex.request.headers()));
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
      compressTo =
          Compression.encodingFor(
              ex.behavior.compress(), acceptEncoding, status, headers, expected);
      body = new BodyAccumulator(max, expected);
      return true;
    }

    /**
     * The encoding the stored copy will be compressed to, or null. The viewer of the fill gets the
     * origin's bytes; every later hit the compressed variant.
     */
    String compressTo() {
      return compressTo;
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

    /** Stores the complete response; returns it (null when it did not arrive whole). */
    CachedResponse store(Exchange ex) {
      if (body == null) {
        return null;
      }
      ByteBuffer whole;
      try {
        whole = body.finish();
      } catch (IllegalStateException lengthMismatch) {
        return null; // fewer or more bytes than Content-Length: never stored
      } finally {
        body = null;
      }
      if (compressTo != null) {
        ByteBuffer compressed = Compression.compress(compressTo, whole);
        if (compressed != null) {
          whole = compressed;
          headers = Compression.transformed(headers, compressTo);
        }
      }
      Duration initialAge = CacheDecisions.initialAge(headers, fillStartedAt, responseTime);
      CachedResponse entry =
          CachedResponse.builder()
              .key(storeKey)
              .edgeOnly(edgeOnly(ex.behavior.cachePolicy()))
              .distributionId(ex.distribution.id())
              .path(ex.path)
              .status(status)
              .headers(headers)
              .body(whole)
              .storedAt(responseTime)
              .initialAge(initialAge)
              .ttl(decision.ttl())
              .build();
      CacheStore store = ex.runtime.services().cache();
      if (store.put(entry, fillStartedAt) == CacheStore.PutResult.STORED) {
        store.recordVary(key, vary);
        if (!storeKey.equals(key)) {
          store.remove(key); // an object that did not vary before: its old copy must not answer
        }
      }
      return entry;
    }

    void abort() {
      if (body != null) {
        body.abort();
        body = null;
      }
    }
  }
}
