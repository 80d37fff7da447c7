package io.bulwark.config;

import java.time.Duration;

/**
 * What makes two requests the same object, and for how long a response is kept.
 *
 * <p>TTL rules (DESIGN.md): Cache-Control s-maxage/max-age (or Expires) clamped to [minTtl,
 * maxTtl]; defaultTtl when the origin says nothing; no-store and private honoured unless {@code
 * cachePrivateAtMinTtl} (CloudFront's behaviour when MinTTL &gt; 0) is set.
 *
 * @param id unique id (managed: CachingOptimized, CachingOptimizedForUncompressedObjects,
 *     CachingDisabled)
 * @param minTtl floor of the TTL
 * @param defaultTtl TTL when the origin gives none
 * @param maxTtl ceiling of the TTL; 0 with the others 0 disables caching
 * @param headers headers in the key (names lower-cased)
 * @param cookies cookies in the key
 * @param queryStrings query string parameters in the key
 * @param gzip key on (and serve) gzip variants
 * @param brotli key on (and serve) br variants
 * @param cachePrivateAtMinTtl when true and minTtl &gt; 0, no-store/no-cache/private responses are
 *     still cached for minTtl, as CloudFront does
 * @param errorCachingTtl how long an origin 4xx/5xx without explicit freshness is kept
 *     (CloudFront's ErrorCachingMinTTL, 10 s by default); zero: such errors are not cached
 * @param serveStaleOnError how long past its TTL a stored response may still be served when the
 *     origin answers 5xx or every origin of the group fails (on top of stale-if-error); zero: none
 * @param heuristicFreshness whether a response with Last-Modified and no explicit freshness gets a
 *     heuristic lifetime (RFC 9111 4.2.2: 10% of its age, capped at one day) instead of defaultTtl
 * @param targetedCacheControl the lower-cased name of an extra targeted cache-control field (RFC
 *     9213) honoured before CDN-Cache-Control, or null
 */
public record CachePolicy(
    String id,
    Duration minTtl,
    Duration defaultTtl,
    Duration maxTtl,
    KeyFields headers,
    KeyFields cookies,
    KeyFields queryStrings,
    boolean gzip,
    boolean brotli,
    boolean cachePrivateAtMinTtl,
    Duration errorCachingTtl,
    Duration serveStaleOnError,
    boolean heuristicFreshness,
    String targetedCacheControl) {

  /** CloudFront's ErrorCachingMinTTL default. */
  public static final Duration DEFAULT_ERROR_CACHING_TTL = Duration.ofSeconds(10);

  /** A policy with the defaults of everything the caching issue added. */
  public CachePolicy(
      String id,
      Duration minTtl,
      Duration defaultTtl,
      Duration maxTtl,
      KeyFields headers,
      KeyFields cookies,
      KeyFields queryStrings,
      boolean gzip,
      boolean brotli,
      boolean cachePrivateAtMinTtl) {
    this(
        id,
        minTtl,
        defaultTtl,
        maxTtl,
        headers,
        cookies,
        queryStrings,
        gzip,
        brotli,
        cachePrivateAtMinTtl,
        DEFAULT_ERROR_CACHING_TTL,
        Duration.ZERO,
        false,
        null);
  }

  /** Caching is disabled when every TTL is zero (CloudFront's CachingDisabled). */
  public boolean cachingDisabled() {
    return maxTtl.isZero() && defaultTtl.isZero() && minTtl.isZero();
  }
}
