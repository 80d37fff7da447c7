package io.bulwark.config;

import io.bulwark.config.LintFinding.Severity;
import io.bulwark.config.OriginSpec.OriginProtocolPolicy;
import io.bulwark.config.node.ConfigNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Known-bad edge configurations: valid, but each is a row of seed 002's failure playbook waiting to
 * happen. {@code bulwark lint} prints these; {@code bulwark run} may log them at start.
 *
 * <table>
 *   <caption>Checks</caption>
 *   <tr><th>rule</th><th>severity</th><th>playbook row</th></tr>
 *   <tr><td>origin-target-no-failover</td><td>WARNING</td><td>1: a behavior targets an origin,
 *       not a group, so it never fails over</td></tr>
 *   <tr><td>failover-4xx-gap</td><td>INFO</td><td>2: 429 and other 4xx from the primary are
 *       never failed over</td></tr>
 *   <tr><td>cache-key-all</td><td>WARNING</td><td>3: all headers or cookies in a caching
 *       behavior's key: near-0% hit ratio</td></tr>
 *   <tr><td>origin-no-secret-header</td><td>WARNING</td><td>4: an origin that does not require a
 *       secret header can be reached around the edge</td></tr>
 *   <tr><td>origin-plaintext</td><td>WARNING</td><td>11: http-only or match-viewer to a
 *       non-loopback origin sends traffic in plaintext</td></tr>
 *   <tr><td>origin-weak-tls</td><td>WARNING</td><td>15: minimum TLS towards the origin below
 *       TLSv1.2</td></tr>
 *   <tr><td>writes-never-fail-over</td><td>INFO</td><td>section 3: a behavior allowing POST,
 *       PUT, PATCH or DELETE with a group target; writes go to the primary only</td></tr>
 * </table>
 *
 * <p>Findings are located through the snapshot's {@code raw} document: distributions and their
 * behaviors are in file order, and origins and groups are found by id, so the snapshot needs no
 * side table of nodes.
 */
public final class ConfigLint {
  private static final Set<String> WRITES = Set.of("PUT", "POST", "PATCH", "DELETE");

  private ConfigLint() {}

  /** Every finding, in file order. */
  public static List<LintFinding> lint(ConfigSnapshot snapshot) {
    Locator at = new Locator(snapshot);
    List<LintFinding> out = new ArrayList<>();
    origins(snapshot, at, out);
    groups(snapshot, at, out);
    behaviors(snapshot, at, out);
    out.sort(Comparator.comparingInt(LintFinding::line));
    return List.copyOf(out);
  }

  private static void origins(ConfigSnapshot s, Locator at, List<LintFinding> out) {
    for (OriginSpec o : s.origins().values()) {
      if (o.staticOriginId() != null) {
        continue; // built-in, loopback, plain HTTP by design
      }
      ConfigNode node = at.byId("origins", o.id());
      if (o.customHeaders().isEmpty()) {
        out.add(
            at.finding(
                Severity.WARNING,
                "origin-no-secret-header",
                node,
                "custom-headers",
                "origin '"
                    + o.id()
                    + "' gets no secret header, so it cannot tell edge traffic from direct"
                    + " traffic: anyone who reaches "
                    + o.host()
                    + " bypasses the edge, its cache and its WAF (seed 002 playbook row 4)",
                "add custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}} and make the origin"
                    + " refuse requests without it (or restrict it to the edge's addresses)"));
      }
      boolean plaintext =
          o.protocolPolicy() == OriginProtocolPolicy.HTTP_ONLY
              || o.protocolPolicy() == OriginProtocolPolicy.MATCH_VIEWER;
      if (plaintext && !isLoopback(o.host())) {
        out.add(
            at.finding(
                Severity.WARNING,
                "origin-plaintext",
                node,
                "protocol-policy",
                "origin '"
                    + o.id()
                    + "' is reached over plain HTTP"
                    + (o.protocolPolicy() == OriginProtocolPolicy.MATCH_VIEWER
                        ? " whenever the viewer used HTTP"
                        : "")
                    + ", so requests (and its secret header) cross the network in plaintext"
                    + " despite HTTPS at the edge (seed 002 playbook row 11)",
                "set protocol-policy: https-only and make sure the origin supports TLSv1.2"));
      }
      if (o.protocolPolicy() != OriginProtocolPolicy.HTTP_ONLY
          && (o.minTls().equals("TLSv1") || o.minTls().equals("TLSv1.1"))) {
        out.add(
            at.finding(
                Severity.WARNING,
                "origin-weak-tls",
                node,
                "min-tls",
                "origin '"
                    + o.id()
                    + "' accepts "
                    + o.minTls()
                    + ", which is deprecated (RFC 8996) and downgradable (seed 002 playbook row"
                    + " 15)",
                "set min-tls: TLSv1.2 and upgrade the origin if it cannot do TLSv1.2"));
      }
    }
  }

