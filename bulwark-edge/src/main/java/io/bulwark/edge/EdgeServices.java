package io.bulwark.edge;

import io.bulwark.cache.CacheStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.function.ToIntFunction;

/**
 * What the edge needs from the process around it. Shared across reloads: the cache and the metrics
 * survive a config swap.
 *
 * @param cache the response store
 * @param meters where edge metrics are registered
 * @param accessLog where access-log records go
 * @param clock wall clock for freshness decisions and log times
 * @param staticOriginPorts the bound port of a built-in static origin by id (resolved at request
 *     time, so a restarted static origin may move)
 * @param health which origins' health checks say they are up
 * @param wafSamples where sampled web ACL requests are kept for the admin API
 */
public record EdgeServices(
    CacheStore cache,
    MeterRegistry meters,
    AccessLogSink accessLog,
    InstantSource clock,
    ToIntFunction<String> staticOriginPorts,
    HealthView health,
    WafSamples wafSamples) {

  /** Services with health checks and a fresh sample store. */
  public EdgeServices(
      CacheStore cache,
      MeterRegistry meters,
      AccessLogSink accessLog,
      InstantSource clock,
      ToIntFunction<String> staticOriginPorts,
      HealthView health) {
    this(cache, meters, accessLog, clock, staticOriginPorts, health, new WafSamples());
  }

  /** Services without health checks. */
  public EdgeServices(
      CacheStore cache,
      MeterRegistry meters,
      AccessLogSink accessLog,
      InstantSource clock,
      ToIntFunction<String> staticOriginPorts) {
    this(
        cache,
        meters,
        accessLog,
        clock,
        staticOriginPorts,
        HealthView.ALL_HEALTHY,
        new WafSamples());
  }
}
