package io.bulwark.config.internal;

import static io.bulwark.config.internal.OriginsParser.keys;
import static io.bulwark.config.internal.OriginsParser.knownIds;
import static io.bulwark.config.internal.OriginsParser.ordered;

import io.bulwark.config.Behavior;
import io.bulwark.config.CachePolicy;
import io.bulwark.config.CustomErrorResponse;
import io.bulwark.config.Distribution;
import io.bulwark.config.OriginGroupSpec;
import io.bulwark.config.OriginRequestPolicy;
import io.bulwark.config.OriginSpec;
import io.bulwark.config.PathPattern;
import io.bulwark.config.TlsSettings;
import io.bulwark.config.ViewerProtocolPolicy;
import io.bulwark.config.node.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code distributions} section: hosts, TLS, and behaviors with every reference resolved (a
 * behavior holds its origin group and policies, not their names).
 *
 * <p>A behavior whose target is an origin gets that origin's implicit single-member group, {@code
 * origin:<id>}, shared by every behavior naming the same origin; it never fails over, which is
 * valid but is playbook row 1 of seed 002, so lint reports it.
 */
public final class DistributionsParser {
  static final Set<String> DISTRIBUTION_KEYS =
      keys(
          "id",
          "hosts",
          "tls",
          "web-acl",
          "default-behavior",
          "behaviors",
          "custom-error-responses");
  static final Set<String> CUSTOM_ERROR_RESPONSE_KEYS =
      keys("error-code", "response-page-path", "response-code", "error-caching-min-ttl");
  static final Set<String> BEHAVIOR_KEYS =
      keys(
          "path",
          "target",
          "cache-policy",
          "origin-request-policy",
          "viewer-protocol-policy",
          "allowed-methods",
          "cached-methods",
          "compress");
  static final Set<String> DEFAULT_BEHAVIOR_KEYS =
      keys(
          "target",
          "cache-policy",
          "origin-request-policy",
          "viewer-protocol-policy",
          "allowed-methods",
          "cached-methods",
          "compress");
  static final Set<String> TLS_KEYS = keys("certificate", "private-key", "min-protocol");

  static final Map<String, ViewerProtocolPolicy> VIEWER_POLICIES =
      ordered(
          "allow-all",
          ViewerProtocolPolicy.ALLOW_ALL,
          "redirect-to-https",
          ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          "https-only",
          ViewerProtocolPolicy.HTTPS_ONLY);
  static final Map<String, String> VIEWER_TLS_VERSIONS =
      ordered("TLSv1.2", "TLSv1.2", "TLSv1.3", "TLSv1.3");

  /** All methods a behavior may allow, in CloudFront's order (also the order sets are kept in). */
  static final List<String> METHODS =
      List.of("GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE");

  private static final List<Set<String>> ALLOWED_METHOD_SETS =
      List.of(Set.of("GET", "HEAD"), Set.of("GET", "HEAD", "OPTIONS"), Set.copyOf(METHODS));
  private static final List<Set<String>> CACHED_METHOD_SETS =
      List.of(Set.of("GET", "HEAD"), Set.of("GET", "HEAD", "OPTIONS"));
  private static final Set<String> GET_HEAD = methodSet(List.of("GET", "HEAD"));

  /** CloudFront's path pattern characters. */
  private static final String PATTERN_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.*$/~\"'@:+?&=";

  private final Problems problems;
  private final Path baseDir;
  private final OriginsParser origins;
  private final PoliciesParser policies;
  private final Map<String, OriginGroupSpec> implicitGroups = new LinkedHashMap<>();
  private final Map<String, ConfigNode> hostOwners = new HashMap<>();
  private final Map<String, String> hostDistribution = new HashMap<>();
  private final Registry<Distribution> distributions = new Registry<>("distribution");

  public DistributionsParser(
      Problems problems, Path baseDir, OriginsParser origins, PoliciesParser policies) {
    this.problems = problems;
    this.baseDir = baseDir;
    this.origins = origins;
    this.policies = policies;
  }

  /** Implicit single-member groups, by id ("origin:&lt;origin id&gt;"), in order of first use. */
  public Map<String, OriginGroupSpec> implicitGroups() {
    return implicitGroups;
  }

  public List<Distribution> distributions() {
    return List.copyOf(distributions.values().values());
  }

