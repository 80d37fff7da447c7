package io.bulwark.edge.internal;

import io.bulwark.core.ErrorKind;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One pooled keep-alive connection to an origin and the exchange currently running on it. Lives in
 * the origin channel's pipeline after the HTTP client codec. At most one request is in flight per
 * connection (no pipelining to origins: a failure then affects exactly one request).
 *
 * <p>Truncation: a response is complete only when the codec delivers its {@link LastHttpContent}
 * with a successful decoder result. A connection that closes before that, with a Content-Length not
 * yet reached or a chunked body unfinished, is reported as {@link
 * ErrorKind#ORIGIN_CONNECTION_RESET} — never as a complete body, so it is never stored.
 */
final class OriginConnection extends ChannelInboundHandlerAdapter {
  /** Receives one response. All calls happen on the origin channel's event loop. */
  interface Listener {
    /** Headers arrived. Return false to abandon the exchange (the connection is then closed). */
    boolean onHeaders(HttpResponse response);

    /**
     * An interim 1xx response (not 101) arrived ahead of the final one, which is still to come (RFC
     * 9110 15.2). Its (empty) body is consumed here; the listener must not keep {@code interim}
     * beyond the call.
     */
    default void onInterim(HttpResponse interim) {}

    /** A piece of the body; the listener owns (must release) {@code content}. */
    void onContent(HttpContent content);

    /** The body ended completely. {@code reusable}: the connection went back to the pool. */
    void onComplete();

    /**
     * The exchange failed. {@code beforeResponse}: no byte of a response had arrived, and {@code
     * reused}: the connection had served earlier requests (so a fresh one may succeed).
     */
    void onError(ErrorKind kind, String detail, boolean beforeResponse, boolean reused);
  }

  /** Bumped each time the connection goes idle, so a stale expiry task does nothing. */
  long idleGeneration;

  private final OriginPool.Key key;
  private final OriginPool pool;
  private Channel channel;
  private Listener listener;
  private boolean headersSeen;

  /** An interim 1xx response was read: its empty end-of-message part is dropped too. */
  private boolean skippingInterim;

  private boolean keepAlive;
  private int requestsServed;
  private long responseTimeoutNanos;
  private ScheduledFuture<?> timeout;
  private long lastReadNanos;

  OriginConnection(OriginPool.Key key, OriginPool pool) {
    this.key = key;
    this.pool = pool;
  }

  OriginPool.Key key() {
    return key;
  }

  Channel channel() {
    return channel;
  }

  boolean reused() {
    return requestsServed > 0;
  }

  private OriginResponseDecoder decoder;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.channel = ctx.channel();
    this.decoder = ctx.pipeline().get(OriginResponseDecoder.class);
  }

  /** Sends {@code request} (ownership passes to the channel) and reports to {@code l}. */
  void send(FullHttpRequest request, Listener l, long responseTimeoutNanos) {
    this.listener = l;
    this.headersSeen = false;
    this.skippingInterim = false;
    if (decoder != null) {
      decoder.expect(request.method() == io.netty.handler.codec.http.HttpMethod.HEAD);
    }
    this.responseTimeoutNanos = responseTimeoutNanos;
    this.lastReadNanos = System.nanoTime();
    if (timeout == null) {
      timeout =
          channel
              .eventLoop()
              .schedule(this::checkTimeout, responseTimeoutNanos, TimeUnit.NANOSECONDS);
    }
    channel
        .writeAndFlush(request)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                fail(ErrorKind.ORIGIN_CONNECTION_RESET, "write failed: " + describe(f.cause()));
              }
            });
  }

  /** Stops the current exchange and closes the connection (its body will not be read). */
  void abandon() {
    listener = null;
    channel.close();
  }

  /** Backpressure from the viewer: stop or resume reading the origin's body. */
  void setReading(boolean read) {
    channel.config().setAutoRead(read);
    if (read) {
      channel.read();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Listener l = listener;
    if (l == null) {
      // A response nobody waits for (late bytes after abandon/timeout): drop it and the connection.
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    lastReadNanos = System.nanoTime();
    if (msg instanceof HttpResponse response) {
      DecoderResult dr = response.decoderResult();
      if (!dr.isSuccess()) {
        ReferenceCountUtil.release(msg);
        fail(ErrorKind.ORIGIN_PROTOCOL_ERROR, "malformed response: " + describe(dr.cause()));
        return;
      }
      int code = response.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        // RFC 9110 15.2: an interim response, the final one follows on this connection. Taking it
        // as the final response (as this did for 102 and 103) answered the viewer with it, put the
        // connection back in the pool with the real response still to come, and hung the viewer.
        skippingInterim = !(msg instanceof LastHttpContent);
        l.onInterim(response);
        ReferenceCountUtil.release(msg);
        return;
      }
      headersSeen = true;
      keepAlive = HttpUtil.isKeepAlive(response);
      if (!l.onHeaders(response)) {
        abandon();
        if (msg instanceof HttpContent c) {
          c.release();
        }
        return;
      }
    }
    if (msg instanceof HttpContent content) {
      if (skippingInterim) {
        skippingInterim = !(content instanceof LastHttpContent);
        content.release();
        return;
      }
      DecoderResult dr = content.decoderResult();
      if (!dr.isSuccess()) {
        content.release();
        fail(ErrorKind.ORIGIN_PROTOCOL_ERROR, "malformed body: " + describe(dr.cause()));
        return;
      }
      boolean last = content instanceof LastHttpContent;
      Listener current = listener;
      current.onContent(content);
      if (listener != current) {
        return; // the listener abandoned the exchange from inside onContent: nothing more to do
      }
      if (last) {
        Listener done = listener;
        listener = null;
        requestsServed++;
        // Bytes after the end of the response answer nothing: the connection is closed, never
        // pooled, or they would be read as the next viewer's response (OriginResponseDecoder).
        boolean stray = decoder != null && decoder.strayBytesAfterResponse();
        if (keepAlive && !stray && channel.isActive()) {
          channel.config().setAutoRead(true);
          pool.release(this);
        } else {
          channel.close();
        }
        done.onComplete();
      }
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent hs && !hs.isSuccess()) {
      fail(ErrorKind.ORIGIN_TLS_FAILURE, describe(hs.cause()));
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pool.forget(this);
    if (listener != null) {
      fail(
          ErrorKind.ORIGIN_CONNECTION_RESET,
          headersSeen ? "connection closed before the body ended" : "connection closed");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ErrorKind kind =
        cause instanceof SSLException || cause.getCause() instanceof SSLException
            ? ErrorKind.ORIGIN_TLS_FAILURE
            : cause instanceof SocketException || cause instanceof IOException
                ? ErrorKind.ORIGIN_CONNECTION_RESET
                : ErrorKind.ORIGIN_PROTOCOL_ERROR;
    fail(kind, describe(cause));
    ctx.close();
  }

  private void fail(ErrorKind kind, String detail) {
    Listener l = listener;
    listener = null;
    channel.close();
    if (l != null) {
      l.onError(kind, detail, !headersSeen, requestsServed > 0);
    }
  }

  /**
   * The response timeout covers the wait for headers and every gap between body reads. The timer is
   * lazy: a request records when bytes last arrived, and one pending task per connection checks
   * that when it fires, re-arming for what is left, so back-to-back requests on a keep-alive
   * connection do not reprogram the event loop's timer (a system call) twice each.
   */
  private void checkTimeout() {
    timeout = null;
    if (listener == null || !channel.isActive()) {
      return; // idle in the pool: the next send() arms a new check
    }
    long idle = System.nanoTime() - lastReadNanos;
    if (idle >= responseTimeoutNanos) {
      fail(
          ErrorKind.ORIGIN_RESPONSE_TIMEOUT,
          "no response bytes for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms");
    } else {
      timeout =
          channel
              .eventLoop()
              .schedule(this::checkTimeout, responseTimeoutNanos - idle, TimeUnit.NANOSECONDS);
    }
  }

  static String describe(Throwable t) {
    if (t == null) {
      return "unknown";
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
