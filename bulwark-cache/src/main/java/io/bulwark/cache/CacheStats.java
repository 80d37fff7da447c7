package io.bulwark.cache;

/**
 * A snapshot of a store's counters (cumulative since start, except entries and bytes).
 *
 * @param entries objects held (Caffeine's estimate: exact once pending maintenance has run)
 * @param bytes the sum of {@link CachedResponse#sizeBytes()} held
 * @param evictions objects removed to stay within the byte budget
 * @param invalidated objects removed by invalidations
 * @param refusedTooLarge puts refused for exceeding the object size limit
 * @param refusedInvalidatedDuringFill puts refused because an invalidation overlapped their fill
 */
public record CacheStats(
    long entries,
    long bytes,
    long evictions,
    long invalidated,
    long refusedTooLarge,
    long refusedInvalidatedDuringFill) {}
