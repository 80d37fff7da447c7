package io.bulwark.health;

import io.bulwark.health.internal.Prober;
import io.bulwark.health.internal.Prober.Outcome;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One checker: probes its target once per interval and reports each result to the graph.
 *
 * <p>It never piles up. At most one probe is in flight; a probe still running when its timeout
 * falls due is reported as {@code "timeout"} and cancelled (which closes its connection); if a tick
 * finds a probe still in flight anyway, it reports another timeout instead of starting a second
 * one. The first tick is at a random offset within the interval and each later tick is jittered by
 * up to ±5% of it, so many checks do not fire in bursts.
 */
final class ProbeLoop {
  private final HealthGraph graph;
  private final CheckSpec spec;
  private final String checkerId;
  private final Prober prober;
  private final ProbeTimer timer;
  private final InstantSource clock;
  private final LongSupplier nanoTime;
  private final RandomGenerator random;

  private CompletableFuture<Outcome> inFlight;
  private boolean reported;
  private long startedNanos;
  private ProbeTimer.Cancellable nextTick;
  private ProbeTimer.Cancellable timeoutTask;
  private boolean closed;

  ProbeLoop(
      HealthGraph graph,
      CheckSpec spec,
      String checkerId,
      Prober prober,
      ProbeTimer timer,
      InstantSource clock,
      LongSupplier nanoTime,
      RandomGenerator random) {
    this.graph = graph;
    this.spec = spec;
    this.checkerId = checkerId;
    this.prober = prober;
    this.timer = timer;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.random = random;
  }

  synchronized void start() {
    graph.registerChecker(spec.id(), checkerId);
    long interval = spec.requestInterval().toNanos();
    nextTick = timer.schedule(Duration.ofNanos(random.nextLong(interval)), this::tick);
  }

  synchronized void close() {
    closed = true;
    if (nextTick != null) {
      nextTick.cancel();
    }
    if (timeoutTask != null) {
      timeoutTask.cancel();
    }
    if (inFlight != null) {
      reported = true;
      inFlight.cancel(false);
    }
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    long interval = spec.requestInterval().toNanos();
    long jitter = interval / 20;
    long delay = jitter > 0 ? interval + random.nextLong(-jitter, jitter + 1) : interval;
    nextTick = timer.schedule(Duration.ofNanos(delay), this::tick);
    if (inFlight != null) {
      graph.report(spec.id(), checkerId, ProbeResult.failure(clock.instant(), "timeout", 0, null));
      return;
    }
    startedNanos = nanoTime.getAsLong();
    CompletableFuture<Outcome> f;
    try {
      f = prober.probe();
    } catch (RuntimeException e) {
      graph.report(
          spec.id(),
          checkerId,
          ProbeResult.failure(clock.instant(), "probe failed: " + e, 0, null));
      return;
    }
    inFlight = f;
    reported = false;
    graph.probeStarted(spec.id(), checkerId);
    timeoutTask = timer.schedule(spec.timeout(), () -> onTimeout(f));
    f.whenComplete((o, e) -> onDone(f, o));
  }

  private synchronized void onTimeout(CompletableFuture<Outcome> f) {
    if (inFlight != f || reported) {
      return;
    }
    reported = true;
    graph.report(
        spec.id(), checkerId, ProbeResult.failure(clock.instant(), "timeout", 0, latency()));
    f.cancel(false);
  }

  private synchronized void onDone(CompletableFuture<Outcome> f, Outcome outcome) {
    if (inFlight != f) {
      return;
    }
    inFlight = null;
    if (timeoutTask != null) {
      timeoutTask.cancel();
      timeoutTask = null;
    }
    if (reported || closed) {
      return;
    }
    reported = true;
    Outcome o = outcome != null ? outcome : Outcome.failure("probe failed");
    graph.report(
        spec.id(),
        checkerId,
        new ProbeResult(clock.instant(), o.healthy(), o.reason(), o.status(), latency()));
  }

  private Duration latency() {
    return Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - startedNanos));
  }
}
