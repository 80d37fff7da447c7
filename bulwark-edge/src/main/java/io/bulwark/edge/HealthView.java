package io.bulwark.edge;

/**
 * The edge's read of the health graph: whether the named check currently says its target is up.
 * Called per request, so implementations answer from memory without locking.
 */
@FunctionalInterface
public interface HealthView {
  boolean isHealthy(String checkId);

  /** For an edge without health checks: every origin counts as up. */
  HealthView ALL_HEALTHY = id -> true;
}
