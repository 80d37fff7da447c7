package io.bulwark.health;

import io.bulwark.core.ManualClock;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link ProbeTimer} that runs tasks only when its {@link ManualClock} is advanced through it, in
 * due order, moving the clock to each task's due time before running it. For tests: a failover that
 * takes three 10-second intervals is three calls to {@link #advance}, not thirty seconds of
 * waiting.
 */
public final class ManualProbeTimer implements ProbeTimer {
  private final ManualClock clock;
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private long seq;

  public ManualProbeTimer(ManualClock clock) {
    this.clock = clock;
  }

  public ManualClock clock() {
    return clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(clock.nanoTime() + delay.toNanos(), seq++, task);
    queue.add(t);
    return () -> {
      synchronized (ManualProbeTimer.this) {
        queue.remove(t);
      }
    };
  }

  /** Advances the clock by {@code d}, running every task that falls due on the way. */
  public void advance(Duration d) {
    long target = clock.nanoTime() + d.toNanos();
    while (true) {
      Task t;
      synchronized (this) {
        t = queue.peek();
        if (t == null || t.due > target) {
          break;
        }
        queue.poll();
      }
      if (t.due > clock.nanoTime()) {
        clock.advance(Duration.ofNanos(t.due - clock.nanoTime()));
      }
      t.task.run();
    }
    if (target > clock.nanoTime()) {
      clock.advance(Duration.ofNanos(target - clock.nanoTime()));
    }
  }

  public synchronized int pending() {
    return queue.size();
  }

  private record Task(long due, long seq, Runnable task) {}
}
