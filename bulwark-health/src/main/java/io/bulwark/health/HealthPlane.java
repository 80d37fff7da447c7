package io.bulwark.health;

import io.bulwark.health.internal.HttpProber;
import io.bulwark.health.internal.Prober;
import io.bulwark.health.internal.TcpProber;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs the checks of one config snapshot and owns their threads: a timer thread that only starts
 * probes, and a small Netty event loop group of its own for the probe connections, so probing never
 * runs on the edge's or the DNS server's event loops. {@link #close()} stops everything.
 *
 * <p>Each non-disabled, non-calculated check gets {@code checkers} independent probe loops ({@code
 * local-1..N}) that report into the {@link #graph()}.
 */
public final class HealthPlane implements AutoCloseable {
  private final HealthGraph graph;
  private final EventLoopGroup group;
  private final ScheduledExecutorService ownTimer;
  private final List<ProbeLoop> loops = new ArrayList<>();

  private HealthPlane(HealthGraph graph, EventLoopGroup group, ScheduledExecutorService ownTimer) {
    this.graph = graph;
    this.group = group;
    this.ownTimer = ownTimer;
  }

  /** Starts the checks on real time. */
  public static HealthPlane start(List<CheckSpec> specs) {
    return start(specs, Options.realTime());
  }

  /**
   * Starts the checks.
   *
   * @throws IllegalArgumentException if the checks do not form a valid graph
   */
  public static HealthPlane start(List<CheckSpec> specs, Options options) {
    return start(specs, options, null);
  }

  /**
   * Starts the checks of a reloaded config, carrying over the state of every unchanged check from
   * {@code previous} (see {@link HealthGraph#of(List, InstantSource, HealthGraph)}). The caller
   * closes the previous plane after swapping readers over to the new graph.
   */
  public static HealthPlane start(List<CheckSpec> specs, Options options, HealthPlane previous) {
    HealthGraph graph =
        HealthGraph.of(specs, options.clock(), previous == null ? null : previous.graph());
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            options.ioThreads(),
            new DefaultThreadFactory("bulwark-health-io", true),
            NioIoHandler.newFactory());
    ScheduledExecutorService ownTimer = null;
    ProbeTimer timer = options.timer();
    if (timer == null) {
      ownTimer =
          Executors.newSingleThreadScheduledExecutor(
              new DefaultThreadFactory("bulwark-health-timer", true));
      timer = ProbeTimer.of(ownTimer);
    }
    HealthPlane plane = new HealthPlane(graph, group, ownTimer);
    SslContext verifying = null;
    SslContext trusting = null;
    for (CheckSpec spec : specs) {
      if (spec.disabled() || spec.type() == CheckType.CALCULATED) {
        continue;
      }
      for (int i = 1; i <= spec.checkers(); i++) {
        Prober prober;
        if (spec.type().isHttp()) {
          SslContext ssl = null;
          if (spec.type().isTls()) {
            if (spec.verifyCertificate()) {
              verifying = verifying != null ? verifying : HttpProber.clientContext(true);
              ssl = verifying;
            } else {
              trusting = trusting != null ? trusting : HttpProber.clientContext(false);
              ssl = trusting;
            }
          }
          prober = new HttpProber(spec, group, ssl);
        } else {
          prober = new TcpProber(spec, group);
        }
        plane.loops.add(
            new ProbeLoop(
                graph,
                spec,
                "local-" + i,
                prober,
                timer,
                options.clock(),
                options.nanoTime(),
                options.random().split()));
      }
    }
    plane.loops.forEach(ProbeLoop::start);
    return plane;
  }

  public HealthGraph graph() {
    return graph;
  }

  @Override
  public void close() {
    loops.forEach(ProbeLoop::close);
    if (ownTimer != null) {
      ownTimer.shutdownNow();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * How the plane tells time and schedules. {@link #realTime()} for production; tests pass a {@link
   * io.bulwark.core.ManualClock} and a {@link ManualProbeTimer} on the same clock.
   *
   * @param timer the scheduler, or null for a real-time timer thread owned by the plane
   * @param ioThreads threads for probe connections (default 1)
   */
  public record Options(
      InstantSource clock,
      LongSupplier nanoTime,
      ProbeTimer timer,
      SplittableRandom random,
      int ioThreads) {
    public Options {
      Objects.requireNonNull(clock);
      Objects.requireNonNull(nanoTime);
      Objects.requireNonNull(random);
      if (ioThreads < 1) {
        throw new IllegalArgumentException("ioThreads must be >= 1");
      }
    }

    public static Options realTime() {
      return new Options(InstantSource.system(), System::nanoTime, null, new SplittableRandom(), 1);
    }

    /** Manual time: the timer drives the clock; probes still run on real sockets. */
    public static Options manual(ManualProbeTimer timer, long seed) {
      return new Options(
          timer.clock(), timer.clock()::nanoTime, timer, new SplittableRandom(seed), 1);
    }
  }
}
