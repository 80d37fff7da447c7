package io.bulwark.health;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigFields;
import io.bulwark.config.node.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the {@code health-checks:} section: a list of checks whose keys mirror Route 53's {@code
 * HealthCheckConfig} in kebab-case. See docs/health.md for the schema and a full example.
 */
public final class HealthChecksConfig {
  private static final Set<String> KEYS =
      new LinkedHashSet<>(
          List.of(
              "id",
              "type",
              "fully-qualified-domain-name",
              "ip-address",
              "port",
              "resource-path",
              "search-string",
              "request-interval",
              "failure-threshold",
              "timeout",
              "expected-status",
              "enable-sni",
              "verify-certificate",
              "measure-latency",
              "inverted",
              "disabled",
              "checkers",
              "healthy-checker-share",
              "child-health-checks",
              "health-threshold"));
  private static final Set<String> PROBE_ONLY =
      Set.of(
          "fully-qualified-domain-name",
          "ip-address",
          "port",
          "resource-path",
          "search-string",
          "request-interval",
          "failure-threshold",
          "timeout",
          "expected-status",
          "enable-sni",
          "verify-certificate",
          "measure-latency",
          "checkers",
          "healthy-checker-share");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Pattern STATUS = Pattern.compile("(\\d{3})(?:\\s*-\\s*(\\d{3}))?");
  private static final Pattern IP = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*\\.?");

  private HealthChecksConfig() {}

  /**
   * Parses and validates the section (null or absent: no checks).
   *
   * @throws ConfigException listing every problem, each with file, line, key and fix
   */
  public static List<CheckSpec> parse(ConfigNode section) throws ConfigException {
    List<CheckSpec> out = new ArrayList<>();
    if (section == null || section.isNull()) {
      return out;
    }
    ConfigFields f = new ConfigFields();
    if (!section.isList()) {
      f.add(
          section,
          "health-checks must be a list, found " + section.describeKind(),
          "write each check as '- id: NAME' with its settings");
      f.throwIfAny();
    }
    Map<String, ConfigNode> declared = new LinkedHashMap<>();
    Map<String, ConfigNode> childrenNodes = new HashMap<>();
    for (ConfigNode item : section.items()) {
      if (!f.keys(item, KEYS, "a health check")) {
        continue;
      }
      CheckSpec spec = parseOne(item, f, declared, childrenNodes);
      if (spec != null) {
        out.add(spec);
      }
    }
    for (CheckSpec spec : out) {
      for (String child : spec.children()) {
        if (!declared.containsKey(child)) {
          String near = ConfigFields.closest(child, declared.keySet());
          f.add(
              childrenNodes.get(spec.id()),
              "child health check '" + child + "' is not declared",
              near != null
                  ? "did you mean '" + near + "'?"
                  : "declare it under health-checks or remove it");
        } else if (child.equals(spec.id())) {
          f.add(
              childrenNodes.get(spec.id()),
              "a calculated check cannot be its own child",
              "remove '" + child + "'");
        }
      }
    }
    f.throwIfAny();
    try {
      HealthGraph.of(out, java.time.InstantSource.system());
    } catch (IllegalArgumentException e) {
      f.add(
          section,
          e.getMessage(),
          "make calculated checks form a tree: no check may (indirectly) contain itself");
    }
    f.throwIfAny();
    return out;
  }

