package io.bulwark.dns.internal;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.List;
import java.util.function.Supplier;

/**
 * Answers UDP queries on the event loop: the answer is a pure in-memory computation, so a hop to
 * another thread would cost more than it saves. Errors never close the socket.
 */
@ChannelHandler.Sharable
public final class UdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private final Supplier<Responder> responder;

  public UdpHandler(Supplier<Responder> responder) {
    this.responder = responder;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    byte[] query = ByteBufUtil.getBytes(packet.content());
    List<byte[]> out = responder.get().respond(query, packet.sender().getAddress(), false);
    for (byte[] r : out) {
      ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(r), packet.sender()));
    }
    if (!out.isEmpty()) {
      ctx.flush();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // An ICMP error for one client or a bad packet must not stop the socket serving the others.
  }
}
