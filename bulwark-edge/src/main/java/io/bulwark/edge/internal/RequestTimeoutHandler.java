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
 *
 * <p>The timer is lazy, as Netty's IdleStateHandler is: a request only records when it started; one
 * pending task per connection checks that time when it fires and re-arms itself for what is left.
 * Scheduling and cancelling a task per request would reprogram the event loop's timer (a system
 * call) twice for every request.
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

  /** When the first byte of the request being received arrived; 0 when none is being received. */
  private long receivingSince;

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
    if (!busy && receivingSince == 0) {
      receivingSince = System.nanoTime();
      if (timer == null) {
        timer = ctx.executor().schedule(this::check, timeoutNanos, TimeUnit.NANOSECONDS);
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** A complete request arrived: the clock stops until its response has been written. */
  void requestReceived() {
    busy = true;
    receivingSince = 0;
  }

  void responseDone() {
    busy = false;
  }

  private void check() {
    timer = null;
    if (!ctx.channel().isActive() || receivingSince == 0 || busy) {
      return; // nothing being received: no task until the next request starts
    }
    long left = timeoutNanos - (System.nanoTime() - receivingSince);
    if (left > 0) {
      timer = ctx.executor().schedule(this::check, left, TimeUnit.NANOSECONDS);
      return;
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    super.channelInactive(ctx);
  }
}
