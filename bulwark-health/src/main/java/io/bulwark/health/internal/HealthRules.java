package io.bulwark.health.internal;

/**
 * The health decisions, as pure functions (seed 002 §1, "health check healthy: by consecutive
 * results against the threshold, from several checkers, by quorum").
 *
 * <ol>
 *   <li>A checker flips only after {@code failureThreshold} consecutive results that disagree with
 *       its current state, in either direction; a single agreeing result resets the streak, so one
 *       blip never flips a record.
 *   <li>A check is healthy when strictly more than {@code healthyShare} of its checkers are healthy
 *       (Route 53: more than 18%). A check with no checkers yet is healthy.
 *   <li>A calculated check is healthy when at least {@code healthThreshold} children are healthy;
 *       threshold = children is AND, 1 is OR, 0 is always healthy.
 *   <li>A disabled check is healthy whatever it would measure; inversion is applied last, so a
 *       disabled inverted check is always unhealthy, which is how an operator drains a record.
 * </ol>
 */
public final class HealthRules {
  private HealthRules() {}

  /** A checker's state: its current view and how many consecutive results contradict it. */
  public record CheckerState(boolean healthy, int streak) {
    public static final CheckerState INITIAL = new CheckerState(true, 0);
  }

  public static CheckerState next(CheckerState state, boolean probeHealthy, int failureThreshold) {
    if (probeHealthy == state.healthy()) {
      return state.streak() == 0 ? state : new CheckerState(state.healthy(), 0);
    }
    int streak = state.streak() + 1;
    return streak >= failureThreshold
        ? new CheckerState(probeHealthy, 0)
        : new CheckerState(state.healthy(), streak);
  }

  public static boolean quorum(int healthyCheckers, int totalCheckers, double healthyShare) {
    if (totalCheckers == 0) {
      return true;
    }
    // Compare as integers scaled by 1e6 to avoid 1/3 > 0.33 surprises with doubles.
    long share = Math.round(healthyShare * 1_000_000);
    return (long) healthyCheckers * 1_000_000 > share * totalCheckers;
  }

  public static boolean calculated(int healthyChildren, int healthThreshold) {
    return healthyChildren >= healthThreshold;
  }

  public static boolean effective(boolean measured, boolean disabled, boolean inverted) {
    boolean raw = disabled || measured;
    return inverted != raw;
  }
}
