package io.bulwark.staticorigin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A static file server for one local folder, on its own port, with a fault switch.
 *
 * <p>It exists so that the quickstart and the tests need nothing installed, and so that failover
 * can be demonstrated for real: the edge reaches this server over TCP like any other origin, so
 * when {@link #setFault} makes it reset, hang or refuse, the edge meets a real reset, a real
 * timeout or a real refused connection, not a simulation inside the edge.
 *
 * <p>Serving (see {@code StaticFileHandler}): GET and HEAD (others 405 with {@code Allow}); the
 * index document for paths ending in '/', a 301 adding the '/' for a folder; Content-Type by
 * extension; a strong ETag and Last-Modified; If-Match, If-Unmodified-Since, If-None-Match and
 * If-Modified-Since (RFC 9110 section 13); one byte range as 206, several ranges as the whole 200,
 * an unsatisfiable one as 416; If-Range. Files are sent with zero-copy {@code DefaultFileRegion}.
 * Nothing outside the root is ever served: {@code ..}, NUL and symlinks leading out are 404. No
 * Cache-Control is added: the edge's cache policy decides.
 *
 * <p>Limits: request line 4096 bytes (longer: 414), header block 8192 bytes (431), request body 64
 * KiB (413); a keep-alive connection idle for 60 s is closed (a hung one is kept).
 *
 * <p>Threads: one event loop group of one thread serves every connection; it is owned by the server
 * (created by {@link #start(String, Path, String, int, String)}) or shared (passed in, never shut
 * down by the server). File metadata is read on the event loop; this is a small origin for a local
 * folder, not a file server for a slow network disk.
 */
public final class StaticOriginServer implements AutoCloseable {
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_REQUEST_BODY = 64 * 1024;

  private final String id;
  private final Path root;
  private final String bindHost;
  private final String indexDocument;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final ServerBootstrap bootstrap;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final ChannelGroup hung = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final String serverHeader;

  private volatile Fault fault = Fault.NONE;
  private volatile int port;
  // Guarded by this.
  private Channel listener;
  private boolean closed;

  private StaticOriginServer(
      String id,
      Path root,
      String bindHost,
      String indexDocument,
      EventLoopGroup group,
      boolean ownsGroup) {
    this.id = id;
    this.root = root;
    this.bindHost = bindHost;
    this.indexDocument = indexDocument;
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.serverHeader = "bulwark-static/" + id;
    StaticOriginServer server = this;
    this.bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            // Lets NONE after REFUSE bind the same port while old connections sit in TIME_WAIT.
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    ch.pipeline()
                        .addLast(
                            new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BODY))
                        .addLast(new StaticFileHandler(server));
                  }
                });
  }

  /** A one-thread NIO event loop group, for servers that share one ({@link #start} overload). */
  public static EventLoopGroup newEventLoopGroup() {
    return new MultiThreadIoEventLoopGroup(
        1, new DefaultThreadFactory("bulwark-static"), NioIoHandler.newFactory());
  }

  /**
   * Starts a server with its own one-thread event loop group, shut down by {@link #close()}.
   *
   * @param id names the server in its {@code Server: bulwark-static/<id>} header and in logs
   * @param root the folder to serve; must exist
   * @param bindHost the address to listen on, e.g. {@code 127.0.0.1}
   * @param port the port, or 0 for an ephemeral one (see {@link #port()})
   * @param indexDocument the file served for paths ending in '/', e.g. {@code index.html}
   * @throws IOException when the root is not a folder or the address cannot be bound
   */
  public static StaticOriginServer start(
      String id, Path root, String bindHost, int port, String indexDocument) throws IOException {
    EventLoopGroup group = newEventLoopGroup();
    try {
      return start(id, root, bindHost, port, indexDocument, group, true);
    } catch (IOException | RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Starts a server on a shared event loop group, which {@link #close()} leaves running. */
  public static StaticOriginServer start(
      String id, Path root, String bindHost, int port, String indexDocument, EventLoopGroup group)
      throws IOException {
    return start(id, root, bindHost, port, indexDocument, group, false);
  }

  private static StaticOriginServer start(
      String id,
      Path root,
      String bindHost,
      int port,
      String indexDocument,
      EventLoopGroup group,
      boolean ownsGroup)
      throws IOException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(group, "group");
    if (indexDocument == null || indexDocument.isEmpty() || indexDocument.contains("/")) {
      throw new IllegalArgumentException(
          "the index document is a file name such as index.html, got '" + indexDocument + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 (ephemeral) to 65535, got " + port);
    }
    if (!Files.isDirectory(root)) {
      throw new IOException("static origin '" + id + "': root " + root + " is not a folder");
    }
    StaticOriginServer server =
        new StaticOriginServer(id, root.toRealPath(), bindHost, indexDocument, group, ownsGroup);
    synchronized (server) {
      server.bind(port);
    }
    return server;
  }

  public String id() {
    return id;
  }

  /** The bound port (the ephemeral one chosen when started with 0); unchanged by REFUSE. */
  public int port() {
    return port;
  }

  public String host() {
    return bindHost;
  }

  /** The served folder, symlinks resolved. */
  public Path root() {
    return root;
  }

  public String indexDocument() {
    return indexDocument;
  }

  public Fault fault() {
    return fault;
  }

  /**
   * Switches the fault. It applies to the next request on any connection. Entering REFUSE unbinds
   * the listener and closes every connection; leaving it binds the same port again. Leaving HANG
   * closes the hung connections. Blocks until the listener is unbound or bound: call it from an
   * admin thread, not from an event loop.
   *
   * @throws UncheckedIOException when leaving REFUSE and the port cannot be bound again (the server
   *     then stays in REFUSE)
   */
  public synchronized void setFault(Fault next) {
    Objects.requireNonNull(next, "fault (use Fault.NONE to clear)");
    for (EventExecutor executor : group) {
      if (executor.inEventLoop()) {
        // Unbinding waits for the event loop; waiting on it from itself would never return.
        throw new IllegalStateException(
            "setFault blocks until the listener is (un)bound: call it off the server's event loop");
      }
    }
    if (closed) {
      throw new IllegalStateException("static origin '" + id + "' is closed");
    }
    Fault previous = fault;
    if (previous == next) {
      return;
    }
    if (next == Fault.REFUSE) {
      fault = next;
      unbind();
      connections.close().awaitUninterruptibly();
    } else if (previous == Fault.REFUSE) {
      try {
        bind(port);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "static origin '" + id + "' cannot bind " + bindHost + ":" + port + " again", e);
      }
      fault = next;
    } else {
      fault = next;
    }
    if (previous == Fault.HANG) {
      hung.close().awaitUninterruptibly();
    }
  }

  /** Closes the listener and every connection; shuts the event loop group down if it owns it. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (listener != null) {
        listener.close().awaitUninterruptibly();
        listener = null;
      }
    }
    connections.close().awaitUninterruptibly();
    hung.close().awaitUninterruptibly();
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  @Override
  public String toString() {
    return "StaticOriginServer[" + id + " " + bindHost + ":" + port + " " + root + "]";
  }

  // ---- used by StaticFileHandler ----

  String serverHeader() {
    return serverHeader;
  }

  /** Registers a connection that will never be answered; closes it if HANG already ended. */
  void hang(Channel channel) {
    hung.add(channel);
    if (fault != Fault.HANG) {
      channel.close();
    }
  }

  // ---- listener (called with this locked) ----

  private void bind(int requestedPort) throws IOException {
    try {
      listener = bootstrap.bind(bindHost, requestedPort).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + bindHost + ":" + requestedPort, e);
    } catch (Exception e) {
      // Netty rethrows the bind failure (a checked BindException) without declaring it.
      if (e instanceof IOException io) {
        IOException described =
            new IOException(
                "static origin '"
                    + id
                    + "' cannot bind "
                    + bindHost
                    + ":"
                    + requestedPort
                    + ": "
                    + io.getMessage(),
                io);
        throw described;
      }
      throw e;
    }
    port = ((InetSocketAddress) listener.localAddress()).getPort();
  }

  /**
   * Closes the listener, then waits until the port is really free. The wait matters: a NIO server
   * channel's socket is only closed by the kernel once its selection key is deregistered at the
   * event loop's next select, so without it a connection attempt right after REFUSE could still be
   * accepted. Binding a probe socket to the port proves the listener is gone.
   */
  private void unbind() {
    if (listener == null) {
      return;
    }
    listener.close().awaitUninterruptibly();
    listener = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port));
        return;
      } catch (IOException stillBound) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
