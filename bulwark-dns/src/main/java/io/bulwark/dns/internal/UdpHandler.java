package io.bulwark.dns.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * Answers UDP queries on the event loop: the answer is a pure in-memory computation, so a hop to
 * another thread would cost more than it saves. A query whose answer is cached is answered from the
 * cache without parsing it into objects; the others take {@link Responder#respond}.
 *
 * <p>Answers are written as the queries arrive and flushed once per read batch, so the epoll
 * transport sends a batch with one {@code sendmmsg} instead of one system call per answer. The
 * answers of a batch share one direct buffer (each is a slice of it), rather than one pooled
 * allocation each. Errors never close the socket.
 *
 * <p>One instance per channel (not sharable): its scratch buffers are used only on the channel's
 * event loop.
 */
public final class UdpHandler extends ChannelInboundHandlerAdapter {
  /** The shared answer buffer of a batch; a larger answer gets a buffer of its own. */
  static final int BATCH_BUFFER = 16 * 1024;

  private final Supplier<Responder> responder;
  private final byte[] query = new byte[Responder.MAX_CACHED_QUERY];
  private final byte[] answer = new byte[Responder.MAX_CACHED_ANSWER];
  private ByteBuf batch;

  public UdpHandler(Supplier<Responder> responder) {
    this.responder = responder;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket packet)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    Responder r = responder.get();
    InetSocketAddress sender = packet.sender();
    int n = -1;
    List<byte[]> out = null;
    try {
      ByteBuf content = packet.content();
      int length = content.readableBytes();
      if (length <= query.length) {
        content.getBytes(content.readerIndex(), query, 0, length);
        n = r.cachedUdpAnswer(query, length, answer);
      }
      if (n < 0) {
        out = r.respond(ByteBufUtil.getBytes(content), sender.getAddress(), false);
      }
    } finally {
      packet.release();
    }
    if (n >= 0) {
      send(ctx, answer, n, sender);
      return;
    }
    for (byte[] a : out) {
      send(ctx, a, a.length, sender);
    }
  }

  private void send(ChannelHandlerContext ctx, byte[] bytes, int length, InetSocketAddress to) {
    ByteBuf buf;
    if (length > BATCH_BUFFER / 4) {
      buf = ctx.alloc().directBuffer(length).writeBytes(bytes, 0, length);
    } else {
      if (batch == null || batch.writableBytes() < length) {
        releaseBatch();
        batch = ctx.alloc().directBuffer(BATCH_BUFFER, BATCH_BUFFER);
      }
      int at = batch.writerIndex();
      batch.writeBytes(bytes, 0, length);
      buf = batch.retainedSlice(at, length);
    }
    ctx.write(new DatagramPacket(buf, to), ctx.voidPromise());
  }

  private void releaseBatch() {
    if (batch != null) {
      batch.release(); // the slices still queued keep it alive until they are sent
      batch = null;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
    releaseBatch();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseBatch();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // An ICMP error for one client or a bad packet must not stop the socket serving the others.
  }
}
