package io.bulwark.dns.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * Answers DNS over TCP (RFC 7766): each frame is one query after the length-field decoder; several
 * queries may be pipelined on one connection. An idle or misbehaving connection is closed.
 */
public final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private final Supplier<Responder> responder;

  public TcpHandler(Supplier<Responder> responder) {
    this.responder = responder;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    byte[] query = ByteBufUtil.getBytes(frame);
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    List<byte[]> out = responder.get().respond(query, remote.getAddress(), true);
    if (out.isEmpty()) {
      ctx.close(); // nothing sensible to say over a stream: drop the connection
      return;
    }
    for (byte[] r : out) {
      ByteBuf buf = ctx.alloc().buffer(2 + r.length);
      buf.writeShort(r.length).writeBytes(r);
      ctx.write(buf);
    }
    ctx.flush();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
