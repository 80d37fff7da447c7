package io.bulwark.edge.internal;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Epoll when the native library loads (Linux x86_64), NIO otherwise; chosen once per process. */
public record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel) {

  /**
   * Netty's edge-triggered epoll (the default) reads until EAGAIN, one more read per request than
   * level-triggered; measured here (bench, 1 KiB hits), level-triggered gave no more requests per
   * CPU-second and fewer requests per second, so edge stays the default. {@code
   * -Dbulwark.epollMode=level} selects level-triggered for comparison.
   */
  public void configure(io.netty.bootstrap.AbstractBootstrap<?, ?> b, boolean child) {
    if (!"epoll".equals(name)) {
      return;
    }
    io.netty.channel.epoll.EpollMode mode =
        "level".equals(System.getProperty("bulwark.epollMode"))
            ? io.netty.channel.epoll.EpollMode.LEVEL_TRIGGERED
            : io.netty.channel.epoll.EpollMode.EDGE_TRIGGERED;
    if (child && b instanceof io.netty.bootstrap.ServerBootstrap sb) {
      sb.childOption(io.netty.channel.epoll.EpollChannelOption.EPOLL_MODE, mode);
    } else {
      b.option(io.netty.channel.epoll.EpollChannelOption.EPOLL_MODE, mode);
    }
  }

  public static Transport best() {
    if (!Boolean.getBoolean("bulwark.noEpoll") && Epoll.isAvailable()) {
      return new Transport(
          "epoll",
          EpollIoHandler.newFactory(),
          EpollServerSocketChannel.class,
          EpollSocketChannel.class);
    }
    return new Transport(
        "nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
  }
}
