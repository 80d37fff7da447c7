package io.bulwark.edge.internal;

import io.bulwark.cache.CacheDecisions;
import io.bulwark.config.CustomErrorResponse;
import io.bulwark.core.ErrorKind;
import io.bulwark.core.ErrorSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Custom error responses (CloudFront's CustomErrorResponses): the distribution's page for an error
 * status, sent instead of the error.
 *
 * <p><b>Where.</b> The hook is the exchange's response itself ({@link Exchange#takeover}),
 * installed when the cache phase starts, so every error the viewer would get from then on is seen,
 * however it came about: an origin's response (a miss, a pass-through, the last member after
 * failover, any method, as CloudFront does), a stored error served from the cache, or the edge's
 * own 502/504 for an origin it could not reach. What happens before the cache phase (an unknown
 * host, a web ACL block, a method the behavior does not allow, plain HTTP to an HTTPS-only
 * behavior) and the edge's own 4xx/500 ({@link ErrorKind} not from the origin) are never replaced:
 * a WAF block must stay a block, and a malformed request gets the edge's answer.
 *
 * <p><b>The error is still read and cached.</b> An origin's error is not sent but read to its end,
 * so the cache phase stores it (for the cache policy's error caching TTL or the status's own {@link
 * #errorCachingMinTtl}) exactly as it would have: a failing origin is asked once per TTL, not once
 * per viewer, and a body cut short is never stored. Its bytes are also held (up to the cache's
 * max-object-bytes) to be sent after all if the page cannot be had.
 *
 * <p><b>The page</b> is fetched once the error has ended (so the error's own fill is complete and a
 * page path equal to the failing path finds the stored error instead of waiting on itself): a GET
 * of the page path on the same host, with the viewer's headers minus its body, range and
 * conditional fields, through the behavior that matches the path and through the cache, so a page
 * is fetched from its origin once per TTL and collapsed like any object. It is not checked by the
 * web ACL (the viewer's request was) and makes no access-log line of its own. The viewer gets the
 * page's body with its Content-Type (and Content-Encoding, Content-Language), the status {@code
 * response-code} or else the original one; a HEAD gets the headers only.
 *
 * <p><b>Never a loop.</b> A page request's responses are captured, never replaced: a page that is
 * itself missing or failing (not 2xx), cannot be reached, or is larger than max-object-bytes leaves
 * the viewer with the original error, as if no page were configured. (CloudFront sends the page
 * origin's status in that case; the original error says more about what went wrong.)
 */
final class ErrorPages {
  private ErrorPages() {}

  /** Takes a response over before the exchange writes it. */
  interface Takeover {
    /** A complete response; true when it was taken (its ownership passes with it). */
    boolean takeFull(Exchange ex, FullHttpResponse r);

    /** A streamed response's head; where its content goes, or null to let it go to the viewer. */
    StreamSink takeStream(Exchange ex, HttpResponse r);
  }

  /** The content of a taken-over streamed response. */
  interface StreamSink {
    /** A piece of the body (released here); the last one is a {@link LastHttpContent}. */
    void content(HttpContent c);

    /** The body will not end: the origin failed mid-body. */
    void abort();
  }

  /** Request fields a page request does not copy from the viewer's: it is a plain GET. */
  private static final Set<String> NOT_COPIED =
      Set.of(
          "content-length",
          "content-type",
          "content-encoding",
          "transfer-encoding",
          "expect",
          "range",
          "if-range",
          "if-match",
          "if-none-match",
          "if-modified-since",
          "if-unmodified-since");

  /** Phase 8's hook, at the start of the cache phase: nothing to do without a page. */
  static void install(Exchange ex) {
    if (ex.distribution.hasCustomErrorPages()) {
      ex.takeover = VIEWER;
    }
  }

  /**
   * The distribution's error-caching-min-ttl for this status, or null for the cache policy's error
   * caching TTL (the storage decision takes it, {@link CacheDecisions#storage}).
   */
  static Duration errorCachingMinTtl(Exchange ex, int status) {
    return ex.distribution.errorCachingMinTtl(status);
  }

  /** The viewer's takeover: an error with a page is held and the page fetched. */
  private static final Takeover VIEWER =
      new Takeover() {
        @Override
        public boolean takeFull(Exchange ex, FullHttpResponse r) {
          CustomErrorResponse c = pageFor(ex, r.status().code());
          if (c == null) {
            return false;
          }
          ex.takeover = null; // one page per request: what answers now is sent as it is
          fetchLater(ex, c, new StoredOriginal(r));
          return true;
        }

        @Override
        public StreamSink takeStream(Exchange ex, HttpResponse r) {
          CustomErrorResponse c = pageFor(ex, r.status().code());
          if (c == null) {
            return null;
          }
          ex.takeover = null;
          return new StreamedOriginal(ex, c, r);
        }
      };

  private static CustomErrorResponse pageFor(Exchange ex, int status) {
    if (status < 400 || (ex.edgeError != null && ex.edgeError.source() != ErrorSource.ORIGIN)) {
      return null;
    }
    CustomErrorResponse c = ex.distribution.customErrorResponse(status);
    return c != null && c.hasPage() ? c : null;
  }

  private static long maxBytes(Exchange ex) {
    return ex.runtime.snapshot().cache().maxObjectBytes();
  }

  /** After the current call stack: the error's fill completes first (see the class comment). */
  private static void fetchLater(Exchange viewer, CustomErrorResponse c, Original original) {
    viewer.ctx.executor().execute(() -> fetch(viewer, c, original));
  }

  private static void fetch(Exchange viewer, CustomErrorResponse c, Original original) {
    PageCapture capture = new PageCapture(viewer, c, original);
    Exchange page =
        Exchange.pageRequest(viewer, pageRequest(viewer, c.responsePagePath()), capture);
    page.distribution = viewer.distribution;
    page.behavior = page.distribution.behaviorFor(page.path);
    try {
      CacheAccess.lookupOrFetch(page);
    } catch (RuntimeException e) {
      capture.give(); // the viewer still gets its answer: the original error
      throw e;
    }
  }

  static FullHttpRequest pageRequest(Exchange viewer, String pagePath) {
    DefaultFullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, pagePath, Unpooled.EMPTY_BUFFER);
    HttpHeaders h = r.headers();
    for (Map.Entry<String, String> e : viewer.request.headers()) {
      if (!NOT_COPIED.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        h.add(e.getKey(), e.getValue());
      }
    }
    return r;
  }

  /** The error a page replaces: sent as it was when the page cannot be had. */
  private abstract static class Original {
    abstract int status();

    abstract void send(Exchange viewer);

    abstract void discard();
  }

  /** A complete error response: from the cache, or the edge's own 502/504. */
  private static final class StoredOriginal extends Original {
    private final FullHttpResponse response;

    StoredOriginal(FullHttpResponse response) {
      this.response = response;
    }

    @Override
    int status() {
      return response.status().code();
    }

    @Override
    void send(Exchange viewer) {
      viewer.respond(response);
    }

    @Override
    void discard() {
      response.release();
    }
  }

  /**
   * An origin's streamed error: read to its end (the cache phase stores it meanwhile), its bytes
   * held up to max-object-bytes, then the page fetched.
   */
  private static final class StreamedOriginal extends Original implements StreamSink {
    private final Exchange viewer;
    private final CustomErrorResponse custom;
    private final HttpResponse head;
    private final long max;
    private ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean broken;
    private boolean ended;

    StreamedOriginal(Exchange viewer, CustomErrorResponse custom, HttpResponse head) {
      this.viewer = viewer;
      this.custom = custom;
      this.head = head;
      this.max = maxBytes(viewer);
    }

    @Override
    public void content(HttpContent c) {
      try {
        ByteBuf b = c.content();
        if (body != null && b.isReadable()) {
          if (body.size() + (long) b.readableBytes() > max) {
            body = null; // too large to hold: if the page fails, the edge's own text stands in
          } else {
            body.writeBytes(ByteBufUtil.getBytes(b));
          }
        }
      } finally {
        c.release();
      }
      if (c instanceof LastHttpContent) {
        end();
      }
    }

    @Override
    public void abort() {
      broken = true;
      end();
    }

    private void end() {
      if (ended) {
        return;
      }
      ended = true;
      viewer.sink = null;
      fetchLater(viewer, custom, this);
    }

    @Override
    int status() {
      return head.status().code();
    }

    @Override
    void send(Exchange viewer) {
      if (broken) {
        // What the viewer would have had without a page was a cut-off body; a whole answer is
        // kinder and no less true.
        viewer.respondError(ErrorKind.ORIGIN_CONNECTION_RESET, viewer.detailedResultType);
        return;
      }
      if (body == null) {
        HttpResponseStatus s = head.status();
        viewer.respondText(
            s.code(), s.code() + " " + s.reasonPhrase() + "\n", viewer.resultType, null);
        return;
      }
      byte[] bytes = body.toByteArray();
      FullHttpResponse r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              head.status(),
              viewer.isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
      r.headers().set(head.headers());
      r.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
      if (!viewer.isHead()) {
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
      }
      viewer.respond(r);
    }

    @Override
    void discard() {
      body = null;
    }
  }

  /**
   * The page request's takeover: captures the page (any way it is answered: a hit, a fill, the
   * edge's own error) and then answers the viewer with it, or with the original error.
   */
  private static final class PageCapture implements Takeover, StreamSink {
    private final Exchange viewer;
    private final CustomErrorResponse custom;
    private final Original original;
    private final long max;
    private HttpHeaders headers;
    private ByteArrayOutputStream body = new ByteArrayOutputStream();
    private boolean done;

    PageCapture(Exchange viewer, CustomErrorResponse custom, Original original) {
      this.viewer = viewer;
      this.custom = custom;
      this.original = original;
      this.max = maxBytes(viewer);
    }

    @Override
    public boolean takeFull(Exchange page, FullHttpResponse r) {
      try {
        if (usable(r)) {
          headers = r.headers();
          append(r.content());
        }
      } finally {
        r.release();
      }
      give();
      return true;
    }

    @Override
    public StreamSink takeStream(Exchange page, HttpResponse r) {
      if (usable(r)) {
        headers = r.headers();
      }
      return this;
    }

    @Override
    public void content(HttpContent c) {
      try {
        if (headers != null) {
          append(c.content());
        }
      } finally {
        c.release();
      }
      if (c instanceof LastHttpContent) {
        give();
      }
    }

    @Override
    public void abort() {
      headers = null;
      give();
    }

    /** A page is a 2xx; anything else (404, 5xx, the edge's own error) is no page. */
    private static boolean usable(HttpResponse r) {
      int code = r.status().code();
      return code >= 200 && code < 300 && code != 206;
    }

    private void append(ByteBuf b) {
      if (body == null || !b.isReadable()) {
        return;
      }
      if (body.size() + (long) b.readableBytes() > max) {
        body = null; // not a page to hold in memory
        headers = null;
        return;
      }
      body.writeBytes(ByteBufUtil.getBytes(b));
    }

    /** Answers the viewer: the page when there is one, else the original error. */
    void give() {
      if (done) {
        return;
      }
      done = true;
      if (headers == null || body == null) {
        original.send(viewer);
        return;
      }
      original.discard();
      byte[] bytes = body.toByteArray();
      FullHttpResponse r =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.valueOf(custom.statusWithPage(original.status())),
              viewer.isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
      HttpHeaders h = r.headers();
      copy(headers, h, HttpHeaderNames.CONTENT_TYPE);
      copy(headers, h, HttpHeaderNames.CONTENT_ENCODING);
      copy(headers, h, HttpHeaderNames.CONTENT_LANGUAGE);
      if (headers.contains(HttpHeaderNames.CONTENT_ENCODING)) {
        copy(headers, h, HttpHeaderNames.VARY); // the bytes depend on the viewer's encodings
      }
      h.set(HttpHeaderNames.DATE, CacheDecisions.httpDate(viewer.runtime.clock().instant()));
      h.set(HttpHeaderNames.CONTENT_LENGTH, bytes.length); // HEAD: the GET's, RFC 9110 9.3.2
      viewer.respond(r);
    }

    private static void copy(HttpHeaders from, HttpHeaders to, CharSequence name) {
      for (String v : from.getAll(name)) {
        to.add(name, v);
      }
    }
  }
}
