package io.bulwark.cache.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The most recent invalidations, so that a fill which started before an invalidation and finishes
 * after it is refused instead of storing the object the invalidation meant to remove.
 *
 * <p>Bounded: at most {@code capacity} records are kept. When the oldest is dropped its time
 * becomes the horizon, and any fill that started at or before the horizon is refused, because an
 * invalidation it may have raced with is no longer known. Forgetting therefore only costs a cache
 * fill, never correctness. Times are made non-decreasing on record (an earlier {@code at} than the
 * last is recorded as the last), so a lookup walks from the newest record and stops at the first
 * one older than the fill.
 *
 * <p>Not thread-safe: the store guards it with its lock.
 */
public final class InvalidationLog {
  private final int capacity;
  private final ArrayDeque<Entry> entries;
  private Instant horizon = Instant.MIN;

  private record Entry(Instant at, String distributionId, InvalidationPattern pattern) {}

  public InvalidationLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  public void record(String distributionId, InvalidationPattern pattern, Instant at) {
    Entry newest = entries.peekLast();
    Instant t = newest != null && at.isBefore(newest.at()) ? newest.at() : at;
    if (entries.size() == capacity) {
      horizon = entries.removeFirst().at();
    }
    entries.addLast(new Entry(t, distributionId, pattern));
  }

  /**
   * Whether a fill of {@code path} in {@code distributionId} that started at {@code fillStartedAt}
   * may have raced with an invalidation: one that matches was recorded at or after the start, or
   * the start is at or before the horizon of forgotten records.
   */
  public boolean invalidatesFill(String distributionId, String path, Instant fillStartedAt) {
    if (!fillStartedAt.isAfter(horizon)) {
      return true;
    }
    Iterator<Entry> it = entries.descendingIterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (e.at().isBefore(fillStartedAt)) {
        return false;
      }
      if (e.distributionId().equals(distributionId) && e.pattern().matches(path)) {
        return true;
      }
    }
    return false;
  }

  public int size() {
    return entries.size();
  }
}
