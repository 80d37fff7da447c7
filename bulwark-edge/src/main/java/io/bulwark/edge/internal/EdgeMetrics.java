package io.bulwark.edge.internal;

import io.bulwark.core.ErrorKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's meters. Meters are looked up once per tag combination and kept, so the request path
 * does a map lookup and an increment, not a registry search.
 */
public final class EdgeMetrics {
  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final AtomicLong openConnections = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final Counter bytesOut;
  private final Counter bytesIn;

  public EdgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("bulwark_open_connections", openConnections);
    io.micrometer.core.instrument.Gauge.builder(
            "bulwark_cache_hit_ratio",
            this,
            m -> {
              long h = m.hits.get();
              long total = h + m.misses.get();
              return total == 0 ? 0.0 : (double) h / total;
            })
        .description("Cache hits / (hits + misses) since start")
        .register(registry);
    this.bytesOut =
        Counter.builder("bulwark_bytes_out")
            .description("Body bytes sent to viewers")
            .register(registry);
    this.bytesIn =
        Counter.builder("bulwark_bytes_in")
            .description("Body bytes received from viewers")
            .register(registry);
  }

  void connectionOpened() {
    openConnections.incrementAndGet();
  }

  void connectionClosed() {
    openConnections.decrementAndGet();
  }

  /** Per distribution: one counter per status class, looked up without building strings. */
  private final ConcurrentHashMap<String, Counter[]> byDistribution = new ConcurrentHashMap<>();

  private final ConcurrentHashMap<String, Counter> byResult = new ConcurrentHashMap<>();

  private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

  void request(String distribution, int status, String resultType, long out, long in) {
    Counter[] classes = byDistribution.get(distribution);
    if (classes == null) {
      classes =
          byDistribution.computeIfAbsent(
              distribution,
              d -> {
                Counter[] cs = new Counter[STATUS_CLASSES.length];
                for (int i = 0; i < cs.length; i++) {
                  cs[i] =
                      Counter.builder("bulwark_requests")
                          .description("Requests by distribution and status class")
                          .tags("distribution", d, "status_class", STATUS_CLASSES[i])
                          .register(registry);
                }
                return cs;
              });
    }
    int c = status < 100 || status > 599 ? 0 : status / 100;
    classes[c].increment();
    Counter r = byResult.get(resultType);
    if (r == null) {
      r =
          byResult.computeIfAbsent(
              resultType,
              t ->
                  Counter.builder("bulwark_cache_results")
                      .description(
                          "Responses by cache result (Hit, RefreshHit, Miss, Error, Redirect)")
                      .tags("result", t)
                      .register(registry));
    }
    r.increment();
    if ("Hit".equals(resultType) || "RefreshHit".equals(resultType)) {
      hits.incrementAndGet();
    } else if ("Miss".equals(resultType)) {
      misses.incrementAndGet();
    }
    bytesOut.increment(out);
    if (in > 0) {
      bytesIn.increment(in);
    }
  }

  /**
   * A stale response was served (stale-while-revalidate, stale-if-error or the policy's
   * serve-stale-on-error window): counted on its own so grace never hides an outage.
   */
  void staleServed(String distribution, String reason) {
    String key = "s|" + distribution + "|" + reason; // rare path: a string is fine here
    Counter c = counters.get(key);
    if (c == null) {
      c =
          counters.computeIfAbsent(
              key,
              k ->
                  Counter.builder("bulwark_cache_stale_served")
                      .description("Stale responses served, by reason")
                      .tags("distribution", distribution, "reason", reason)
                      .register(registry));
    }
    c.increment();
  }

  /** A web ACL rule decided or counted a request (AWS WAF's per-rule metrics). */
  void waf(String webAcl, String rule, String action) {
    String key = "w|" + webAcl + "|" + rule + "|" + action;
    Counter c = counters.get(key);
    if (c == null) {
      c =
          counters.computeIfAbsent(
              key,
              k ->
                  Counter.builder("bulwark_waf_requests")
                      .description("Requests by web ACL, deciding or counting rule, and action")
                      .tags("web_acl", webAcl, "rule", rule, "action", action)
                      .register(registry));
    }
    c.increment();
  }

  void failover(String group, String fromOrigin, String reason) {
    counter(
            "f|" + group + "|" + fromOrigin + "|" + reason,
            "bulwark_origin_failovers",
            "Requests moved to the next origin of a group",
            "group",
            group,
            "from_origin",
            fromOrigin,
            "reason",
            reason)
        .increment();
  }

  void originError(String origin, ErrorKind kind) {
    counter(
            "e|" + origin + "|" + kind,
            "bulwark_origin_errors",
            "Failed origin attempts by kind",
            "origin",
            origin,
            "kind",
            kind.name())
        .increment();
  }

  void originLatency(String origin, long nanos) {
    timers
        .computeIfAbsent(
            origin,
            o ->
                Timer.builder("bulwark_origin_latency")
                    .description("Time to the origin's response headers")
                    .tag("origin", o)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter counter(String cacheKey, String name, String description, String... tags) {
    Counter c = counters.get(cacheKey);
    if (c == null) {
      c =
          counters.computeIfAbsent(
              cacheKey,
              k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
    return c;
  }
}
