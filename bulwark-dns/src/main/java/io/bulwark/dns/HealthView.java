package io.bulwark.dns;

/**
 * What the DNS plane needs from the health plane: {@code HealthGraph::isHealthy} fits. Called on
 * the DNS event loop, so it must be cheap and non-blocking.
 */
@FunctionalInterface
public interface HealthView {
  boolean isHealthy(String checkId);

  /** Every check healthy: for zones without health checks and for tests. */
  HealthView ALL_HEALTHY = id -> true;
}