  private static CheckSpec parseOne(
      ConfigNode item,
      ConfigFields f,
      Map<String, ConfigNode> declared,
      Map<String, ConfigNode> childrenNodes) {
    int before = f.problems().size();
    String id =
        f.required(
            item,
            "id",
            "give the check a name, e.g. 'id: primary-origin'; records and origins refer to it");
    if (id != null) {
      if (!ID.matcher(id).matches()) {
        f.add(
            item.get("id"),
            "health check id '" + id + "' is not a plain name",
            "use letters, digits, '.', '_' and '-' (at most 63)");
      } else if (declared.containsKey(id)) {
        f.add(
            item.get("id"),
            "health check id '"
                + id
                + "' is declared twice (first at line "
                + declared.get(id).line()
                + ")",
            "rename one of them");
      } else {
        declared.put(id, item);
      }
    }
    String typeText =
        f.required(
            item,
            "type",
            "add 'type: http' (or https, http-str-match, https-str-match, tcp, calculated)");
    CheckType type = null;
    if (typeText != null) {
      for (CheckType t : CheckType.values()) {
        if (t.configName().equals(typeText.trim().toLowerCase(Locale.ROOT))) {
          type = t;
        }
      }
      if (type == null) {
        List<String> names = new ArrayList<>();
        for (CheckType t : CheckType.values()) {
          names.add(t.configName());
        }
        String near = ConfigFields.closest(typeText, names);
        f.add(
            item.get("type"),
            "unknown health check type '" + typeText + "'",
            near != null
                ? "did you mean '" + near + "'?"
                : "use one of " + String.join(", ", names));
      }
    }
    if (type == null || id == null) {
      return null;
    }
    CheckSpec.Builder b = CheckSpec.builder(id, type);
    b.inverted(f.bool(item, "inverted", false)).disabled(f.bool(item, "disabled", false));
    if (type == CheckType.CALCULATED) {
      for (String k : item.keys()) {
        if (PROBE_ONLY.contains(k)) {
          f.add(
              item.get(k),
              k + " does not apply to a calculated check",
              "remove it; a calculated check only has child-health-checks and health-threshold");
        }
      }
      List<String> children = f.strings(item, "child-health-checks");
      if (!item.has("child-health-checks")) {
        f.add(
            item,
            "a calculated check needs child-health-checks",
            "list the ids of the checks it combines");
      }
      childrenNodes.put(
          id, item.has("child-health-checks") ? item.get("child-health-checks") : item);
      b.children(children);
      b.healthThreshold(
          f.integer(item, "health-threshold", children.size(), 0, Math.max(0, children.size())));
    } else {
      if (item.has("child-health-checks") || item.has("health-threshold")) {
        f.add(
            item,
            "child-health-checks and health-threshold only apply to type: calculated",
            "remove them or change the type");
      }
      String host = f.string(item, "fully-qualified-domain-name", null);
      String ip = f.string(item, "ip-address", null);
      if (host == null && ip == null) {
        f.add(
            item,
            "health check '" + id + "' has no target",
            "add fully-qualified-domain-name: HOST or ip-address: ADDRESS");
      }
      if (host != null && !HOST.matcher(host).matches()) {
        f.add(
            item.get("fully-qualified-domain-name"),
            "'" + host + "' is not a host name",
            "write a name such as origin.example.com (no scheme, no path)");
      }
      if (ip != null && !IP.matcher(ip).matches()) {
        f.add(
            item.get("ip-address"),
            "'" + ip + "' is not an IP address",
            "write an IPv4 or IPv6 literal, or use fully-qualified-domain-name");
      }
      b.host(host).address(ip);
      b.port(f.integer(item, "port", type.isTls() ? 443 : 80, 1, 65535));
      String path = f.string(item, "resource-path", "/");
      if (!path.startsWith("/")) {
        f.add(
            item.get("resource-path"),
            "resource-path must start with /",
            "write e.g. /healthz/deep");
      }
      b.resourcePath(path);
      String search = f.string(item, "search-string", null);
      if (type.matchesString()) {
        if (search == null || search.isEmpty()) {
          f.add(
              item,
              "a " + type.configName() + " check needs a search-string",
              "add the text the first 5,120 bytes of a healthy body contain");
        } else if (search.length() > 255) {
          f.add(
              item.get("search-string"),
              "search-string is longer than 255 characters",
              "shorten it (Route 53's limit)");
        }
        b.searchString(search);
      } else if (search != null) {
        f.add(
            item.get("search-string"),
            "search-string needs type " + (type.isTls() ? "https" : "http") + "-str-match",
            "change the type or remove search-string");
      }
      if (!type.isHttp()) {
        for (String k :
            List.of("resource-path", "expected-status", "enable-sni", "verify-certificate")) {
          if (item.has(k)) {
            f.add(
                item.get(k),
                k + " does not apply to a tcp check",
                "remove it, or use an http(s) check");
          }
        }
      }
      Duration interval = f.duration(item, "request-interval", Duration.ofSeconds(30));
      if (interval.isZero() || interval.toMillis() % 1000 != 0) {
        f.add(
            item.get("request-interval"),
            "request-interval must be a whole number of seconds, at least 1",
            "use 10 or 30 as Route 53 does, or any whole number of seconds");
        interval = Duration.ofSeconds(30);
      }
      b.requestInterval(interval);
      b.failureThreshold(f.integer(item, "failure-threshold", 3, 1, 10));
      Duration defTimeout =
          interval.compareTo(Duration.ofSeconds(4)) < 0 ? interval : Duration.ofSeconds(4);
      Duration timeout = f.duration(item, "timeout", defTimeout);
      if (timeout.isZero() || timeout.compareTo(interval) > 0) {
        f.add(
            item.has("timeout") ? item.get("timeout") : item,
            "timeout must be more than 0 and at most the request-interval ("
                + interval.toSeconds()
                + "s)",
            "lower the timeout or raise the interval");
        timeout = defTimeout;
      }
      b.timeout(timeout);
      String status = f.string(item, "expected-status", null);
      if (status != null) {
        Matcher m = STATUS.matcher(status.trim());
        int lo = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        int hi = m.matches() ? (m.group(2) == null ? lo : Integer.parseInt(m.group(2))) : -1;
        if (lo < 100 || hi > 599 || lo > hi) {
          f.add(
              item.get("expected-status"),
              "expected-status '" + status + "' is not a status range",
              "write e.g. 200-399 (the default) or 200");
        } else {
          b.statusRange(lo, hi);
        }
      }
      b.enableSni(f.bool(item, "enable-sni", true));
      b.verifyCertificate(f.bool(item, "verify-certificate", false));
      b.measureLatency(f.bool(item, "measure-latency", false));
      b.checkers(f.integer(item, "checkers", 3, 1, 16));
      b.healthyShare(share(item, f));
    }
    if (f.problems().size() > before) {
      return null;
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      f.add(item, e.getMessage(), "correct the check's settings");
      return null;
    }
  }

  private static double share(ConfigNode item, ConfigFields f) {
    String s = f.string(item, "healthy-checker-share", null);
    if (s == null) {
      return 0.18;
    }
    String t = s.trim();
    try {
      double v =
          t.endsWith("%")
              ? Double.parseDouble(t.substring(0, t.length() - 1).trim()) / 100
              : Double.parseDouble(t);
      if (v >= 0 && v < 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    f.add(
        item.get("healthy-checker-share"),
        "healthy-checker-share must be a share from 0% up to (not including) 100%, got '" + s + "'",
        "write e.g. 18% (Route 53's) or 0.5");
    return 0.18;
  }
}
