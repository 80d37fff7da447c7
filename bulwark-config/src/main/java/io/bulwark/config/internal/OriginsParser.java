package io.bulwark.config.internal;

import io.bulwark.config.HeaderNames;
import io.bulwark.config.OriginGroupSpec;
import io.bulwark.config.OriginSpec;
import io.bulwark.config.OriginSpec.CustomHeader;
import io.bulwark.config.OriginSpec.OriginProtocolPolicy;
import io.bulwark.config.Secret;
import io.bulwark.config.StaticOriginSpec;
import io.bulwark.config.node.ConfigNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code origins} and {@code origin-groups} sections, custom headers and their secrets.
 *
 * <p>A secret's value never appears in a problem: messages name where it came from ("env:NAME",
 * "file:PATH") and what is wrong with it, never the text.
 */
public final class OriginsParser {
  static final Set<String> ORIGIN_KEYS =
      keys(
          "id",
          "static",
          "domain-name",
          "http-port",
          "https-port",
          "origin-path",
          "protocol-policy",
          "min-tls",
          "verify-tls",
          "connection-attempts",
          "connect-timeout",
          "response-timeout",
          "keepalive-timeout",
          "custom-headers",
          "health-check");
  static final Set<String> GROUP_KEYS = keys("id", "members", "failover-status-codes");

  static final Map<String, OriginProtocolPolicy> PROTOCOL_POLICIES =
      ordered(
          "http-only",
          OriginProtocolPolicy.HTTP_ONLY,
          "https-only",
          OriginProtocolPolicy.HTTPS_ONLY,
          "match-viewer",
          OriginProtocolPolicy.MATCH_VIEWER);

  static final Map<String, String> ORIGIN_TLS_VERSIONS =
      ordered("TLSv1", "TLSv1", "TLSv1.1", "TLSv1.1", "TLSv1.2", "TLSv1.2", "TLSv1.3", "TLSv1.3");

  /** Keys that describe a network origin and so cannot be combined with {@code static}. */
  private static final List<String> NETWORK_ONLY_KEYS =
      List.of("domain-name", "http-port", "https-port", "min-tls", "verify-tls");

  private static final String ALLOWED_STATUS_TEXT = "500, 502, 503, 504, 403, 404, 408";

  private final Problems problems;
  private final Registry<StaticOriginSpec> statics;
  private final SecretReader secrets;
  final Registry<OriginSpec> origins = new Registry<>("origin");
  final Registry<OriginGroupSpec> groups = new Registry<>("origin group");

  public OriginsParser(
      Problems problems,
      Path baseDir,
      Map<String, String> env,
      Registry<StaticOriginSpec> statics) {
    this.problems = problems;
    this.statics = statics;
    this.secrets = new SecretReader(problems, baseDir, env);
  }

  public Registry<OriginSpec> origins() {
    return origins;
  }

  public Registry<OriginGroupSpec> groups() {
    return groups;
  }

  public void parseOrigins(List<ConfigNode> items) {
    for (ConfigNode item : items) {
      Fields f = Fields.of(item, problems, "an origin", ORIGIN_KEYS);
      if (!f.valid()) {
        continue;
      }
      String id = origins.declare(f, problems);
      OriginSpec spec = origin(f, id);
      if (id != null && spec != null) {
        origins.put(id, spec);
      }
    }
  }

