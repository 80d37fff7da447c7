package io.bulwark.edge.internal;

import io.bulwark.config.OriginGroupSpec;
import io.bulwark.core.ErrorKind;

/**
 * Whether a failed attempt may move on to the next origin of a group. Pure; the whole table of seed
 * 002 section 3 in two methods:
 *
 * <ul>
 *   <li>only GET, HEAD and OPTIONS fail over: a POST, PUT, PATCH or DELETE is never replayed
 *       against another origin, because it may already have taken effect;
 *   <li>a status fails over only when the group lists it (429 cannot be listed: config refuses it);
 *       2xx, 3xx and unlisted 4xx/5xx are answers and go to the viewer;
 *   <li>connection refused, reset and timeouts always fail over ({@link
 *       ErrorKind#failoverEligible()}).
 * </ul>
 */
public final class FailoverPolicy {
  private FailoverPolicy() {}

  /** Methods that may be sent to another origin after a failure. */
  public static boolean idempotentForFailover(String method) {
    return switch (method) {
      case "GET", "HEAD", "OPTIONS" -> true;
      default -> false;
    };
  }

  /** An origin answered {@code status}: try the next member instead of answering the viewer? */
  public static boolean onStatus(
      OriginGroupSpec group, String method, int status, boolean hasNext) {
    return hasNext && idempotentForFailover(method) && group.failoverStatusCodes().contains(status);
  }

  /** An attempt failed with {@code kind} before any response: try the next member? */
  public static boolean onError(String method, ErrorKind kind, boolean hasNext) {
    return hasNext && idempotentForFailover(method) && kind.failoverEligible();
  }

  /**
   * The health graph's part in failover (issue 5): members whose health check says they are down
   * move behind the healthy ones, so a hung primary costs one detection interval, not a response
   * timeout on every request. With every member down, they are tried in their configured order.
   * Per-request failover on statuses and connection errors still applies along this order.
   */
  public static java.util.List<io.bulwark.config.OriginSpec> attemptOrder(
      java.util.List<io.bulwark.config.OriginSpec> members, io.bulwark.edge.HealthView health) {
    boolean anyDown = false;
    for (io.bulwark.config.OriginSpec o : members) {
      if (o.healthCheck() != null && !health.isHealthy(o.healthCheck())) {
        anyDown = true;
        break;
      }
    }
    if (!anyDown) {
      return members;
    }
    java.util.List<io.bulwark.config.OriginSpec> up = new java.util.ArrayList<>(members.size());
    java.util.List<io.bulwark.config.OriginSpec> down = new java.util.ArrayList<>(members.size());
    for (io.bulwark.config.OriginSpec o : members) {
      (o.healthCheck() == null || health.isHealthy(o.healthCheck()) ? up : down).add(o);
    }
    up.addAll(down);
    return up;
  }
}
