package io.bulwark.cache;

import java.time.Instant;

/**
 * Where cached responses live. Implementations are thread-safe. The store decides nothing about
 * HTTP: the edge asks {@link CacheDecisions} whether to store and whether an entry is fresh.
 */
public interface CacheStore {

  /**
   * The entry for the key, fresh or not, or null. Stale entries are kept until evicted (issue 3
   * serves them while revalidating or when the origin fails); the caller checks {@link
   * CachedResponse#freshness(Instant)}.
   */
  CachedResponse get(CacheKey key);

  /**
   * Stores (or replaces) the entry for its key.
   *
   * @param fillStartedAt when the origin request for this response was sent, from the same clock as
   *     {@link #invalidate}'s {@code at}: a matching invalidation at or after it refuses the put
   */
  PutResult put(CachedResponse response, Instant fillStartedAt);

  /**
   * Removes every entry of the distribution whose path matches a CloudFront invalidation path
   * ({@code *} wildcard: {@code /images/*}, {@code /*}), and refuses fills of matching paths that
   * started before {@code at} and complete after it.
   *
   * @return the number of entries removed
   */
  int invalidate(String distributionId, String pathPattern, Instant at);

  CacheStats stats();

  /** What {@link #put} did. */
  enum PutResult {
    STORED,
    /** The body exceeds the object size limit, or the entry the whole budget. */
    TOO_LARGE,
    /** An invalidation matching the path happened while the response was being fetched. */
    INVALIDATED_DURING_FILL
  }
}
