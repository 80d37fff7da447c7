package io.bulwark.config;

import java.util.List;
import java.util.Set;

/**
 * An origin group: the primary, then the next member on a listed status, a connection failure or a
 * timeout, for GET, HEAD and OPTIONS only (seed 002 section 3).
 *
 * @param id unique id
 * @param members in order, primary first; at least one
 * @param failoverStatusCodes subset of {500, 502, 503, 504, 404, 403, 408}; 429 is refused at load
 * @param implicit true for the single-member group made for a behavior that names an origin
 *     directly (valid, but it has no failover: lint says so)
 */
public record OriginGroupSpec(
    String id, List<OriginSpec> members, Set<Integer> failoverStatusCodes, boolean implicit) {

  /** The status codes CloudFront accepts as failover criteria. */
  public static final Set<Integer> ALLOWED_FAILOVER_STATUSES =
      Set.of(500, 502, 503, 504, 404, 403, 408);
}
