package io.bulwark.edge.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Slowloris guard: once the first byte of a request arrives, the whole request (headers and body)
 * must arrive within the request timeout, or the viewer gets 408 and the connection closes. Sits
 * before the HTTP codec, so it works on bytes and answers with bytes; {@link ViewerConnection}
 * tells it when a request is complete ({@link #requestReceived}) and when its response is done
 * ({@link #responseDone}). Idle keep-alive connections are the idle timeout's business, not this.
 */
final class RequestTimeoutHandler extends ChannelDuplexHandler {
  private static final byte[] TIMEOUT =
      ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
              + "Content-Length: 21\r\nConnection: close\r\nX-Cache: Error from bulwark\r\n\r\n"
              + "408 Request timed out")
          .getBytes(StandardCharsets.US_ASCII);

  private final long timeoutNanos;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  private boolean busy;

  RequestTimeoutHandler(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!busy && timer == null) {
      timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    }
    ctx.fireChannelRead(msg);
  }

  /** A complete request arrived: the timer stops until its response has been written. */
  void requestReceived() {
    busy = true;
    cancel();
  }

  void responseDone() {
    busy = false;
  }

  private void expire() {
    timer = null;
    if (!busy && ctx.channel().isActive()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }
}
