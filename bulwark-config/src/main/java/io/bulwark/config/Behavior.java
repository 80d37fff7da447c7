package io.bulwark.config;

import java.util.Set;

/**
 * A cache behavior: a path pattern mapped to an origin group and its policies.
 *
 * @param pattern null for the default behavior
 * @param target where requests go; a behavior naming an origin gets an implicit group
 * @param cachePolicy the cache key and TTLs
 * @param originRequestPolicy extra forwarded values, or null (forward only the cache key's values)
 * @param viewerProtocolPolicy what plain HTTP gets
 * @param allowedMethods upper-case method names; others get 403
 * @param cachedMethods GET and HEAD, optionally OPTIONS
 * @param compress compress at the edge when the viewer accepts it (used by the caching issue)
 */
public record Behavior(
    PathPattern pattern,
    OriginGroupSpec target,
    CachePolicy cachePolicy,
    OriginRequestPolicy originRequestPolicy,
    ViewerProtocolPolicy viewerProtocolPolicy,
    Set<String> allowedMethods,
    Set<String> cachedMethods,
    boolean compress) {

  /** True for the default behavior. */
  public boolean isDefault() {
    return pattern == null;
  }
}
