package io.bulwark.dns;

import io.bulwark.dns.internal.Responder;
import io.bulwark.dns.internal.TcpHandler;
import io.bulwark.dns.internal.UdpHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The authoritative DNS listener: UDP and TCP on the same address and port, on an event loop group
 * of its own (one thread for UDP, one for TCP, so a slow TCP client never delays UDP).
 *
 * <p>Zones live in an immutable {@code Responder} behind a volatile reference; {@link #update}
 * swaps in a reloaded snapshot without dropping a packet. Health is read per query from the {@link
 * HealthView}, so a health flip changes the next answer with no reload.
 */
public final class DnsServer implements AutoCloseable {
  /** Open TCP connections beyond this are closed at once, so idle clients cannot exhaust us. */
  public static final int MAX_TCP_CONNECTIONS = 1024;

  private final java.util.concurrent.atomic.AtomicInteger tcpConnections =
      new java.util.concurrent.atomic.AtomicInteger();
  private final HealthView health;
  private final Supplier<RandomGenerator> random;
  private final EventLoopGroup group;
  private volatile Responder responder;
  private volatile GeoLocator geo;
  private Channel udp;
  private Channel tcp;

  private DnsServer(HealthView health, Supplier<RandomGenerator> random) {
    this.health = health;
    this.random = random;
    this.group =
        new MultiThreadIoEventLoopGroup(
            2, new DefaultThreadFactory("bulwark-dns", true), NioIoHandler.newFactory());
  }

  /** Binds and serves. Port 0 picks a free port, the same one for UDP and TCP. */
  public static DnsServer start(DnsSettings settings, HealthView health) throws IOException {
    return start(settings, health, ThreadLocalRandom::current);
  }

  /** As {@link #start(DnsSettings, HealthView)} with the random source for weighted answers. */
  public static DnsServer start(
      DnsSettings settings, HealthView health, Supplier<RandomGenerator> random)
      throws IOException {
    DnsServer server = new DnsServer(Objects.requireNonNull(health), random);
    try {
      server.update(settings);
      server.bind(settings);
      return server;
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void bind(DnsSettings settings) throws IOException {
    UdpHandler udpHandler = new UdpHandler(() -> responder);
    int idle = settings.tcpIdleTimeoutSeconds();
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      Channel u =
          new Bootstrap()
              .group(group)
              .channel(NioDatagramChannel.class)
              .handler(udpHandler)
              .bind(settings.host(), settings.port())
              .awaitUninterruptibly()
              .channel();
      if (!u.isActive()) {
        throw new IOException("cannot bind DNS UDP on " + settings.host() + ":" + settings.port());
      }
      int port = ((InetSocketAddress) u.localAddress()).getPort();
      var tcpFuture =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 512)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      if (tcpConnections.incrementAndGet() > MAX_TCP_CONNECTIONS) {
                        tcpConnections.decrementAndGet();
                        ch.close(); // shed load: UDP keeps answering, clients retry
                        return;
                      }
                      ch.closeFuture().addListener(f -> tcpConnections.decrementAndGet());
                      ch.pipeline()
                          .addLast(new IdleStateHandler(idle, 0, 0, TimeUnit.SECONDS))
                          .addLast(new LengthFieldBasedFrameDecoder(65535 + 2, 0, 2, 0, 2))
                          .addLast(new TcpHandler(() -> responder));
                    }
                  })
              .bind(settings.host(), port)
              .awaitUninterruptibly();
      if (tcpFuture.isSuccess()) {
        udp = u;
        tcp = tcpFuture.channel();
        return;
      }
      u.close().awaitUninterruptibly();
      last =
          new IOException(
              "cannot bind DNS TCP on " + settings.host() + ":" + port, tcpFuture.cause());
      if (settings.port() != 0) {
        break;
      }
    }
    throw last;
  }

  /**
   * Serves a new snapshot (zones, ACL, latency map, GeoIP database). The listener address is fixed
   * at start; a changed address needs a new server.
   */
  public void update(DnsSettings settings) throws IOException {
    GeoLocator old = geo;
    GeoLocator next =
        settings.geoipDatabase() == null
            ? GeoLocator.NONE
            : GeoLocator.maxMind(settings.geoipDatabase());
    responder =
        new Responder(
            settings.zones(),
            health,
            next,
            settings.latency(),
            settings.transferAcl(),
            settings.udpPayloadSize(),
            random);
    geo = next;
    if (old != null) {
      // In-flight queries may still read the old database; memory-mapped readers tolerate close.
      old.close();
    }
  }

  public InetSocketAddress udpAddress() {
    return (InetSocketAddress) udp.localAddress();
  }

  public InetSocketAddress tcpAddress() {
    return (InetSocketAddress) tcp.localAddress();
  }

  @Override
  public void close() {
    if (udp != null) {
      udp.close().awaitUninterruptibly();
    }
    if (tcp != null) {
      tcp.close().awaitUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    try {
      if (geo != null) {
        geo.close();
      }
    } catch (IOException e) {
      // closing a read-only database: nothing to recover
    }
  }
}
