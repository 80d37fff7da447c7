package io.bulwark.cache;

import java.time.Duration;

/**
 * How fresh a cached entry is at one instant.
 *
 * @param fresh true while the current age is below the TTL (RFC 9111 4.2: freshness_lifetime &gt;
 *     current_age)
 * @param currentAge the entry's age (RFC 9111 4.2.3): its age when stored, counting the upstream
 *     Age header, plus the time it has been in this cache
 * @param remainingTtl how long it stays fresh; zero once stale
 * @param staleFor how long it has been stale; zero while fresh (the stale-while-revalidate and
 *     stale-if-error windows compare against this)
 */
public record Freshness(
    boolean fresh, Duration currentAge, Duration remainingTtl, Duration staleFor) {

  /** The Age header value to send: whole seconds of the current age (RFC 9111 5.1). */
  public long ageSeconds() {
    return Math.min(currentAge.getSeconds(), CacheControl.DELTA_SECONDS_MAX);
  }
}
