package io.bulwark.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.bulwark.cache.internal.InvalidationLog;
import io.bulwark.cache.internal.InvalidationPattern;
import io.bulwark.config.CacheSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory store: a Caffeine cache bounded by a byte budget ({@code maximumWeight} with each
 * entry weighing {@link CachedResponse#sizeBytes()}), so eviction follows Caffeine's W-TinyLFU
 * policy and the budget counts body and header bytes rather than entries.
 *
 * <h2>The invalidation race</h2>
 *
 * A fill that starts before an invalidation and completes after it would otherwise store the very
 * object the invalidation meant to remove, and serve it for a whole TTL. Two things close that:
 *
 * <ul>
 *   <li>an {@link InvalidationLog} of the last {@value #INVALIDATION_LOG_SIZE} invalidations (time,
 *       distribution, compiled pattern); {@link #put} refuses a response whose fill started at or
 *       before a matching invalidation, and refuses any fill older than the oldest record still
 *       kept (so the bound costs at most a refill, never a stale object);
 *   <li>a read/write lock: puts hold the read lock while they check the log and insert (puts do not
 *       block each other), an invalidation holds the write lock while it records itself and removes
 *       the matching entries. A put is therefore entirely before an invalidation (and its entry is
 *       removed by the scan) or entirely after it (and sees the record). Lookups take no lock.
 * </ul>
 *
 * <p>Entries past their TTL stay until evicted; {@link #get} returns them and the caller decides
 * with {@link CacheDecisions#freshness}. Invalidation scans the whole map, which is fine for
 * operator-driven invalidations (a few per minute); it is not meant for per-request purges.
 */
public final class MemoryCacheStore implements CacheStore {
  /** How many recent invalidations are remembered for the fill race. */
  public static final int INVALIDATION_LOG_SIZE = 1024;

  /**
   * How many recent unsafe-method purges are remembered (ten minutes at most) for the fill race.
   */
  public static final int PURGE_RECORDS = 100_000;

  /** How many primary keys' Vary field lists are remembered. */
  public static final int VARY_RECORDS = 100_000;

  private final long maxBytes;
  private final long maxObjectBytes;
  private final Cache<CacheKey, CachedResponse> cache;

  /**
   * Primary key to the request fields its responses vary on (RFC 9111 4.1). Bounded by count: a
   * forgotten record costs a miss (the variant is then fetched again), never a wrong answer.
   */
  private final Cache<CacheKey, List<String>> vary;

  /**
   * Distribution and path ({@link #pathId}) to the keys stored for it, for {@link #purge}. Kept
   * exact by updating it per path atomically ({@code compute}): a put adds its key after inserting
   * the entry, and the removal listener drops a key only if the cache no longer holds it, so a
   * listener that runs late never unlists a key put again since.
   */
  private final ConcurrentHashMap<String, Set<CacheKey>> byPath = new ConcurrentHashMap<>();

  /** Recent purges by path id: fills that started at or before one are refused (the fill race). */
  private final Cache<String, Instant> purges;

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final InvalidationLog log;
  private final LongAdder invalidated = new LongAdder();
  private final LongAdder refusedTooLarge = new LongAdder();
  private final LongAdder refusedRace = new LongAdder();

  /** Test seam: runs inside put() between the invalidation check and the insert. */
  volatile Runnable betweenCheckAndInsert;

  /** A store with the configured budget and object size limit. */
  public MemoryCacheStore(CacheSettings settings) {
    this(settings.maxBytes(), settings.maxObjectBytes());
  }

  /**
   * @param maxBytes total {@link CachedResponse#sizeBytes()} kept; 0 stores nothing
   * @param maxObjectBytes the largest body accepted by {@link #put}, capped at {@link
   *     BodyAccumulator#MAX_BODY_BYTES} (a body is one ByteBuffer)
   */
  public MemoryCacheStore(long maxBytes, long maxObjectBytes) {
    this(maxBytes, maxObjectBytes, ForkJoinPool.commonPool(), INVALIDATION_LOG_SIZE);
  }

  /**
   * For tests: a synchronous executor makes eviction deterministic; a small log tests the bound.
   */
  MemoryCacheStore(long maxBytes, long maxObjectBytes, Executor executor, int invalidationLogSize) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
    }
    if (maxObjectBytes < 0) {
      throw new IllegalArgumentException(
          "maxObjectBytes must not be negative, got " + maxObjectBytes);
    }
    this.maxBytes = maxBytes;
    this.maxObjectBytes = Math.min(maxObjectBytes, BodyAccumulator.MAX_BODY_BYTES);
    this.log = new InvalidationLog(invalidationLogSize);
    this.cache =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher(
                (CacheKey k, CachedResponse v) -> (int) Math.min(v.sizeBytes(), Integer.MAX_VALUE))
            .executor(executor)
            .removalListener(
                (CacheKey k, CachedResponse v, RemovalCause cause) -> {
                  if (k != null && v != null) {
                    unlist(k, v);
                  }
                })
            .recordStats()
            .build();
    this.purges =
        Caffeine.newBuilder()
            .maximumSize(PURGE_RECORDS)
            .expireAfterWrite(Duration.ofMinutes(10))
            .executor(executor)
            .build();
    this.vary = Caffeine.newBuilder().maximumSize(VARY_RECORDS).executor(executor).build();
  }

  /** The object size limit in force (the configured one, capped at one ByteBuffer's size). */
  public long maxObjectBytes() {
    return maxObjectBytes;
  }

  @Override
  public CachedResponse get(CacheKey key) {
    return cache.getIfPresent(key);
  }

  @Override
  public PutResult put(CachedResponse response, Instant fillStartedAt) {
    Objects.requireNonNull(fillStartedAt, "fillStartedAt");
    if (response.bodyLength() > maxObjectBytes || response.sizeBytes() > maxBytes) {
      refusedTooLarge.increment();
      return PutResult.TOO_LARGE;
    }
    ReentrantReadWriteLock.ReadLock read = lock.readLock();
    read.lock();
    try {
      if (log.invalidatesFill(response.distributionId(), response.path(), fillStartedAt)) {
        refusedRace.increment();
        return PutResult.INVALIDATED_DURING_FILL;
      }
      Runnable seam = betweenCheckAndInsert;
      if (seam != null) {
        seam.run();
      }
      String id = pathId(response.distributionId(), response.path());
      Instant purgedAt = purges.getIfPresent(id);
      if (purgedAt != null && !fillStartedAt.isAfter(purgedAt)) {
        refusedRace.increment();
        return PutResult.INVALIDATED_DURING_FILL;
      }
      cache.put(response.key(), response);
      CacheKey key = response.key();
      byPath.compute(
          id,
          (p, set) -> {
            Set<CacheKey> out = set == null ? ConcurrentHashMap.newKeySet() : set;
            out.add(key);
            return out;
          });
      return PutResult.STORED;
    } finally {
      read.unlock();
    }
  }

  @Override
  public int invalidate(String distributionId, String pathPattern, Instant at) {
    InvalidationPattern pattern = InvalidationPattern.compile(pathPattern);
    ReentrantReadWriteLock.WriteLock write = lock.writeLock();
    write.lock();
    try {
      log.record(distributionId, pattern, at);
      int removed = 0;
      Map<CacheKey, CachedResponse> map = cache.asMap();
      for (Map.Entry<CacheKey, CachedResponse> e : map.entrySet()) {
        CachedResponse v = e.getValue();
        if (v.distributionId().equals(distributionId)
            && pattern.matches(v.path())
            && map.remove(e.getKey(), v)) {
          removed++;
        }
      }
      invalidated.add(removed);
      return removed;
    } finally {
      write.unlock();
    }
  }

  private static String pathId(String distributionId, String path) {
    return distributionId + "\n" + path;
  }

  private void unlist(CacheKey key, CachedResponse v) {
    byPath.computeIfPresent(
        pathId(v.distributionId(), v.path()),
        (p, set) -> {
          if (!cache.asMap().containsKey(key)) {
            set.remove(key);
          }
          return set.isEmpty() ? null : set;
        });
  }

  @Override
  public int purge(String distributionId, String path, Instant at) {
    String id = pathId(distributionId, path);
    ReentrantReadWriteLock.WriteLock write = lock.writeLock();
    write.lock(); // a put is entirely before (its entry is removed) or after (it sees the record)
    try {
      purges.asMap().merge(id, at, (a, b) -> a.isAfter(b) ? a : b);
      Set<CacheKey> keys = byPath.get(id);
      if (keys == null) {
        return 0;
      }
      int removed = 0;
      Map<CacheKey, CachedResponse> map = cache.asMap();
      for (CacheKey k : keys.toArray(new CacheKey[0])) {
        if (map.remove(k) != null) {
          removed++;
        }
      }
      invalidated.add(removed);
      return removed;
    } finally {
      write.unlock();
    }
  }

  @Override
  public void remove(CacheKey key) {
    cache.invalidate(key);
  }

  @Override
  public List<String> varyNames(CacheKey primary) {
    return vary.getIfPresent(primary);
  }

  @Override
  public void recordVary(CacheKey primary, List<String> names) {
    if (names.isEmpty()) {
      vary.invalidate(primary);
    } else {
      vary.put(primary, List.copyOf(names));
    }
  }

  @Override
  public CacheStats stats() {
    long bytes = cache.policy().eviction().map(ev -> ev.weightedSize().orElse(0L)).orElse(0L);
    return new CacheStats(
        cache.estimatedSize(),
        bytes,
        cache.stats().evictionCount(),
        invalidated.sum(),
        refusedTooLarge.sum(),
        refusedRace.sum());
  }

  /** Runs Caffeine's pending maintenance (eviction) now; for tests. */
  void cleanUp() {
    cache.cleanUp();
  }
}