  public void parse(List<ConfigNode> items) {
    for (ConfigNode item : items) {
      Fields f = Fields.of(item, problems, "a distribution", DISTRIBUTION_KEYS);
      if (!f.valid()) {
        continue;
      }
      int before = problems.count();
      String id = distributions.declare(f, problems);
      List<String> hosts = hosts(f, id);
      TlsSettings tls = tls(f.get("tls"));
      String webAcl = f.string("web-acl", null);
      Behavior def = null;
      ConfigNode defNode = f.get("default-behavior");
      if (defNode == null) {
        problems.missing(
            f.node(),
            "default-behavior",
            "add 'default-behavior:' with at least target and cache-policy; it serves every"
                + " path no behavior matches");
      } else {
        def = behavior(defNode, true);
      }
      List<Behavior> ordered = new ArrayList<>();
      Map<String, ConfigNode> patterns = new HashMap<>();
      for (ConfigNode b : f.list("behaviors")) {
        Behavior behavior = behavior(b, false);
        if (behavior != null) {
          ConfigNode first = patterns.putIfAbsent(behavior.pattern().pattern(), b);
          if (first != null) {
            problems.at(
                b.get("path"),
                "path '"
                    + behavior.pattern().pattern()
                    + "' is already used by the behavior at line "
                    + first.line()
                    + "; this one would never match",
                "remove one, or make the patterns differ");
          }
          ordered.add(behavior);
        }
      }
      List<CustomErrorResponse> errors = customErrorResponses(f);
      if (id != null && def != null && tls != INVALID_TLS && problems.count() == before) {
        distributions.put(
            id, new Distribution(id, hosts, tls, List.copyOf(ordered), def, webAcl, errors));
      }
    }
  }

  /** The longest error-caching-min-ttl, as for a cache policy's TTLs. */
  private static final Duration MAX_ERROR_CACHING_TTL = Duration.ofDays(36_500);

  private static final String ERROR_CODES_TEXT = codes(CustomErrorResponse.ERROR_CODES);
  private static final String RESPONSE_CODES_TEXT = codes(CustomErrorResponse.RESPONSE_CODES);

  private static String codes(Set<Integer> codes) {
    StringBuilder sb = new StringBuilder();
    for (int c : new TreeSet<>(codes)) {
      sb.append(sb.length() == 0 ? "" : ", ").append(c);
    }
    return sb.toString();
  }

  /**
   * The {@code custom-error-responses} list (CloudFront's CustomErrorResponses): one entry per
   * status, with the rules CloudFront's API applies (the statuses it allows, a response code only
   * with a page path).
   */
  private List<CustomErrorResponse> customErrorResponses(Fields distribution) {
    List<CustomErrorResponse> out = new ArrayList<>();
    Map<Integer, ConfigNode> seen = new HashMap<>();
    for (ConfigNode item : distribution.list("custom-error-responses")) {
      Fields f = Fields.of(item, problems, "a custom error response", CUSTOM_ERROR_RESPONSE_KEYS);
      if (!f.valid()) {
        continue;
      }
      int code = status(f, "error-code", CustomErrorResponse.ERROR_CODES, ERROR_CODES_TEXT);
      if (code == 0 && !f.has("error-code")) {
        problems.missing(
            item,
            "error-code",
            "give the status this entry applies to, e.g. 'error-code: 404' (one of "
                + ERROR_CODES_TEXT
                + ")");
      }
      if (code > 0) {
        ConfigNode first = seen.putIfAbsent(code, f.get("error-code"));
        if (first != null) {
          problems.at(
              f.get("error-code"),
              "error-code "
                  + code
                  + " already has a custom error response (line "
                  + first.line()
                  + ")",
              "keep one entry per status: merge the two");
          code = -1;
        }
      }
      String page = pagePath(f);
      int responseCode =
          status(f, "response-code", CustomErrorResponse.RESPONSE_CODES, RESPONSE_CODES_TEXT);
      if (f.has("response-code") && !f.has("response-page-path")) {
        problems.at(
            f.get("response-code"),
            "response-code needs a response-page-path: it is the status sent with the custom"
                + " page, and without a page the origin's error is sent with its own status",
            "add 'response-page-path: /errors/"
                + (code > 0 ? code : "404")
                + ".html' (a path served through this distribution), or remove response-code");
      }
      Duration ttl =
          f.has("error-caching-min-ttl")
              ? f.duration("error-caching-min-ttl", null, Duration.ZERO, MAX_ERROR_CACHING_TTL)
              : null;
      if (code > 0) {
        out.add(new CustomErrorResponse(code, page, Math.max(responseCode, 0), ttl));
      }
    }
    return List.copyOf(out);
  }

