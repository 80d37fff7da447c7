package io.bulwark.edge.internal;

import io.bulwark.config.EdgeSettings;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.Mapping;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The viewer connection's pipeline: TLS (SNI chooses the certificate), HTTP/1.1 codec with the
 * configured limits, idle timeout, body aggregation up to the body limit, then {@link
 * ViewerConnection}. Limits are read from the snapshot current when the connection opens.
 */
public final class ViewerPipeline extends ChannelInitializer<Channel> {
  private final Supplier<EdgeRuntime> runtime;
  private final Supplier<Mapping<String, SslContext>> sni;

  public ViewerPipeline(Supplier<EdgeRuntime> runtime, Supplier<Mapping<String, SslContext>> sni) {
    this.runtime = runtime;
    this.sni = sni;
  }

  @Override
  protected void initChannel(Channel ch) {
    EdgeSettings es = runtime.get().snapshot().edge();
    ChannelPipeline p = ch.pipeline();
    if (sni != null) {
      Mapping<String, SslContext> m = sni.get();
      p.addLast("sni", new SniHandler(m::map));
    }
    RequestTimeoutHandler timeout = new RequestTimeoutHandler(es.requestHeaderTimeout().toNanos());
    p.addLast("request-timeout", timeout);
    p.addLast(
        "http", new HttpServerCodec(es.maxRequestLineBytes(), es.maxHeaderBytes(), 64 * 1024));
    p.addLast(
        "idle", new IdleStateHandler(0, 0, es.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    p.addLast("aggregate", new HttpObjectAggregator(clampToInt(es.maxRequestBodyBytes())));
    p.addLast("viewer", new ViewerConnection(runtime, sni != null, timeout));
  }

  private static int clampToInt(long v) {
    return (int) Math.min(Integer.MAX_VALUE, v);
  }
}
