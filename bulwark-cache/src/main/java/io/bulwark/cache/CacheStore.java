package io.bulwark.cache;

import java.time.Instant;
import java.util.List;

/**
 * Where cached responses live. Implementations are thread-safe. The store decides nothing about
 * HTTP: the edge asks {@link CacheDecisions} whether to store and whether an entry is fresh.
 */
public interface CacheStore {

  /**
   * The entry for the key, fresh or not, or null. Stale entries are kept until evicted (the edge
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

  /**
   * Removes every entry of the distribution stored for exactly this path (every query, header,
   * cookie, encoding and Vary variant), and refuses fills of that path that started at or before
   * {@code at}. For the invalidation after an unsafe request (RFC 9111 4.4): cheap enough to run
   * per request, unlike {@link #invalidate}, and it does not touch the operator invalidation log.
   *
   * @return the number of entries removed
   */
  int purge(String distributionId, String path, Instant at);

  /** Removes the entry for the key, if any (a replaced variant, RFC 9111 4.1). */
  void remove(CacheKey key);

  /**
   * The request fields the responses under this primary key vary on, as last recorded with {@link
   * #recordVary}, or null when none were recorded: the edge then looks the secondary key up.
   */
  List<String> varyNames(CacheKey primary);

  /**
   * Records that responses under {@code primary} vary on {@code names} (lower-cased, from {@link
   * CacheDecisions#varyNames}); an empty list forgets it.
   */
  void recordVary(CacheKey primary, List<String> names);

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
