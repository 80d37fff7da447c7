package io.bulwark.server;

import io.bulwark.config.Behavior;
import io.bulwark.config.ConfigSnapshot;
import io.bulwark.config.Distribution;
import io.bulwark.config.KeyFields;
import io.bulwark.config.OriginSpec;
import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.config.node.ConfigProblem;
import io.bulwark.dns.DnsConfig;
import io.bulwark.dns.DnsSettings;
import io.bulwark.health.CheckSpec;
import io.bulwark.health.HealthChecksConfig;
import io.bulwark.waf.WafEnvironment;
import io.bulwark.waf.WebAcl;
import io.bulwark.waf.WebAclParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The sections other planes own, parsed from one snapshot's document and checked against each
 * other: health checks, DNS, and the origins' references to health checks. Every problem of every
 * section is reported at once, like the edge sections'.
 *
 * @param checks the health checks (empty when the section is absent)
 * @param dns the DNS settings, or null without a {@code dns} section
 * @param webAcls the web ACLs by name
 */
record Planes(List<CheckSpec> checks, DnsSettings dns, java.util.Map<String, WebAcl> webAcls) {

  /** Parses with a fresh WAF environment (for lint). */
  static Planes parse(ConfigSnapshot snapshot) throws ConfigException {
    return parse(snapshot, WafEnvironment.defaults());
  }