  private OriginSpec origin(Fields f, String id) {
    int before = problemCount();
    String staticId = f.string("static", null);
    String domain = f.string("domain-name", null);
    String host = null;
    int httpPort = 80;
    StaticOriginSpec st = null;
    if (staticId != null && domain != null) {
      problems.at(
          f.node().get("domain-name"),
          "an origin is either 'static' (a built-in static origin) or 'domain-name', not both",
          "remove one of them");
    } else if (staticId != null) {
      for (String key : NETWORK_ONLY_KEYS) {
        if (f.has(key)) {
          problems.at(
              f.node().get(key),
              "'" + key + "' does not apply to a static origin",
              "remove it: a static origin is reached over plain HTTP at its own address");
        }
      }
      st = statics.get(staticId);
      if (st == null && !statics.isDeclared(staticId)) {
        problems.at(
            f.node().get("static"),
            "unknown static origin '" + staticId + "'",
            knownIds(
                "declare it under static-origins",
                "static origins",
                statics.declaredIds(),
                staticId));
      }
      if (st != null) {
        host = st.address().host();
        httpPort = st.address().port();
      }
    } else if (domain != null) {
      host = domainName(f.node().get("domain-name"), domain);
      httpPort = f.integer("http-port", 80, 1, 65535);
    } else if (f.valid()) {
      problems.missing(
          f.node(),
          "domain-name",
          "give the origin's host with 'domain-name: api.example.com', or serve a folder with"
              + " 'static: <static-origin id>'");
    }
    int httpsPort = f.integer("https-port", 443, 1, 65535);
    String path = originPath(f);
    OriginProtocolPolicy policy;
    if (staticId != null) {
      policy = f.choice("protocol-policy", OriginProtocolPolicy.HTTP_ONLY, PROTOCOL_POLICIES);
      if (policy != OriginProtocolPolicy.HTTP_ONLY) {
        problems.at(
            f.node().get("protocol-policy"),
            "a static origin serves plain HTTP only",
            "remove protocol-policy or write http-only");
      }
    } else {
      policy = f.choice("protocol-policy", OriginProtocolPolicy.HTTPS_ONLY, PROTOCOL_POLICIES);
    }
    String minTls = f.choice("min-tls", "TLSv1.2", ORIGIN_TLS_VERSIONS);
    boolean verify = f.bool("verify-tls", true);
    // CloudFront's ranges (CustomOriginConfig): attempts 1-3, connect 1-10 s, response 1-180 s,
    // keep-alive 1-60 s.
    int attempts = f.integer("connection-attempts", 3, 1, 3);
    Duration connect = f.duration("connect-timeout", Duration.ofSeconds(10), secs(1), secs(10));
    Duration response = f.duration("response-timeout", Duration.ofSeconds(30), secs(1), secs(180));
    Duration keepAlive = f.duration("keepalive-timeout", Duration.ofSeconds(5), secs(1), secs(60));
    List<CustomHeader> headers = customHeaders(f.node().get("custom-headers"));
    // Checked against the health-checks section by the server, which owns that parser.
    String healthCheck = f.string("health-check", null);
    if (id == null || host == null || problemCount() != before) {
      return null;
    }
    return new OriginSpec(
        id,
        host,
        httpPort,
        httpsPort,
        st == null ? null : st.id(),
        path,
        policy,
        minTls,
        verify,
        attempts,
        connect,
        response,
        keepAlive,
        headers,
        healthCheck);
  }

  private String domainName(ConfigNode at, String text) {
    String d = text.trim().toLowerCase(Locale.ROOT);
    int scheme = d.indexOf("://");
    if (scheme >= 0) {
      String rest = d.substring(scheme + 3).replaceAll("[/?#].*$", "");
      problems.at(
          at,
          "domain-name is a host name, without a scheme or path",
          "write 'domain-name: "
              + rest
              + "' and choose the scheme with protocol-policy; a path goes in origin-path");
      return null;
    }
    if (d.startsWith("[") && d.endsWith("]") && Names.isIpv6(d.substring(1, d.length() - 1))) {
      return d.substring(1, d.length() - 1);
    }
    if (Names.isIpv6(d)) {
      return d;
    }
    if (d.indexOf(':') >= 0) {
      problems.at(
          at,
          "domain-name is a host name, without a port",
          "write the host alone and put the port in http-port or https-port");
      return null;
    }
    if (!Names.isHostName(d)) {
      problems.at(
          at,
          "'" + text + "' is not a host name",
          "write a DNS name (letters, digits, '-', '.') or an IP address");
      return null;
    }
    return d;
  }

