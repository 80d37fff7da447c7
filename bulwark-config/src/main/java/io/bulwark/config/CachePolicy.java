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
    boolean cachePrivateAtMinTtl) {

  /** Caching is disabled when every TTL is zero (CloudFront's CachingDisabled). */
  public boolean cachingDisabled() {
    return maxTtl.isZero() && defaultTtl.isZero() && minTtl.isZero();
  }
}
