package io.bulwark.edge.internal;

import io.bulwark.config.Behavior;
import io.bulwark.config.Distribution;
import io.bulwark.core.Attributes;
import io.bulwark.core.ErrorKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

/**
 * One viewer request on its way through the phases: the request, what routing decided, and the
 * means to answer it. Every way of answering ends in {@link #finish}, which runs the logging phase
 * exactly once, whatever ended the request.
 *
 * <p>A response may be taken over before it reaches the viewer ({@link #takeover}): from the cache
 * phase on, an error the distribution has a custom page for is replaced by that page ({@link
 * ErrorPages}). The page itself is fetched by a second exchange on the same connection, a page
 * request, whose response is captured instead of written and which is never logged.
 */
final class Exchange {
  final ChannelHandlerContext ctx;
  final ViewerConnection connection;
  final FullHttpRequest request;
  final EdgeRuntime runtime;
  final long startNanos;
  final long startMillis;
  final boolean secure;
  final Attributes attrs = new Attributes();

  /** Path without query, as sent (not decoded): what behaviors and the cache key see. */
  final String path;

  /** Raw query without "?", or null. */
  final String rawQuery;

  final String method;
  Distribution distribution;
  Behavior behavior;

  /** Labels the web ACL added, for the log; empty without a web ACL. */
  java.util.List<String> wafLabels = java.util.List.of();

  // What the log phase reports.
  int status;
  long bytesOut;
  String resultType = "Error";
  String detailedResultType = "-";
  String originId = "-";
  int failovers;
  boolean keepAlive;

  /**
   * Takes a response over before it is written, or null: from the cache phase on, the
   * distribution's custom error pages; for a page request, the capture of the page.
   */
  ErrorPages.Takeover takeover;

  /** Where the content of a taken-over streamed response goes, or null. */
  ErrorPages.StreamSink sink;

  /** The kind of the edge's own error being sent ({@link #respondError}), or null. */
  ErrorKind edgeError;

  /** A request the edge makes for a custom error page: captured, never written, never logged. */
  final boolean pageRequest;

  private boolean finished;
  private boolean streaming;

  Exchange(
      ChannelHandlerContext ctx,
      ViewerConnection connection,
      FullHttpRequest request,
      EdgeRuntime runtime,
      boolean secure) {
    this(ctx, connection, request, runtime, secure, null);
  }

  private Exchange(
      ChannelHandlerContext ctx,
      ViewerConnection connection,
      FullHttpRequest request,
      EdgeRuntime runtime,
      boolean secure,
      ErrorPages.Takeover capture) {
    this.ctx = ctx;
    this.connection = connection;
    this.request = request;
    this.runtime = runtime;
    this.secure = secure;
    this.startNanos = System.nanoTime();
    this.startMillis = runtime.clock().millis();
    this.method = request.method().name();
    String uri = request.uri();
    int q = uri.indexOf('?');
    this.path = q >= 0 ? uri.substring(0, q) : uri;
    this.rawQuery = q >= 0 ? uri.substring(q + 1) : null;
    this.keepAlive = HttpUtil.isKeepAlive(request);
    this.takeover = capture;
    this.pageRequest = capture != null;
  }

  /**
   * A request the edge makes for itself on the viewer's connection and event loop (a custom error
   * page): every response it gets goes to {@code capture}.
   */
  static Exchange pageRequest(
      Exchange viewer, FullHttpRequest request, ErrorPages.Takeover capture) {
    return new Exchange(
        viewer.ctx, viewer.connection, request, viewer.runtime, viewer.secure, capture);
  }

  boolean isHead() {
    return "HEAD".equals(method);
  }