  /** A status from {@code allowed}: 0 when absent, -1 (with a problem) when not allowed. */
  private int status(Fields f, String key, Set<Integer> allowed, String allowedText) {
    String text = f.string(key, null);
    if (text == null) {
      return f.has(key) ? -1 : 0;
    }
    int code;
    try {
      code = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      problems.at(f.get(key), "'" + text + "' is not a status code", "use one of " + allowedText);
      return -1;
    }
    if (!allowed.contains(code)) {
      problems.at(
          f.get(key),
          key.equals("error-code")
              ? code + " is not a status a custom error response can apply to"
              : code + " is not a status a custom error page can be sent with",
          key.equals("error-code")
              ? "use one of "
                  + allowedText
                  + " (as in CloudFront); other statuses reach the viewer as the origin sent them"
              : "use 200 or one of the error statuses: " + ERROR_CODES_TEXT);
      return -1;
    }
    return code;
  }

  /** An absolute path without spaces or control characters, or null. */
  private String pagePath(Fields f) {
    String p = f.string("response-page-path", null);
    if (p == null) {
      return null;
    }
    ConfigNode at = f.get("response-page-path");
    if (!p.startsWith("/")) {
      problems.at(
          at,
          "response-page-path '" + p + "' does not start with '/'",
          "write the page's path on this distribution, e.g. '/"
              + (p.isBlank() ? "errors/404.html" : p.strip())
              + "'");
      return null;
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '#') {
        problems.at(
            at,
            "response-page-path has "
                + (c == ' ' ? "a space" : c == '#' ? "a '#'" : "a control character")
                + ", which a request path cannot hold",
            "percent-encode it (%20 for a space, %23 for '#')");
        return null;
      }
    }
    return p;
  }

  private List<String> hosts(Fields f, String distributionId) {
    if (f.get("hosts") == null) {
      problems.missing(
          f.node(),
          "hosts",
          "list the host names this distribution answers for, e.g. [localhost, www.example.com]");
      return List.of();
    }
    List<ConfigNode> items = f.scalarList("hosts");
    if (items.isEmpty() && f.get("hosts").isList()) {
      problems.at(f.get("hosts"), "hosts is empty", "list at least one host name");
    }
    Set<String> out = new LinkedHashSet<>();
    for (ConfigNode item : items) {
      String host = host(item);
      if (host == null) {
        continue;
      }
      ConfigNode first = hostOwners.putIfAbsent(host, item);
      if (first != null) {
        String owner = hostDistribution.get(host);
        problems.at(
            item,
            "host '"
                + host
                + "' is already served by "
                + (owner != null && owner.equals(distributionId)
                    ? "this distribution"
                    : "distribution '" + owner + "'")
                + " (line "
                + first.line()
                + ")",
            "each host belongs to one distribution; remove one of them");
        continue;
      }
      hostDistribution.put(host, distributionId);
      out.add(host);
    }
    return List.copyOf(out);
  }

  private String host(ConfigNode item) {
    String raw = item.text().trim();
    String h = raw.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]") && Names.isIpv6(h.substring(1, h.length() - 1))) {
      return h.substring(1, h.length() - 1);
    }
    if (Names.isIpv6(h)) {
      return h;
    }
    if (h.contains("://") || h.contains("/")) {
      problems.at(
          item, "'" + raw + "' is not a host name", "write the name alone, without scheme or path");
      return null;
    }
    if (h.indexOf(':') >= 0) {
      problems.at(
          item,
          "host '" + raw + "' has a port; hosts are matched without one",
          "write '" + h.substring(0, h.indexOf(':')) + "'");
      return null;
    }
    String name = h.startsWith("*.") ? h.substring(2) : h;
    if (!Names.isHostName(name)) {
      problems.at(
          item,
          "'" + raw + "' is not a host name",
          "write a DNS name (letters, digits, '-', '.'), an IP address, or *.example.com for"
              + " one level of subdomains");
      return null;
    }
    return h;
  }

  /** Marks a tls section that had problems, so the distribution is not built. */
  private static final TlsSettings INVALID_TLS = new TlsSettings(null, null, "invalid");

  private TlsSettings tls(ConfigNode node) {
    if (node == null) {
      return null;
    }
    Fields f = Fields.of(node, problems, "the tls settings", TLS_KEYS);
    if (!f.valid()) {
      return INVALID_TLS;
    }
    int before = problems.count();
    String min = f.choice("min-protocol", "TLSv1.2", VIEWER_TLS_VERSIONS);
    Path cert = pemFile(f, "certificate");
    Path key = pemFile(f, "private-key");
    boolean hasCert = f.has("certificate");
    boolean hasKey = f.has("private-key");
    if (hasCert != hasKey) {
      String missing = hasCert ? "private-key" : "certificate";
      problems.missing(
          node,
          missing,
          "give both certificate and private-key, or neither (a self-signed certificate for the"
              + " hosts is generated at start)");
    }
    return problems.count() == before ? new TlsSettings(cert, key, min) : INVALID_TLS;
  }

  private Path pemFile(Fields f, String key) {
    String name = f.string(key, null);
    if (name == null) {
      return null;
    }
    Path p = baseDir.resolve(name.trim()).normalize();
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      problems.at(
          f.get(key),
          "the " + key + " file " + p + " does not exist or is not readable",
          "give the path of a PEM file; a relative path is relative to the config file's folder");
      return null;
    }
    return p;
  }

  private Behavior behavior(ConfigNode node, boolean isDefault) {
    Fields f =
        Fields.of(
            node,
            problems,
            isDefault ? "the default behavior" : "a behavior",
            isDefault ? DEFAULT_BEHAVIOR_KEYS : BEHAVIOR_KEYS);
    if (!f.valid()) {
      return null;
    }
    int before = problems.count();
    PathPattern pattern = isDefault ? null : pattern(f);
    OriginGroupSpec target = target(f);
    CachePolicy cache = cachePolicy(f);
    OriginRequestPolicy orp = originRequestPolicy(f);
    ViewerProtocolPolicy vpp =
        f.choice("viewer-protocol-policy", ViewerProtocolPolicy.ALLOW_ALL, VIEWER_POLICIES);
    Set<String> allowed = methods(f, "allowed-methods", ALLOWED_METHOD_SETS);
    Set<String> cached = methods(f, "cached-methods", CACHED_METHOD_SETS);
    if (allowed != null && cached != null && !allowed.containsAll(cached)) {
      List<String> extra = new ArrayList<>(cached);
      extra.removeAll(allowed);
      problems.at(
          f.get("cached-methods"),
          "cached-methods has " + String.join(", ", extra) + ", which allowed-methods does not",
          "cached methods must be a subset of allowed-methods");
    }
    boolean compress = f.bool("compress", true);
    if (problems.count() != before || target == null || cache == null) {
      return null;
    }
    return new Behavior(pattern, target, cache, orp, vpp, allowed, cached, compress);
  }

  private PathPattern pattern(Fields f) {
    String p = f.required("path", "give the behavior a path pattern, e.g. 'path: /api/*'");
    if (p == null) {
      return null;
    }
    ConfigNode at = f.get("path");
    if (p.isEmpty()) {
      problems.at(at, "path is empty", "write a pattern such as /images/*");
      return null;
    }
    if (p.length() > 255) {
      problems.at(at, "path is longer than 255 characters", "shorten the pattern");
      return null;
    }
    for (int i = 0; i < p.length(); i++) {
      if (PATTERN_CHARS.indexOf(p.charAt(i)) < 0) {
        problems.at(
            at,
            "path has the character '" + p.charAt(i) + "', which path patterns do not allow",
            "use only A-Z a-z 0-9 _ - . * $ / ~ \" ' @ : + ? & = (* matches any run of characters,"
                + " ? one character)");
        return null;
      }
    }
    return PathPattern.compile(p);
  }

  private OriginGroupSpec target(Fields f) {
    String ref =
        f.required(
            "target",
            "name the origin group (or origin) that serves this behavior: 'target: og-x'");
    if (ref == null) {
      return null;
    }
    ref = ref.trim();
    OriginGroupSpec group = origins.groups().get(ref);
    if (group != null) {
      return group;
    }
    OriginSpec origin = origins.origins().get(ref);
    if (origin != null) {
      return implicitGroups.computeIfAbsent(
          "origin:" + ref,
          gid -> new OriginGroupSpec(gid, List.of(origin), Collections.emptySet(), true));
    }
    if (origins.groups().isDeclared(ref) || origins.origins().isDeclared(ref)) {
      return null; // declared but refused: already reported
    }
    List<String> all = new ArrayList<>(origins.groups().declaredIds());
    all.addAll(origins.origins().declaredIds());
    String guess = Suggest.closest(ref, all);
    String fix;
    if (all.isEmpty()) {
      fix = "declare an origin (under origins) or an origin group (under origin-groups)";
    } else {
      fix =
          (guess != null ? "did you mean '" + guess + "'? " : "")
              + "known origin groups: "
              + listOrNone(origins.groups().declaredIds())
              + "; known origins: "
              + listOrNone(origins.origins().declaredIds());
    }
    problems.at(
        f.get("target"),
        "unknown target '" + ref + "': no origin group or origin has this id",
        fix);
    return null;
  }

  private static String listOrNone(Collection<String> ids) {
    return ids.isEmpty() ? "(none)" : String.join(", ", ids);
  }

  private CachePolicy cachePolicy(Fields f) {
    String ref =
        f.required(
            "cache-policy",
            "name a cache policy, e.g. CachingOptimized for static files or CachingDisabled for"
                + " an API");
    return ref == null ? null : policy(f, ref, CACHE, ORIGIN_REQUEST);
  }

  private OriginRequestPolicy originRequestPolicy(Fields f) {
    String ref = f.string("origin-request-policy", null);
    return ref == null ? null : policy(f, ref, ORIGIN_REQUEST, CACHE);
  }

  /**
   * One kind of policy a behavior names: its key, how it is called in messages (with its article),
   * where it is declared, and the fix when the other kind's name is put under this key.
   */
  private record PolicyKind<T>(
      String key,
      String kind,
      String plural,
      String section,
      java.util.function.Function<PoliciesParser, Registry<T>> declared,
      Map<String, T> managed,
      String misplacedFix) {}

  private static final PolicyKind<CachePolicy> CACHE =
      new PolicyKind<>(
          "cache-policy",
          "a cache policy",
          "cache policies",
          "cache-policies",
          PoliciesParser::cachePolicies,
          ManagedPolicies.CACHE_POLICIES,
          "put it under origin-request-policy, and name a cache policy here");

  private static final PolicyKind<OriginRequestPolicy> ORIGIN_REQUEST =
      new PolicyKind<>(
          "origin-request-policy",
          "an origin request policy",
          "origin request policies",
          "origin-request-policies",
          PoliciesParser::originRequestPolicies,
          ManagedPolicies.ORIGIN_REQUEST_POLICIES,
          "put it under cache-policy, and name an origin request policy here (or remove it)");

  /** The policy {@code ref} names (declared, or managed by name or CloudFront ID), or null. */
  private <T> T policy(Fields f, String ref, PolicyKind<T> kind, PolicyKind<?> other) {
    ref = ref.trim();
    String name = managedName(ref);
    Registry<T> declared = kind.declared().apply(policies);
    T p = declared.get(ref);
    if (p == null) {
      p = kind.managed().get(name);
    }
    if (p != null || declared.isDeclared(ref)) {
      return p;
    }
    if (other.managed().containsKey(name) || other.declared().apply(policies).isDeclared(ref)) {
      problems.at(
          f.get(kind.key()),
          "'" + ref + "' is " + other.kind() + ", not " + kind.kind(),
          kind.misplacedFix());
      return null;
    }
    List<String> known = new ArrayList<>(declared.declaredIds());
    known.addAll(kind.managed().keySet());
    problems.at(
        f.get(kind.key()),
        "unknown " + kind.kind().substring(kind.kind().indexOf(' ') + 1) + " '" + ref + "'",
        knownIds("declare it under " + kind.section(), kind.plural(), known, ref)
            + "; a managed policy's CloudFront ID works too");
    return null;
  }

  /** A managed policy's name for its CloudFront ID; otherwise {@code ref} itself. */
  private static String managedName(String ref) {
    String byId = ManagedPolicies.NAME_BY_ID.get(ref.toLowerCase(Locale.ROOT));
    return byId != null ? byId : ref;
  }

  private Set<String> methods(Fields f, String key, List<Set<String>> accepted) {
    if (f.get(key) == null) {
      return GET_HEAD;
    }
    List<ConfigNode> items = f.scalarList(key);
    List<String> upper = new ArrayList<>();
    boolean ok = f.get(key).isList();
    for (ConfigNode item : items) {
      String m = item.text().trim().toUpperCase(Locale.ROOT);
      if (!METHODS.contains(m)) {
        problems.at(
            item,
            "'" + item.text() + "' is not a method a behavior can allow",
            "use GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE");
        ok = false;
      }
      upper.add(m);
    }
    if (!ok) {
      return null;
    }
    Set<String> set = Set.copyOf(upper);
    if (!accepted.contains(set)) {
      StringBuilder forms = new StringBuilder();
      for (Set<String> s : accepted) {
        forms.append(forms.length() == 0 ? "" : " or ").append(methodSet(s));
      }
      problems.at(
          f.get(key), key + " must be one of CloudFront's sets, found " + upper, "write " + forms);
      return null;
    }
    return methodSet(set);
  }

  /** The methods in CloudFront's order, as an unmodifiable ordered set. */
  private static Set<String> methodSet(Collection<String> methods) {
    Set<String> out = new LinkedHashSet<>();
    for (String m : METHODS) {
      if (methods.contains(m)) {
        out.add(m);
      }
    }
    return Collections.unmodifiableSet(out);
  }
}
