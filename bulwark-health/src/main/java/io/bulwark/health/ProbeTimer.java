package io.bulwark.health;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Schedules the probe loop. Injected so that tests drive intervals and timeouts with {@link
 * ManualProbeTimer} instead of waiting for real time.
 */
public interface ProbeTimer {
  /** Runs {@code task} once after {@code delay}; the handle cancels it if it has not run yet. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that may still be cancelled. */
  interface Cancellable {
    void cancel();
  }

  /** Real time on an executor the caller owns. */
  static ProbeTimer of(ScheduledExecutorService executor) {
    return (delay, task) -> {
      ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }
}
