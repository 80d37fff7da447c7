package io.bulwark.edge;

import io.bulwark.config.ConfigSnapshot;
import io.bulwark.config.EdgeSettings;
import io.bulwark.config.HostPort;
import io.bulwark.edge.internal.EdgeRuntime;
import io.bulwark.edge.internal.EdgeShared;
import io.bulwark.edge.internal.Transport;
import io.bulwark.edge.internal.ViewerPipeline;
import io.bulwark.edge.internal.ViewerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The edge server: HTTP and HTTPS listeners over one set of event loops, serving the current config
 * snapshot. {@link #reload} swaps the snapshot atomically; requests already in flight finish under
 * the snapshot they started with. Listener addresses are fixed at start (changing them needs a
 * restart, as with nginx's listen directives on reload of a different address family).
 */
public final class EdgeServer implements AutoCloseable {
  private final Transport transport;
  private final EventLoopGroup group;
  private final EdgeShared shared;
  private final EdgeServices services;
  private final AtomicReference<EdgeRuntime> runtime = new AtomicReference<>();
  private final AtomicReference<Mapping<String, SslContext>> sni = new AtomicReference<>();
  private final Path workDir;
  private Channel http;
  private Channel https;

  private EdgeServer(
      ConfigSnapshot snapshot,
      java.util.Map<String, io.bulwark.waf.WebAcl> webAcls,
      EdgeServices services,
      int threads) {
    this.transport = Transport.best();
    this.group =
        new MultiThreadIoEventLoopGroup(
            threads, new DefaultThreadFactory("bulwark-edge", true), transport.ioHandlerFactory());
    this.services = services;
    this.shared = new EdgeShared(transport, services);
    this.workDir = Path.of(System.getProperty("java.io.tmpdir"));
    this.runtime.set(new EdgeRuntime(snapshot, webAcls, services, shared));
  }

  /** Starts listeners on {@code snapshot.edge()} addresses with one event loop per core. */
  public static EdgeServer start(ConfigSnapshot snapshot, EdgeServices services) throws Exception {
    return start(snapshot, services, Runtime.getRuntime().availableProcessors());
  }

  public static EdgeServer start(ConfigSnapshot snapshot, EdgeServices services, int threads)
      throws Exception {
    return start(snapshot, java.util.Map.of(), services, threads);
  }

  /** Starts with the web ACLs the snapshot's distributions name (parsed by the WAF module). */
  public static EdgeServer start(
      ConfigSnapshot snapshot,
      java.util.Map<String, io.bulwark.waf.WebAcl> webAcls,
      EdgeServices services,
      int threads)
      throws Exception {
    EdgeServer s = new EdgeServer(snapshot, webAcls, services, threads);
    try {
      s.bind(snapshot);
    } catch (Exception e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void bind(ConfigSnapshot snapshot) throws Exception {
    EdgeSettings es = snapshot.edge();
    if (es.https() != null) {
      sni.set(ViewerTls.mapping(snapshot, workDir));
      https = listen(es.https(), true);
      shared.httpsPort(((InetSocketAddress) https.localAddress()).getPort());
    }
    if (es.http() != null) {
      http = listen(es.http(), false);
    }
  }

  private Channel listen(HostPort address, boolean secure) throws InterruptedException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // Backpressure: past 256 KiB queued for a viewer, reads from its origin pause.
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(64 * 1024, 256 * 1024))
            .childHandler(new ViewerPipeline(runtime::get, secure ? sni::get : null));
    transport.configure(b, true);
    return b.bind(new InetSocketAddress(address.host(), address.port())).sync().channel();
  }

  /**
   * Swaps in a new snapshot. TLS contexts are rebuilt first, so a reload with an unreadable
   * certificate fails here and changes nothing.
   */
  public void reload(ConfigSnapshot next) throws Exception {
    reload(next, java.util.Map.of());
  }

  /** Swaps in a new snapshot and the web ACLs it names. */
  public void reload(ConfigSnapshot next, java.util.Map<String, io.bulwark.waf.WebAcl> webAcls)
      throws Exception {
    Mapping<String, SslContext> nextSni = https != null ? ViewerTls.mapping(next, workDir) : null;
    if (nextSni != null) {
      sni.set(nextSni);
    }
    runtime.set(new EdgeRuntime(next, webAcls, services, shared));
  }

  public ConfigSnapshot snapshot() {
    return runtime.get().snapshot();
  }

  /** The bound HTTP port, or -1 without an HTTP listener. */
  public int httpPort() {
    return http == null ? -1 : ((InetSocketAddress) http.localAddress()).getPort();
  }

  /** The bound HTTPS port, or -1 without an HTTPS listener. */
  public int httpsPort() {
    return https == null ? -1 : ((InetSocketAddress) https.localAddress()).getPort();
  }

  public String transportName() {
    return transport.name();
  }

  public EdgeShared shared() {
    return shared;
  }

  @Override
  public void close() {
    if (http != null) {
      http.close().syncUninterruptibly();
    }
    if (https != null) {
      https.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
