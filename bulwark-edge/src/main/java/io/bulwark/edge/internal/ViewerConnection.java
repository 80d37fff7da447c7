package io.bulwark.edge.internal;

import io.bulwark.core.ErrorKind;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Supplier;

/**
 * One viewer connection. Requests are handled one at a time: reading stops while a request is in
 * flight and resumes when its response is written, which also answers pipelined requests in order.
 * A request that cannot be parsed is answered 400 (414, 431) and the connection is closed, since
 * the stream position can no longer be trusted.
 */
final class ViewerConnection extends ChannelInboundHandlerAdapter {
  private final Supplier<EdgeRuntime> runtime;
  private final boolean secure;
  private final RequestTimeoutHandler timeout;
  private ChannelHandlerContext ctx;
  private Exchange current;

  /** Pipelined requests waiting for the one in flight; at most {@value #MAX_PIPELINED}. */
  private final java.util.ArrayDeque<FullHttpRequest> pipelined = new java.util.ArrayDeque<>(2);

  static final int MAX_PIPELINED = 16;

  ViewerConnection(Supplier<EdgeRuntime> runtime, boolean secure, RequestTimeoutHandler timeout) {
    this.runtime = runtime;
    this.secure = secure;
    this.timeout = timeout;
  }

  private String clientIp;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** The viewer's address as text, computed once per connection (logs, X-Forwarded-For, WAF). */
  String clientIp() {
    String ip = clientIp;
    if (ip == null) {
      ip = OriginRequests.computeClientIp(ctx);
      clientIp = ip;
    }
    return ip;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    runtime.get().shared().metrics.connectionOpened();
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest req)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (current != null) {
      pipelined.add(req);
      if (pipelined.size() >= MAX_PIPELINED) {
        ctx.channel().config().setAutoRead(false); // resumed when the queue drains
      }
      return;
    }
    start(req);
  }

  private void start(FullHttpRequest req) {
    timeout.requestReceived();
    Exchange ex = new Exchange(ctx, this, req, runtime.get(), secure);
    current = ex;
    DecoderResult dr = req.decoderResult();
    if (!dr.isSuccess()) {
      ex.keepAlive = false;
      ex.respondError(classify(dr.cause()), "MalformedRequest");
      return;
    }
    try {
      RequestPhases.run(ex);
    } catch (RuntimeException e) {
      if (!ex.finished()) {
        if (ex.isStreaming()) {
          ex.abortStream("InternalError");
        } else {
          ex.keepAlive = false;
          ex.respondError(ErrorKind.INTERNAL, "InternalError");
        }
      }
      throw e;
    }
  }

  static ErrorKind classify(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return ErrorKind.URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return ErrorKind.REQUEST_HEADERS_TOO_LARGE;
    }
    if (cause instanceof TooLongFrameException) {
      return ErrorKind.PAYLOAD_TOO_LARGE;
    }
    return ErrorKind.BAD_REQUEST;
  }

  /** Called once per exchange by {@link Exchange#finish}. */
  void exchangeDone(Exchange ex, boolean keepAlive) {
    if (current == ex) {
      current = null;
    }
    timeout.responseDone();
    if (!keepAlive) {
      releasePipelined();
      ctx.close();
      return;
    }
    FullHttpRequest next = pipelined.poll();
    if (next != null) {
      ctx.executor().execute(() -> start(next)); // not from inside the previous write's listener
    } else if (!ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void releasePipelined() {
    FullHttpRequest r;
    while ((r = pipelined.poll()) != null) {
      r.release();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    Exchange ex = current;
    if (ex != null) {
      OriginFetch f = ex.attrs.get(OriginFetch.KEY);
      if (f != null) {
        f.viewerWritabilityChanged(ctx.channel().isWritable());
      }
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent && current == null) {
      ctx.close(); // idle keep-alive connection
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    runtime.get().shared().metrics.connectionClosed();
    releasePipelined();
    Exchange ex = current;
    if (ex != null) {
      OriginFetch f = ex.attrs.get(OriginFetch.KEY);
      if (f != null) {
        f.viewerGone();
      }
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and TLS errors from viewers are ordinary; nothing to log at this level.
    ctx.close();
  }
}