  private static void groups(ConfigSnapshot s, Locator at, List<LintFinding> out) {
    for (OriginGroupSpec g : s.originGroups().values()) {
      if (g.implicit()) {
        continue;
      }
      boolean only5xx = g.failoverStatusCodes().stream().allMatch(c -> c >= 500);
      if (only5xx) {
        out.add(
            at.finding(
                Severity.INFO,
                "failover-4xx-gap",
                at.byId("origin-groups", g.id()),
                "failover-status-codes",
                "origin group '"
                    + g.id()
                    + "' fails over on "
                    + g.failoverStatusCodes()
                    + " and connection errors only; a primary answering 429 or another 4xx"
                    + " (shedding load, a broken deploy) is returned to the viewer as it is"
                    + " (seed 002 playbook row 2)",
                "cover that gap at DNS with a health check on the real failure signal; add 403,"
                    + " 404 or 408 only if the primary answers them when it is broken"));
      }
    }
  }

  private static void behaviors(ConfigSnapshot s, Locator at, List<LintFinding> out) {
    List<Distribution> ds = s.distributions();
    for (int d = 0; d < ds.size(); d++) {
      Distribution dist = ds.get(d);
      behavior(dist, dist.defaultBehavior(), at.behavior(d, -1), at, out);
      for (int b = 0; b < dist.behaviors().size(); b++) {
        behavior(dist, dist.behaviors().get(b), at.behavior(d, b), at, out);
      }
    }
  }

  private static void behavior(
      Distribution dist, Behavior b, ConfigNode node, Locator at, List<LintFinding> out) {
    String which =
        "behavior '"
            + (b.isDefault() ? "default" : b.pattern().pattern())
            + "' of distribution '"
            + dist.id()
            + "'";
    OriginGroupSpec target = b.target();
    if (target.implicit()) {
      out.add(
          at.finding(
              Severity.WARNING,
              "origin-target-no-failover",
              node,
              "target",
              which
                  + " targets origin '"
                  + target.members().get(0).id()
                  + "' directly, so it never fails over: when that origin fails, viewers get the"
                  + " error (seed 002 playbook row 1)",
              "declare an origin group with a second origin and point target at the group"));
    } else if (b.allowedMethods().stream().anyMatch(WRITES::contains)) {
      out.add(
          at.finding(
              Severity.INFO,
              "writes-never-fail-over",
              node,
              "allowed-methods",
              which
                  + " allows writes; PUT, POST, PATCH and DELETE go to the primary of '"
                  + target.id()
                  + "' only and are never replayed on the secondary (seed 002 section 3)",
              "make writes idempotent and retry them in the client, or send them to a"
                  + " Region-level failover at DNS"));
    }
    CachePolicy p = b.cachePolicy();
    if (!p.cachingDisabled()) {
      List<String> all = new ArrayList<>();
      if (isAll(p.headers())) {
        all.add("headers");
      }
      if (isAll(p.cookies())) {
        all.add("cookies");
      }
      if (!all.isEmpty()) {
        out.add(
            at.finding(
                Severity.WARNING,
                "cache-key-all",
                node,
                "cache-policy",
                which
                    + " caches with policy '"
                    + p.id()
                    + "', whose key holds all "
                    + String.join(" and ", all)
                    + ": nearly every request is a distinct object, a hit ratio near 0% (seed 002"
                    + " playbook row 3)",
                "key on the few values that change the response (whitelist) and forward the rest"
                    + " with an origin request policy, or use CachingDisabled"));
      }
    }
  }

  private static boolean isAll(KeyFields k) {
    return k.behavior() == KeyFields.Behavior.ALL || k.behavior() == KeyFields.Behavior.ALL_EXCEPT;
  }

  /** 127.0.0.0/8, ::1 and "localhost": plaintext there never leaves the machine. */
  static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /** Finds the document node of a snapshot entry, for the finding's line and path. */
  private static final class Locator {
    private final ConfigNode raw;
    private final String file;

    Locator(ConfigSnapshot snapshot) {
      this.raw = snapshot.raw();
      this.file =
          raw != null ? raw.file() : snapshot.source() == null ? "" : snapshot.source().toString();
    }

    ConfigNode byId(String section, String id) {
      ConfigNode list = raw == null ? null : raw.get(section);
      if (list == null) {
        return null;
      }
      for (ConfigNode item : list.items()) {
        ConfigNode idNode = item.get("id");
        if (idNode != null && id.equals(idNode.text())) {
          return item;
        }
      }
      return null;
    }

    /** The behavior node; index -1 is the default behavior. */
    ConfigNode behavior(int distribution, int index) {
      ConfigNode list = raw == null ? null : raw.get("distributions");
      if (list == null || distribution >= list.items().size()) {
        return null;
      }
      ConfigNode d = list.items().get(distribution);
      if (index < 0) {
        return d.get("default-behavior");
      }
      ConfigNode behaviors = d.get("behaviors");
      return behaviors == null || index >= behaviors.items().size()
          ? null
          : behaviors.items().get(index);
    }

    /** Located at {@code key} of {@code node} when written there, else at the node itself. */
    LintFinding finding(
        Severity severity, String rule, ConfigNode node, String key, String message, String fix) {
      if (node == null) {
        return new LintFinding(severity, rule, file, 0, "", message, fix);
      }
      ConfigNode at = node.get(key) != null ? node.get(key) : node;
      return new LintFinding(severity, rule, at.file(), at.line(), at.path(), message, fix);
    }
  }
}
