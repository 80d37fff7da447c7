package io.bulwark.health.internal;

import io.bulwark.health.CheckSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * HTTP and HTTPS probes, with optional string match, as Route 53 does them: one GET of the resource
 * path with {@code Connection: close}; healthy when the status is in the expected range and, for
 * string match, when the search string occurs in the first {@value CheckSpec#STRING_MATCH_LIMIT}
 * bytes of the (de-chunked) body. Reading stops at that limit, so a huge or endless body costs at
 * most 5 KiB. SNI is sent when enabled and the host is a name; certificates are verified (chain and
 * host name) only when {@code verifyCertificate} is set, because Route 53 does not verify them and
 * a check should not fail on an internal CA by default.
 */
public final class HttpProber implements Prober {
  private static final String USER_AGENT = "Bulwark-Health-Check/1";

  private final CheckSpec spec;
  private final EventLoopGroup group;
  private final SslContext ssl;
  private final byte[] needle;

  public HttpProber(CheckSpec spec, EventLoopGroup group, SslContext ssl) {
    this.spec = spec;
    this.group = group;
    this.ssl = ssl;
    this.needle =
        spec.type().matchesString() ? spec.searchString().getBytes(StandardCharsets.UTF_8) : null;
  }

  /** The client TLS context for a check: trusting the JDK's CAs, or trusting anything. */
  public static SslContext clientContext(boolean verifyCertificate) {
    try {
      SslContextBuilder b = SslContextBuilder.forClient();
      if (!verifyCertificate) {
        b.trustManager(InsecureTrustManagerFactory.INSTANCE);
      }
      return b.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build a TLS client context", e);
    }
  }

  @Override
  public CompletableFuture<Outcome> probe() {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    ChannelFuture cf =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, spec.timeout().toMillis()))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    if (spec.type().isTls()) {
                      ch.pipeline().addLast(sslHandler(ch));
                    }
                    ch.pipeline()
                        .addLast(new HttpClientCodec(4096, 16384, 8192))
                        .addLast(new ResponseHandler(result));
                  }
                })
            .connect(spec.connectTo(), spec.port());
    cf.addListener(
        f -> {
          if (!f.isSuccess()) {
            result.complete(Outcome.failure(Failures.reason(f.cause())));
          }
        });
    result.whenComplete((o, e) -> cf.channel().close());
    return result;
  }

  private SslHandler sslHandler(SocketChannel ch) {
    String host = spec.host();
    boolean sni = spec.enableSni() && host != null && !isIpLiteral(host);
    SslHandler h = sni ? ssl.newHandler(ch.alloc(), host, spec.port()) : ssl.newHandler(ch.alloc());
    SSLEngine engine = h.engine();
    SSLParameters p = engine.getSSLParameters();
    if (sni) {
      // Set explicitly: the JDK only sends SNI on its own for names with a dot, and internal
      // origins are often single-label ("localhost", "origin-a").
      p.setServerNames(
          List.of(
              new SNIHostName(host.endsWith(".") ? host.substring(0, host.length() - 1) : host)));
    }
    if (spec.verifyCertificate()) {
      p.setEndpointIdentificationAlgorithm("HTTPS");
    }
    engine.setSSLParameters(p);
    return h;
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
  }

  private DefaultFullHttpRequest request() {
    DefaultFullHttpRequest req =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.GET, spec.resourcePath(), Unpooled.EMPTY_BUFFER);
    String host = spec.host() != null ? spec.host() : spec.address();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    int defaultPort = spec.type().isTls() ? 443 : 80;
    req.headers()
        .set(HttpHeaderNames.HOST, spec.port() == defaultPort ? host : host + ":" + spec.port())
        .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
        .set(HttpHeaderNames.ACCEPT, "*/*")
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return req;
  }

  private final class ResponseHandler extends SimpleChannelInboundHandler<HttpObject> {
    private final CompletableFuture<Outcome> result;
    private int status;
    private byte[] body;
    private int bodyLength;

    ResponseHandler(CompletableFuture<Outcome> result) {
      this.result = result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (!spec.type().isTls()) {
        ctx.writeAndFlush(request());
      }
      ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof SslHandshakeCompletionEvent hs) {
        if (hs.isSuccess()) {
          ctx.writeAndFlush(request());
        } else {
          result.complete(Outcome.failure(Failures.reason(hs.cause())));
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
      if (result.isDone()) {
        return;
      }
      if (msg.decoderResult().isFailure()) {
        result.complete(Outcome.failure("malformed response"));
        return;
      }
      if (msg instanceof HttpResponse response) {
        status = response.status().code();
        if (status < spec.statusMin() || status > spec.statusMax()) {
          result.complete(new Outcome(false, "status " + status, status));
          return;
        }
        if (needle == null) {
          result.complete(new Outcome(true, "status " + status, status));
          return;
        }
        body = new byte[CheckSpec.STRING_MATCH_LIMIT];
      }
      if (msg instanceof HttpContent content && body != null) {
        ByteBuf buf = content.content();
        int n = Math.min(buf.readableBytes(), body.length - bodyLength);
        buf.getBytes(buf.readerIndex(), body, bodyLength, n);
        bodyLength += n;
        if (contains(body, bodyLength, needle)) {
          result.complete(new Outcome(true, "status " + status + ", string found", status));
        } else if (bodyLength == body.length || msg instanceof LastHttpContent) {
          result.complete(new Outcome(false, "string not found", status));
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      result.complete(Outcome.failure("connection closed before response"));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      result.complete(Outcome.failure(Failures.reason(cause)));
      ctx.close();
    }
  }

  static boolean contains(byte[] haystack, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