  /** Answers with a short text body and the given result type. */
  void respondText(int code, String text, String resultType, HttpHeaders extra) {
    ByteBuf body =
        isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), body);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    HttpUtil.setContentLength(r, text.getBytes(StandardCharsets.UTF_8).length);
    if (extra != null) {
      r.headers().add(extra);
    }
    this.resultType = resultType;
    respond(r);
  }

  /** Ends the request with an error from the vocabulary, from the edge itself. */
  void respondError(ErrorKind kind, String detail) {
    this.detailedResultType = detail;
    this.edgeError = kind;
    if (kind.source() == io.bulwark.core.ErrorSource.VIEWER) {
      keepAlive = keepAlive && kind.status() != 400 && kind.status() != 408;
    }
    respondText(kind.status(), kind.status() + " " + kind.reason() + "\n", "Error", null);
  }

  /** Writes a complete response and finishes the exchange. */
  void respond(FullHttpResponse r) {
    if (takeover != null && takeover.takeFull(this, r)) {
      return; // a custom error page answers instead, or this is a page request's capture
    }
    status = r.status().code();
    bytesOut = r.content().readableBytes();
    decorate(r);
    ctx.writeAndFlush(r).addListener(f -> finish(f.isSuccess()));
  }

  /**
   * Forwards an interim 1xx response (RFC 9110 15.2) ahead of the final one: only to an HTTP/1.1
   * viewer (RFC 9110 15.2: never to 1.0) and only before anything else was written.
   */
  void sendInterim(HttpResponse interim) {
    if (finished || streaming || request.protocolVersion() != HttpVersion.HTTP_1_1) {
      return;
    }
    interim.headers().add(HttpHeaderNames.VIA, EdgeRuntime.VIA_VALUE);
    ctx.writeAndFlush(
        new DefaultFullHttpResponse(
            interim.protocolVersion(),
            interim.status(),
            Unpooled.EMPTY_BUFFER,
            interim.headers(),
            io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE));
  }

  /** Starts a streamed response: headers now, body with {@link #streamContent}. */
  void startStream(HttpResponse r) {
    if (takeover != null) {
      sink = takeover.takeStream(this, r);
      if (sink != null) {
        return; // read, not sent: a custom error page answers instead, or a page is captured
      }
    }
    status = r.status().code();
    streaming = true;
    decorate(r);
    ctx.write(r);
  }

  void streamContent(HttpContent c) {
    if (sink != null) {
      sink.content(c);
      return;
    }
    bytesOut += c.content().readableBytes();
    if (c instanceof LastHttpContent) {
      ctx.writeAndFlush(c).addListener(f -> finish(f.isSuccess()));
    } else {
      ctx.writeAndFlush(c);
    }
  }

  /**
   * A streamed response cannot be completed (the origin failed mid-body): close the connection so
   * the viewer sees a truncated response, never a wrong complete one.
   */
  void abortStream(String detail) {
    detailedResultType = detail;
    if (sink != null) {
      sink.abort(); // nothing was sent: the taker decides what the viewer gets
      return;
    }
    keepAlive = false;
    ctx.flush();
    ctx.close();
    finish(false);
  }

  boolean isStreaming() {
    return streaming;
  }

  /**
   * Whether the viewer's connection takes more bytes now (backpressure on the origin). A response
   * that is read but not sent (a page request, an error being replaced) is never held back by it.
   */
  boolean viewerWritable() {
    return sink != null || pageRequest || ctx.channel().isWritable();
  }

  private void decorate(HttpResponse r) {
    HttpHeaders h = r.headers();
    h.add(HttpHeaderNames.VIA, EdgeRuntime.VIA_VALUE);
    h.set(EdgeRuntime.X_CACHE, xCacheValue(resultType));
    if (!keepAlive) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  static String xCacheValue(String resultType) {
    return switch (resultType) {
      case "Hit" -> "Hit from bulwark";
      case "RefreshHit" -> "RefreshHit from bulwark";
      case "StaleHit" -> "StaleHit from bulwark";
      case "Miss" -> "Miss from bulwark";
      case "Redirect" -> "Redirect from bulwark";
      default -> "Error from bulwark";
    };
  }

  /** The logging phase: always runs, exactly once, however the request ended. */
  void finish(boolean writeSucceeded) {
    if (finished) {
      return;
    }
    finished = true;
    if (pageRequest) {
      request.release(); // not the viewer's request: the viewer's exchange logs and ends
      return;
    }
    if (!writeSucceeded) {
      keepAlive = false;
      if ("-".equals(detailedResultType)) {
        detailedResultType = "ClientCommError";
      }
    }
    RequestPhases.log(this);
    request.release();
    connection.exchangeDone(this, keepAlive && writeSucceeded);
  }

  boolean finished() {
    return finished;
  }
}