  private String originPath(Fields f) {
    String p = f.string("origin-path", null);
    if (p == null || p.isEmpty()) {
      return "";
    }
    ConfigNode at = f.node().get("origin-path");
    if (!p.startsWith("/")) {
      String fixed = p.replaceAll("/+$", "");
      problems.at(
          at,
          "origin-path must start with '/'",
          fixed.isEmpty() ? "remove origin-path" : "write '/" + fixed + "'");
    } else if (p.endsWith("/")) {
      String trimmed = p.replaceAll("/+$", "");
      problems.at(
          at,
          "origin-path must not end with '/'",
          trimmed.isEmpty() ? "remove origin-path" : "write '" + trimmed + "'");
    } else if (p.length() > 255) {
      problems.at(at, "origin-path is longer than 255 characters", "shorten it");
    } else if (!p.chars().allMatch(c -> c > ' ' && c < 0x7f && c != '?' && c != '#')) {
      problems.at(
          at,
          "origin-path may not contain spaces, control characters, '?' or '#'",
          "percent-encode them or remove them");
    } else {
      return p;
    }
    return "";
  }

  private List<CustomHeader> customHeaders(ConfigNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isMap()) {
      // Not describeKind(): a misplaced scalar here may well be the secret itself.
      problems.at(
          node,
          "custom-headers must be a map of header name to value",
          "write e.g. 'custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}}'");
      return List.of();
    }
    List<CustomHeader> out = new ArrayList<>();
    Map<String, String> seen = new LinkedHashMap<>();
    for (String name : node.keys()) {
      ConfigNode v = node.get(name);
      if (!HeaderNames.isToken(name)) {
        problems.at(
            v,
            "'" + name + "' is not a valid header name",
            "use letters, digits and - (RFC 9110 token characters)");
        continue;
      }
      String reason = HeaderNames.edgeOwnedReason(name);
      if (reason != null) {
        problems.at(
            v,
            "an origin custom header may not be named '" + name + "': " + reason,
            "choose another name, such as X-Origin-Verify");
        continue;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (seen.containsKey(lower)) {
        problems.at(
            v,
            "header '" + name + "' is set twice (also as '" + seen.get(lower) + "')",
            "header names are case-insensitive; keep one");
        continue;
      }
      seen.put(lower, name);
      Secret s = secret(v, name);
      if (s != null) {
        out.add(new CustomHeader(name, s));
      }
    }
    return List.copyOf(out);
  }

  /** A header value: a plain string, {env: NAME} or {file: PATH}; null with a problem. */
  private Secret secret(ConfigNode v, String headerName) {
    Secret s = secrets.read(v, "header '" + headerName + "'");
    return s == null ? null : checked(SecretReader.valueNode(v), s);
  }

