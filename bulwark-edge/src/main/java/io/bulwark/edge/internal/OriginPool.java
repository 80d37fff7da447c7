package io.bulwark.edge.internal;

import io.bulwark.core.ErrorKind;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Keep-alive connections to origins, one pool per event loop: an origin connection is opened on the
 * event loop of the viewer connection that needs it, so a request never changes threads and a pool
 * needs no lock. Idle connections are closed after the origin's keep-alive timeout.
 */
public final class OriginPool {
  /** What makes two origin connections interchangeable. */
  public record Key(
      String host, int port, boolean tls, String minTls, boolean verifyTls, long keepAliveNanos) {}

  /** A failed connect, classified. */
  record ConnectFailure(ErrorKind kind, String detail) {}

  private final Transport transport;
  private final Map<EventLoop, Map<Key, ArrayDeque<OriginConnection>>> idle =
      new ConcurrentHashMap<>();
  private final Map<String, SslContext> sslContexts = new ConcurrentHashMap<>();

  public OriginPool(Transport transport) {
    this.transport = transport;
  }

  /**
   * A ready connection (TLS handshake done) on {@code loop}: an idle pooled one when available,
   * otherwise a new one. The promise fails with a {@link ConnectFailureException}.
   */
  Future<OriginConnection> acquire(EventLoop loop, Key key, long connectTimeoutMillis) {
    Map<Key, ArrayDeque<OriginConnection>> perLoop = idle.get(loop);
    if (perLoop != null) {
      ArrayDeque<OriginConnection> q = perLoop.get(key);
      if (q != null) {
        OriginConnection c;
        while ((c = q.pollLast()) != null) {
          if (c.channel().isActive()) {
            return loop.newSucceededFuture(c);
          }
        }
      }
    }
    return connect(loop, key, connectTimeoutMillis);
  }

  /** Opens a new connection, never from the pool. */
  Future<OriginConnection> connect(EventLoop loop, Key key, long connectTimeoutMillis) {
    Promise<OriginConnection> promise = loop.newPromise();
    OriginConnection conn = new OriginConnection(key, this);
    SslContext ssl = key.tls() ? sslContext(key) : null;
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeoutMillis)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    if (ssl != null) {
                      SslHandler h = ssl.newHandler(ch.alloc(), key.host(), key.port());
                      if (key.verifyTls()) {
                        SSLParameters params = h.engine().getSSLParameters();
                        params.setEndpointIdentificationAlgorithm("HTTPS");
                        h.engine().setSSLParameters(params);
                      }
                      ch.pipeline().addLast("tls", h);
                    }
                    // Limits on what an origin may send: generous, but bounded.
                    ch.pipeline()
                        .addLast("http-decoder", new OriginResponseDecoder(16384, 65536, 65536));
                    ch.pipeline().addLast("http-encoder", new HttpRequestEncoder());
                    ch.pipeline().addLast("origin", conn);
                  }
                });
    transport.configure(b, false);
    ChannelFuture cf = b.connect(new InetSocketAddress(key.host(), key.port()));
    cf.addListener(
        f -> {
          if (!f.isSuccess()) {
            promise.tryFailure(new ConnectFailureException(classify(f.cause())));
            return;
          }
          SslHandler h = cf.channel().pipeline().get(SslHandler.class);
          if (h == null) {
            promise.trySuccess(conn);
          } else {
            h.handshakeFuture()
                .addListener(
                    hf -> {
                      if (hf.isSuccess()) {
                        promise.trySuccess(conn);
                      } else {
                        cf.channel().close();
                        promise.tryFailure(
                            new ConnectFailureException(
                                new ConnectFailure(
                                    ErrorKind.ORIGIN_TLS_FAILURE,
                                    OriginConnection.describe(hf.cause()))));
                      }
                    });
          }
        });
    return promise;
  }

  /** Returns an idle connection to its loop's pool and schedules its idle expiry. */
  void release(OriginConnection c) {
    EventLoop loop = c.channel().eventLoop();
    idle.computeIfAbsent(loop, l -> new HashMap<>())
        .computeIfAbsent(c.key(), k -> new ArrayDeque<>())
        .addLast(c);
    long generation = ++c.idleGeneration;
    loop.schedule(
        () -> {
          if (c.idleGeneration == generation && removeIdle(c)) {
            c.channel().close();
          }
        },
        c.key().keepAliveNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** The connection closed: drop it from its pool if it was idle there. */
  void forget(OriginConnection c) {
    removeIdle(c);
  }

  private boolean removeIdle(OriginConnection c) {
    Map<Key, ArrayDeque<OriginConnection>> perLoop = idle.get(c.channel().eventLoop());
    if (perLoop == null) {
      return false;
    }
    ArrayDeque<OriginConnection> q = perLoop.get(c.key());
    return q != null && q.remove(c);
  }

  /** Idle connections across all loops (for metrics and tests). */
  public int idleCount() {
    int n = 0;
    for (Map<Key, ArrayDeque<OriginConnection>> m : idle.values()) {
      for (ArrayDeque<OriginConnection> q : m.values()) {
        n += q.size();
      }
    }
    return n;
  }

  private SslContext sslContext(Key key) {
    return sslContexts.computeIfAbsent(
        key.minTls() + "/" + key.verifyTls(),
        k -> {
          try {
            SslContextBuilder b =
                SslContextBuilder.forClient()
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols(protocolsFrom(key.minTls()));
            if (!key.verifyTls()) {
              b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            return b.build();
          } catch (SSLException e) {
            throw new IllegalStateException("cannot build the origin TLS context: " + e, e);
          }
        });
  }

  /** TLS versions from a minimum up to 1.3. */
  static String[] protocolsFrom(String minTls) {
    List<String> all = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    int i = Math.max(0, all.indexOf(minTls));
    return all.subList(i, all.size()).toArray(new String[0]);
  }

  static ConnectFailure classify(Throwable t) {
    if (t instanceof ConnectTimeoutException) {
      return new ConnectFailure(ErrorKind.ORIGIN_CONNECT_TIMEOUT, OriginConnection.describe(t));
    }
    if (t instanceof UnknownHostException) {
      return new ConnectFailure(ErrorKind.ORIGIN_UNRESOLVABLE, OriginConnection.describe(t));
    }
    if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
      return new ConnectFailure(ErrorKind.ORIGIN_CONNECT_REFUSED, OriginConnection.describe(t));
    }
    return new ConnectFailure(ErrorKind.ORIGIN_CONNECT_REFUSED, OriginConnection.describe(t));
  }

  /** Carries a classified connect failure through a Netty promise; no stack trace. */
  static final class ConnectFailureException extends Exception {
    final ConnectFailure failure;

    ConnectFailureException(ConnectFailure failure) {
      super(failure.detail(), null, false, false);
      this.failure = failure;
    }
  }
}
