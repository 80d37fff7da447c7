package io.bulwark.edge.internal;

import io.bulwark.core.ErrorKind;
import io.bulwark.waf.Action;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  private final ConcurrentHashMap<String, WafCounters> wafByAcl = new ConcurrentHashMap<>();

  /**
   * The counters of one web ACL ({@code bulwark_waf_requests{web_acl,rule,action}}, AWS WAF's
   * per-rule metrics). Kept by name for the process's life, like every meter, so a reload keeps
   * counting into the same series.
   */
  WafCounters waf(String webAcl) {
    // Most edges run one web ACL, and the name is the loaded configuration's String: the last one
    // asked for, compared by identity, skips the map. Racy on purpose: a WafCounters is immutable
    // apart from its concurrent maps, and a stale or missed entry only costs the lookup.
    WafCounters w = lastWaf;
    if (w != null && w.webAcl == webAcl) {
      return w;
    }
    w = wafByAcl.get(webAcl);
    if (w == null) {
      w = wafByAcl.computeIfAbsent(webAcl, WafCounters::new);
    }
    lastWaf = w;
    return w;
  }

  private WafCounters lastWaf;

  /**
   * One web ACL's counters by action, then rule: a request costs one list index and one lookup by
   * the rule name (a String from the loaded configuration, whose hash is cached), where a key built
   * from the tags would cost a concatenation and a fresh hash per request. A series appears on its
   * first increment, as before.
   */
  final class WafCounters {
    private static final Action[] ACTIONS = Action.values();

    private final String webAcl;
    private final List<ConcurrentHashMap<String, Counter>> byAction = new ArrayList<>();

    private WafCounters(String webAcl) {
      this.webAcl = webAcl;
      for (int i = 0; i < ACTIONS.length; i++) {
        byAction.add(new ConcurrentHashMap<>());
      }
    }

    /** A rule decided ({@code action} ALLOW, BLOCK, CHALLENGE, ...) or counted (COUNT). */
    void increment(String rule, Action action) {
      ConcurrentHashMap<String, Counter> byRule = byAction.get(action.ordinal());
      Counter c = byRule.get(rule);
      if (c == null) {
        c =
            byRule.computeIfAbsent(
                rule,
                r ->
                    Counter.builder("bulwark_waf_requests")
                        .description("Requests by web ACL, deciding or counting rule, and action")
                        .tags(
                            "web_acl",
                            webAcl,
                            "rule",
                            r,
                            "action",
                            action.name().toLowerCase(Locale.ROOT))
                        .register(registry));
      }
      c.increment();
    }
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
