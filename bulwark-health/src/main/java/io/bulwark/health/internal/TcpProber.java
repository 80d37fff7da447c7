package io.bulwark.health.internal;

import io.bulwark.health.CheckSpec;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.CompletableFuture;

/** Healthy when the port accepts a TCP connection within the timeout; closes it at once. */
public final class TcpProber implements Prober {
  private final CheckSpec spec;
  private final EventLoopGroup group;

  public TcpProber(CheckSpec spec, EventLoopGroup group) {
    this.spec = spec;
    this.group = group;
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
            .handler(new ChannelInboundHandlerAdapter())
            .connect(spec.connectTo(), spec.port());
    cf.addListener(
        f -> {
          if (f.isSuccess()) {
            result.complete(new Outcome(true, "connected", 0));
          } else {
            result.complete(Outcome.failure(Failures.reason(f.cause())));
          }
        });
    result.whenComplete((o, e) -> cf.channel().close());
    return result;
  }
}