  /**
   * Parses every other plane's section. {@code waf} carries what outlives a reload (rate counters,
   * the challenge secret); its base directory is set here to the config file's folder.
   */
  static Planes parse(ConfigSnapshot snapshot, WafEnvironment waf) throws ConfigException {
    ConfigNode raw = snapshot.raw();
    List<ConfigProblem> problems = new ArrayList<>();
    java.util.Map<String, WebAcl> acls = new java.util.LinkedHashMap<>();
    try {
      Path dir = snapshot.source().toAbsolutePath().getParent();
      for (WebAcl acl : WebAclParser.parse(raw, waf.withBaseDirectory(dir))) {
        acls.put(acl.name(), acl);
      }
      ConfigNode ds = raw.get("distributions");
      for (int i = 0; ds != null && i < ds.items().size(); i++) {
        ConfigNode ref = ds.items().get(i).get("web-acl");
        if (ref != null && ref.text() != null && !acls.containsKey(ref.text())) {
          problems.add(
              ref.problem(
                  "unknown web ACL '" + ref.text() + "'",
                  acls.isEmpty()
                      ? "declare it under web-acls (see docs/waf.md)"
                      : "use one of " + acls.keySet() + " or declare it under web-acls"));
        }
      }
      labelHeaderConflicts(snapshot, acls, problems);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    List<CheckSpec> checks = List.of();
    boolean checksValid = true;
    try {
      checks = HealthChecksConfig.parse(raw.get("health-checks"));
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      checksValid = false;
    }
    Set<String> ids = new LinkedHashSet<>();
    for (CheckSpec c : checks) {
      ids.add(c.id());
    }
    if (checksValid) {
      for (OriginSpec o : snapshot.origins().values()) {
        if (o.healthCheck() != null && !ids.contains(o.healthCheck())) {
          problems.add(originProblem(raw, o, ids));
        }
      }
    }
    DnsSettings dns = null;
    try {
      Path base = snapshot.source().toAbsolutePath().getParent();
      dns = DnsConfig.parse(raw.get("dns"), checksValid ? ids : allIdsIn(raw), base);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Planes(checks, dns, java.util.Map.copyOf(acls));
  }

  /**
   * A web ACL's label header against what the distributions using it do with headers: an origin
   * custom header of the same name would replace the labels (or the labels the secret), and a cache
   * policy naming it would key on the viewer's copy, which the edge then removes; labels themselves
   * are never part of the cache key.
   */
  private static void labelHeaderConflicts(
      ConfigSnapshot snapshot, java.util.Map<String, WebAcl> acls, List<ConfigProblem> problems) {
    Set<String> reported = new java.util.HashSet<>();
    for (Distribution d : snapshot.distributions()) {
      WebAcl acl = d.webAcl() == null ? null : acls.get(d.webAcl());
      if (acl == null || acl.forwardLabels() == null) {
        continue;
      }
      String header = acl.forwardLabels().header();
      List<Behavior> behaviors = new ArrayList<>(d.behaviors());
      behaviors.add(d.defaultBehavior());
      for (Behavior b : behaviors) {
        for (OriginSpec o : b.target().members()) {
          for (OriginSpec.CustomHeader h : o.customHeaders()) {
            if (h.name().equalsIgnoreCase(header) && reported.add(acl.name() + "/o/" + o.id())) {
              problems.add(
                  labelHeaderNode(snapshot.raw(), acl.name())
                      .problem(
                          "the label header '"
                              + header
                              + "' is also a custom header of origin '"
                              + o.id()
                              + "' (distribution '"
                              + d.id()
                              + "'), which would replace the labels",
                          "give forward-labels another header name, such as "
                              + io.bulwark.waf.LabelForwarding.DEFAULT_HEADER));
            }
          }
        }
        KeyFields key = b.cachePolicy().headers();
        String lower = header.toLowerCase(java.util.Locale.ROOT);
        if (key.behavior() == KeyFields.Behavior.WHITELIST
            && key.items().contains(lower)
            && reported.add(acl.name() + "/c/" + b.cachePolicy().id())) {
          problems.add(
              labelHeaderNode(snapshot.raw(), acl.name())
                  .problem(
                      "cache policy '"
                          + b.cachePolicy().id()
                          + "' (distribution '"
                          + d.id()
                          + "') keys on the label header '"
                          + header
                          + "': the key would hold the viewer's copy, which the edge removes;"
                          + " labels are not part of the cache key",
                      "remove '"
                          + header
                          + "' from the cache policy's headers; a cached response is shared"
                          + " whatever the labels (vary on the request values the labelling"
                          + " rules read instead)"));
        }
      }
    }
  }

  /** {@code web-acls[i].forward-labels.header}, or the forward-labels map when it is defaulted. */
  private static ConfigNode labelHeaderNode(ConfigNode raw, String aclName) {
    ConfigNode list = raw.get("web-acls");
    for (ConfigNode item : list.items()) {
      ConfigNode name = item.get("name");
      if (name != null && aclName.equals(name.text())) {
        ConfigNode fl = item.get("forward-labels");
        return fl.get("header") != null ? fl.get("header") : fl;
      }
    }
    return raw;
  }

  private static ConfigProblem originProblem(ConfigNode raw, OriginSpec o, Set<String> ids) {
    ConfigNode origins = raw.get("origins");
    if (origins != null) {
      for (ConfigNode item : origins.items()) {
        ConfigNode id = item.get("id");
        if (id != null && o.id().equals(id.text()) && item.get("health-check") != null) {
          return item.get("health-check")
              .problem(
                  "unknown health check '" + o.healthCheck() + "'",
                  ids.isEmpty()
                      ? "declare it under health-checks (see docs/health.md)"
                      : "use one of " + ids + " or declare it under health-checks");
        }
      }
    }
    return new ConfigProblem(
        snapshot(raw), 0, "origins", "origin '" + o.id() + "' names unknown health check", "");
  }

  private static String snapshot(ConfigNode raw) {
    return raw.file();
  }

  /** Ids as written, so DNS problems are still found when a check itself is invalid. */
  private static Set<String> allIdsIn(ConfigNode raw) {
    Set<String> ids = new LinkedHashSet<>();
    ConfigNode section = raw.get("health-checks");
    if (section != null) {
      for (ConfigNode item : section.items()) {
        ConfigNode id = item.get("id");
        if (id != null && id.text() != null) {
          ids.add(id.text());
        }
      }
    }
    return ids;
  }
}
