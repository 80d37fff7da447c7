package io.bulwark.core;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when told to. Decisions take an {@link InstantSource}; tests pass this
 * and {@link #advance(Duration)} it instead of sleeping (the shape of Caffeine's {@code
 * FakeTicker}). Thread-safe.
 */
public final class ManualClock implements InstantSource {
  private final AtomicLong nanosSinceEpoch;

  public ManualClock(Instant start) {
    this.nanosSinceEpoch =
        new AtomicLong(
            Math.addExact(
                Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L), start.getNano()));
  }

  /** A clock at a fixed, readable instant: 2026-01-01T00:00:00Z. */
  public static ManualClock atDefaultStart() {
    return new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(
          "a clock is advanced by a non-negative duration, got " + d);
    }
    nanosSinceEpoch.addAndGet(d.toNanos());
  }

  public void set(Instant instant) {
    nanosSinceEpoch.set(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
  }

  @Override
  public Instant instant() {
    long n = nanosSinceEpoch.get();
    return Instant.ofEpochSecond(
        Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }

  /** Monotonic nanoseconds, for code that measures intervals with a {@code LongSupplier}. */
  public long nanoTime() {
    return nanosSinceEpoch.get();
  }
}
