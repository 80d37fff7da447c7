package io.bulwark.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The admin API. Endpoints:
 *
 * <table>
 *   <caption>Admin endpoints</caption>
 *   <tr><td>GET /healthz</td><td>200 "ok" while the process serves</td></tr>
 *   <tr><td>GET /metrics</td><td>Prometheus text format</td></tr>
 *   <tr><td>POST /invalidations</td><td>{"distribution": id, "paths": ["/images/*"]} → removed
 *       count</td></tr>
 *   <tr><td>POST /reload</td><td>re-read the config file; 200 when serving the new one, 400 with the
 *       problems (the old config keeps serving)</td></tr>
 *   <tr><td>GET /config</td><td>the running config, secrets redacted</td></tr>
 *   <tr><td>GET /origins</td><td>built-in static origins with port and fault</td></tr>
 *   <tr><td>POST /origins/{id}/fault</td><td>{"fault": "off|503|reset|hang|refuse"}</td></tr>
 * </table>
 *
 * Requests run on a small worker pool, not the event loop, since a reload parses files.
 */
public final class AdminServer implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private final EventLoopGroup group;
  private final ExecutorService workers;
  private final Channel channel;
  private final AdminActions actions;
  private final List<Route> extraRoutes;

  /** An extra endpoint another plane contributes (health checks, WAF samples). */
  public record Route(
      String method, String path, java.util.function.Function<FullHttpRequest, Object> handler) {}

  private AdminServer(String host, int port, AdminActions actions, List<Route> extra)
      throws InterruptedException {
    this.actions = actions;
    this.extraRoutes = List.copyOf(extra);
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("bulwark-admin", true), NioIoHandler.newFactory());
    this.workers =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "bulwark-admin-worker");
              t.setDaemon(true);
              return t;
            });
    this.channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec(8192, 16384, 16384))
                        .addLast(new HttpObjectAggregator(1024 * 1024))
                        .addLast(new Handler());
                  }
                })
            .bind(new InetSocketAddress(host, port))
            .sync()
            .channel();
  }

  public static AdminServer start(String host, int port, AdminActions actions, List<Route> extra)
      throws InterruptedException {
    return new AdminServer(host, port, actions, extra);
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (!req.decoderResult().isSuccess()) {
        write(ctx, req, 400, "text/plain", "bad request\n", false);
        return;
      }
      req.retain();
      workers.execute(
          () -> {
            try {
              dispatch(ctx, req);
            } catch (IllegalArgumentException e) {
              json(ctx, req, 400, Map.of("error", e.getMessage()));
            } catch (RuntimeException e) {
              json(ctx, req, 500, Map.of("error", e.toString()));
            } finally {
              req.release();
            }
          });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req) {
    String path = req.uri();
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    HttpMethod m = req.method();
    if (m == HttpMethod.GET && path.equals("/healthz")) {
      write(ctx, req, 200, "text/plain; charset=utf-8", "ok\n", true);
    } else if (m == HttpMethod.GET && path.equals("/metrics")) {
      write(
          ctx, req, 200, "text/plain; version=0.0.4; charset=utf-8", actions.scrapeMetrics(), true);
    } else if (m == HttpMethod.POST && path.equals("/reload")) {
      List<String> problems = actions.reload();
      if (problems.isEmpty()) {
        json(ctx, req, 200, Map.of("status", "reloaded"));
      } else {
        json(
            ctx,
            req,
            400,
            Map.of("status", "refused; the previous config keeps serving", "problems", problems));
      }
    } else if (m == HttpMethod.POST && path.equals("/invalidations")) {
      JsonNode body = readJson(req);
      String dist = text(body, "distribution");
      JsonNode paths = body.get("paths");
      if (paths == null || !paths.isArray() || paths.isEmpty()) {
        throw new IllegalArgumentException(
            "'paths' must be a non-empty list such as [\"/images/*\"]");
      }
      List<String> list = new ArrayList<>();
      paths.forEach(p -> list.add(p.asText()));
      int removed = actions.invalidate(dist, list);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("distribution", dist);
      out.put("paths", list);
      out.put("removed", removed);
      json(ctx, req, 201, out);
    } else if (m == HttpMethod.GET && path.equals("/config")) {
      json(ctx, req, 200, actions.config());
    } else if (m == HttpMethod.GET && path.equals("/origins")) {
      json(ctx, req, 200, actions.staticOrigins());
    } else if (m == HttpMethod.POST && path.startsWith("/origins/") && path.endsWith("/fault")) {
      String id = path.substring("/origins/".length(), path.length() - "/fault".length());
      String fault = text(readJson(req), "fault");
      actions.setFault(id, fault);
      json(ctx, req, 200, Map.of("origin", id, "fault", fault));
    } else {
      for (Route r : extraRoutes) {
        if (r.method().equals(m.name()) && r.path().equals(path)) {
          json(ctx, req, 200, r.handler().apply(req));
          return;
        }
      }
      json(ctx, req, 404, Map.of("error", "no such endpoint: " + m + " " + path));
    }
  }

  private static JsonNode readJson(FullHttpRequest req) {
    try {
      String s = req.content().toString(StandardCharsets.UTF_8);
      JsonNode n = JSON.readTree(s.isEmpty() ? "{}" : s);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new IllegalArgumentException("'" + field + "' is required (a string)");
    }
    return v.asText();
  }

  private static void json(
      ChannelHandlerContext ctx, FullHttpRequest req, int status, Object body) {
    try {
      write(ctx, req, status, "application/json", JSON.writeValueAsString(body) + "\n", true);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      write(
          ctx, req, 500, "text/plain", "cannot serialize: " + e.getOriginalMessage() + "\n", false);
    }
  }

  private static void write(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      int status,
      String type,
      String body,
      boolean keepAlive) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse r =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            Unpooled.wrappedBuffer(bytes));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    HttpUtil.setContentLength(r, bytes.length);
    boolean ka = keepAlive && HttpUtil.isKeepAlive(req);
    HttpUtil.setKeepAlive(r, ka);
    var f = ctx.writeAndFlush(r);
    if (!ka) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    workers.shutdownNow();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
