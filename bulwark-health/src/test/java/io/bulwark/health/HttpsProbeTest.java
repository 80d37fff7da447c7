package io.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.core.ManualClock;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.Promise;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS probes against a real TLS server on loopback that records the SNI it receives. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsProbeTest {
  private EventLoopGroup group;
  private Channel server;
  private final AtomicReference<String> sni = new AtomicReference<>();

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    // A self-signed certificate for "localhost", made with the JDK's keytool.
    Path ks = dir.resolve("server.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "s",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "secret",
                "-keypass",
                "secret")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(ks.toFile())) {
      store.load(in, "secret".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "secret".toCharArray());
    SslContext ctx = SslContextBuilder.forServer(kmf).build();
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(
                            new SniHandler(
                                (String host, Promise<SslContext> promise) -> {
                                  sni.set(host == null ? "(none)" : host);
                                  return promise.setSuccess(ctx);
                                }))
                        .addLast(new HttpServerCodec(), new HttpObjectAggregator(8192))
                        .addLast(
                            new SimpleChannelInboundHandler<HttpRequest>() {
                              @Override
                              protected void channelRead0(
                                  ChannelHandlerContext c, HttpRequest req) {
                                var resp =
                                    new DefaultFullHttpResponse(
                                        HttpVersion.HTTP_1_1,
                                        HttpResponseStatus.OK,
                                        Unpooled.copiedBuffer(
                                            "all good: READY", StandardCharsets.US_ASCII));
                                resp.headers()
                                    .set("content-length", resp.content().readableBytes());
                                c.writeAndFlush(resp).addListener(f -> c.close());
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  @AfterAll
  void stop() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private ProbeResult probe(CheckSpec.Builder b) {
    ManualProbeTimer timer = new ManualProbeTimer(ManualClock.atDefaultStart());
    CheckSpec spec =
        b.address("127.0.0.1")
            .port(((InetSocketAddress) server.localAddress()).getPort())
            .checkers(1)
            .requestInterval(Duration.ofSeconds(10))
            .timeout(Duration.ofSeconds(5))
            .build();
    try (HealthPlane plane =
        HealthPlane.start(List.of(spec), HealthPlane.Options.manual(timer, 1))) {
      for (int i = 0; i < 10; i++) {
        timer.advance(Duration.ofSeconds(1));
        await()
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(5))
            .atMost(Duration.ofSeconds(10))
            .until(() -> !plane.graph().status(spec.id()).checkers().get(0).inFlight());
      }
      return plane.graph().status(spec.id()).checkers().get(0).last();
    }
  }

  @Test
  void sendsSniByDefaultAndDoesNotVerifyLikeRoute53() {
    sni.set(null);
    ProbeResult r = probe(CheckSpec.builder("tls", CheckType.HTTPS).host("localhost"));
    assertThat(r.healthy()).isTrue();
    assertThat(r.reason()).isEqualTo("status 200");
    assertThat(sni.get()).isEqualTo("localhost");
  }

  @Test
  void sniCanBeTurnedOff() {
    sni.set(null);
    ProbeResult r =
        probe(CheckSpec.builder("tls", CheckType.HTTPS).host("localhost").enableSni(false));
    assertThat(r.healthy()).isTrue();
    assertThat(sni.get()).isEqualTo("(none)");
  }

  @Test
  void verificationRefusesAnUntrustedCertificate() {
    ProbeResult r =
        probe(CheckSpec.builder("tls", CheckType.HTTPS).host("localhost").verifyCertificate(true));
    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).isEqualTo("tls handshake failed");
  }

  @Test
  void httpsStringMatch() {
    ProbeResult r =
        probe(
            CheckSpec.builder("tls", CheckType.HTTPS_STR_MATCH)
                .host("localhost")
                .searchString("READY"));
    assertThat(r.reason()).isEqualTo("status 200, string found");
  }
}
