package io.bulwark.dns;

import io.bulwark.dns.internal.Responder;
import io.bulwark.dns.internal.TcpHandler;
import io.bulwark.dns.internal.UdpHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
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
 * <p>On Linux the listener uses Netty's epoll transport: UDP queries are read in batches of up to
 * {@value #UDP_BATCH} with one {@code recvmmsg} and the answers to a batch leave with one {@code
 * sendmmsg}; the answers are flushed once per batch. A query is read whole up to {@value
 * #MAX_UDP_QUERY} bytes (queries are small; the size advertised in EDNS0 is about answers); a
 * longer datagram arrives cut at that length and is answered as what its first bytes parse as
 * (FORMERR, as its record counts are no longer met). An IPv4 listener gets an IPv4 socket, which
 * costs the kernel less per packet than IPv4 traffic through a dual-stack IPv6 socket. Elsewhere
 * the listener falls back to NIO (one system call per packet).
 *
 * <p>Zones live in an immutable {@code Responder} behind a volatile reference; {@link #update}
 * swaps in a reloaded snapshot without dropping a packet. Health is read per query from the {@link
 * HealthView}, so a health flip changes the next answer with no reload.
 */
public final class DnsServer implements AutoCloseable {
  /** Open TCP connections beyond this are closed at once, so idle clients cannot exhaust us. */
  public static final int MAX_TCP_CONNECTIONS = 1024;

  /** Datagrams read with one system call on the epoll transport. */
  static final int UDP_BATCH = 32;

  /** The largest UDP query read whole on the epoll transport. */
  static final int MAX_UDP_QUERY = 4096;

  private static final boolean EPOLL = Epoll.isAvailable();

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
            2,
            new DefaultThreadFactory("bulwark-dns", true),
            EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
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
    int idle = settings.tcpIdleTimeoutSeconds();
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      Bootstrap udpBootstrap =
          new Bootstrap().group(group).handler(new UdpHandler(() -> responder));
      if (!EPOLL) {
        udpBootstrap.channel(NioDatagramChannel.class);
      } else {
        SocketProtocolFamily family =
            InetAddress.getByName(settings.host()) instanceof Inet4Address
                ? SocketProtocolFamily.INET
                : SocketProtocolFamily.INET6;
        udpBootstrap
            .channelFactory(() -> new EpollDatagramChannel(family))
            .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_QUERY)
            // The batch buffer is larger than the adaptive allocator pools, which would allocate
            // (and zero) fresh memory for every read; the pooled allocator reuses it.
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(
                ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(UDP_BATCH * MAX_UDP_QUERY));
      }
      Channel u =
          udpBootstrap.bind(settings.host(), settings.port()).awaitUninterruptibly().channel();
      if (!u.isActive()) {
        throw new IOException("cannot bind DNS UDP on " + settings.host() + ":" + settings.port());
      }
      int port = ((InetSocketAddress) u.localAddress()).getPort();
      var tcpFuture =
          new ServerBootstrap()
              .group(group)
              .channel(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
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