  /** A header value may not hold control characters (CR/LF would inject headers). */
  private Secret checked(ConfigNode at, Secret s) {
    String v = s.reveal();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if ((c < ' ' && c != '\t') || c == 0x7f) {
        problems.at(
            at,
            SecretReader.describe(s, "the header's value")
                + " contains a line break or another control character, which would let it"
                + " inject headers",
            "remove it from the value");
        return null;
      }
    }
    return s;
  }

  public void parseGroups(List<ConfigNode> items) {
    for (ConfigNode item : items) {
      Fields f = Fields.of(item, problems, "an origin group", GROUP_KEYS);
      if (!f.valid()) {
        continue;
      }
      int before = problemCount();
      String id = groups.declare(f, problems, origins);
      List<OriginSpec> members = members(f);
      Set<Integer> codes = failoverCodes(f);
      if (id != null && members != null && codes != null && problemCount() == before) {
        groups.put(id, new OriginGroupSpec(id, members, codes, false));
      }
    }
  }

  private List<OriginSpec> members(Fields f) {
    if (f.get("members") == null) {
      problems.missing(f.node(), "members", "list two or more origin ids, primary first");
      return null;
    }
    List<ConfigNode> items = f.scalarList("members");
    List<OriginSpec> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    boolean ok = true;
    for (ConfigNode item : items) {
      String ref = item.text().trim();
      if (!seen.add(ref)) {
        problems.at(item, "origin '" + ref + "' is listed twice", "list each member once");
        ok = false;
        continue;
      }
      OriginSpec o = origins.get(ref);
      if (o != null) {
        out.add(o);
      } else if (groups.isDeclared(ref)) {
        problems.at(
            item,
            "'" + ref + "' is an origin group; members of a group are origins",
            "list the origins of '" + ref + "' instead");
        ok = false;
      } else if (!origins.isDeclared(ref)) {
        problems.at(
            item,
            "unknown origin '" + ref + "'",
            knownIds("declare it under origins", "origins", origins.declaredIds(), ref));
        ok = false;
      } else {
        ok = false; // declared but refused: already reported
      }
    }
    if (ok && items.size() < 2 && f.get("members").isList()) {
      problems.at(
          f.get("members"),
          "an origin group needs at least 2 members, found " + items.size(),
          "add a secondary origin; to use one origin, point the behavior's target at it directly");
      ok = false;
    }
    return ok ? List.copyOf(out) : null;
  }

  private Set<Integer> failoverCodes(Fields f) {
    if (f.get("failover-status-codes") == null) {
      problems.missing(
          f.node(),
          "failover-status-codes",
          "list the statuses that make a request go to the next member, e.g. [500, 502, 503, 504]");
      return null;
    }
    List<ConfigNode> items = f.scalarList("failover-status-codes");
    Set<Integer> out = new TreeSet<>();
    boolean ok = true;
    for (ConfigNode item : items) {
      int code;
      try {
        code = Integer.parseInt(item.text().trim());
      } catch (NumberFormatException e) {
        problems.at(
            item, "'" + item.text() + "' is not a status code", "use only: " + ALLOWED_STATUS_TEXT);
        ok = false;
        continue;
      }
      if (code == 429) {
        // Seed 002 section 3 and playbook row 2.
        problems.at(
            item,
            "429 is not eligible as a failover status: an origin group treats 429 Too Many Requests"
                + " as a valid answer and returns it to the viewer, so a primary shedding load"
                + " never fails over",
            "remove 429 and shed load at DNS instead, with a health-checked failover record;"
                + " failover statuses are chosen from "
                + ALLOWED_STATUS_TEXT);
        ok = false;
      } else if (!OriginGroupSpec.ALLOWED_FAILOVER_STATUSES.contains(code)) {
        problems.at(
            item,
            code
                + " is not eligible as a failover status"
                + (code >= 400 && code < 500
                    ? ": an origin group returns other 4xx answers to the viewer as they are"
                    : ""),
            "use only: " + ALLOWED_STATUS_TEXT);
        ok = false;
      } else if (!out.add(code)) {
        problems.at(item, code + " is listed twice", "list each status once");
        ok = false;
      }
    }
    if (ok && items.isEmpty() && f.get("failover-status-codes").isList()) {
      problems.at(
          f.get("failover-status-codes"),
          "failover-status-codes is empty",
          "list at least one of " + ALLOWED_STATUS_TEXT);
      ok = false;
    }
    return ok ? Collections.unmodifiableSet(new LinkedHashSet<>(out)) : null;
  }

  private int problemCount() {
    return problems.count();
  }

  /** "did you mean 'x'? known <what>: a, b" or "<otherwise>" when there are none. */
  static String knownIds(String otherwise, String what, Collection<String> ids, String ref) {
    if (ids.isEmpty()) {
      return otherwise + " (no " + what + " are declared)";
    }
    String guess = Suggest.closest(ref, ids);
    return (guess != null ? "did you mean '" + guess + "'? " : "")
        + "known "
        + what
        + ": "
        + String.join(", ", ids);
  }

  private static Duration secs(long s) {
    return Duration.ofSeconds(s);
  }

  static Set<String> keys(String... keys) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(keys)));
  }

  @SuppressWarnings("unchecked")
  static <E> Map<String, E> ordered(Object... kv) {
    Map<String, E> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (E) kv[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
