package io.bulwark.waf;

import java.time.Duration;
import java.time.Instant;

/**
 * Request counters for rate-based rules. One node keeps them in memory ({@link
 * InMemoryRateCounterStore}); a cluster can put a shared store behind this interface later without
 * touching the rules.
 *
 * <p>Window semantics (every implementation must keep them so that verdicts agree): a window of W
 * seconds is split into 60 buckets of W/60 seconds aligned to the epoch (1 s for 60 s, 2 s for 120
 * s, 5 s for 300 s, 10 s for 600 s). The count at instant t is the sum of the bucket holding t and
 * the 59 before it, so requests older than W are never counted and requests younger than W - W/60
 * always are.
 */
public interface RateCounterStore {
  /**
   * Records one request for {@code key} at {@code now} and returns the key's count in the window
   * ending at {@code now}, this request included.
   */
  long record(String key, Instant now, Duration window);

  /** How many keys the store holds now (bounded by its capacity). */
  int trackedKeys();
}
