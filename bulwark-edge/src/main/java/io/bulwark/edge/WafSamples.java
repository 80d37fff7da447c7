package io.bulwark.edge;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sampled requests per web ACL rule, as AWS WAF's "sampled requests": a bounded ring of the latest
 * {@value #PER_RULE} requests each rule decided or counted, queryable by time window through the
 * admin API. Sensitive headers are never kept (only method, URI, client, action and labels).
 */
public final class WafSamples {
  /** Kept per (web ACL, rule); older samples are overwritten. */
  public static final int PER_RULE = 100;

  /** One sampled request. */
  public record Sample(
      Instant time,
      String webAcl,
      String rule,
      String action,
      String clientIp,
      String method,
      String host,
      String uri,
      List<String> labels) {}

  /** Web ACL, then rule: adding a sample builds no key (a blocked flood samples every request). */
  private final Map<String, Map<String, Ring>> rings = new ConcurrentHashMap<>();

  public void add(Sample s) {
    Map<String, Ring> byRule = rings.get(s.webAcl());
    if (byRule == null) {
      byRule = rings.computeIfAbsent(s.webAcl(), k -> new ConcurrentHashMap<>());
    }
    Ring r = byRule.get(s.rule());
    if (r == null) {
      r = byRule.computeIfAbsent(s.rule(), k -> new Ring());
    }
    r.add(s);
  }

  /**
   * Samples of a web ACL (and one rule, when {@code rule} is not null) at or after {@code since}.
   */
  public List<Sample> query(String webAcl, String rule, Instant since) {
    List<Sample> out = new ArrayList<>();
    Map<String, Ring> byRule = webAcl == null ? null : rings.get(webAcl);
    if (byRule == null) {
      return out;
    }
    for (Map.Entry<String, Ring> e : byRule.entrySet()) {
      if (rule == null || e.getKey().equals(rule)) {
        for (Sample s : e.getValue().snapshot()) {
          if (!s.time().isBefore(since)) {
            out.add(s);
          }
        }
      }
    }
    out.sort((a, b) -> b.time().compareTo(a.time()));
    return out;
  }

  private static final class Ring {
    private final Sample[] items = new Sample[PER_RULE];
    private int next;
    private int size;

    synchronized void add(Sample s) {
      items[next] = s;
      next = (next + 1) % items.length;
      size = Math.min(size + 1, items.length);
    }

    synchronized List<Sample> snapshot() {
      List<Sample> out = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        out.add(items[(next - 1 - i + items.length) % items.length]);
      }
      return out;
    }
  }
}
