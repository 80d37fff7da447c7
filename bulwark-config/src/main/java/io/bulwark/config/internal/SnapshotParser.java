package io.bulwark.config.internal;

import static io.bulwark.config.internal.OriginsParser.keys;

import io.bulwark.config.AdminSettings;
import io.bulwark.config.CachePolicy;
import io.bulwark.config.CacheSettings;
import io.bulwark.config.ConfigSnapshot;
import io.bulwark.config.EdgeSettings;
import io.bulwark.config.HostPort;
import io.bulwark.config.LoggingSettings;
import io.bulwark.config.OriginGroupSpec;
import io.bulwark.config.OriginRequestPolicy;
import io.bulwark.config.Secret;
import io.bulwark.config.StaticOriginSpec;
import io.bulwark.config.WafSettings;
import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a parsed document into a {@link ConfigSnapshot}: every section read, every value checked,
 * every reference resolved, every problem collected, then frozen. Sections are read in dependency
 * order (static origins, origins, groups, policies, distributions) so references resolve in one
 * pass; problems are reported in file order whatever the order they were found in.
 */
public final class SnapshotParser {
  /**
   * Top-level sections. The last three are read by the WAF, health and DNS modules; {@code waf}
   * holds the process-wide WAF settings, read here because its secret uses the same sources as
   * origin secrets.
   */
  public static final Set<String> TOP_KEYS =
      keys(
          "edge",
          "admin",
          "logging",
          "cache",
          "static-origins",
          "origins",
          "origin-groups",
          "cache-policies",
          "origin-request-policies",
          "distributions",
          "waf",
          "web-acls",
          "health-checks",
          "dns");

  static final Set<String> EDGE_KEYS =
      keys(
          "http",
          "https",
          "max-request-line",
          "max-header-bytes",
          "max-request-body",
          "idle-timeout",
          "request-header-timeout");
  static final Set<String> ADMIN_KEYS = keys("address");
  static final Set<String> LOGGING_KEYS = keys("access-log");
  static final Set<String> CACHE_KEYS = keys("max-bytes", "max-object-bytes");
  static final Set<String> WAF_KEYS = keys("challenge-secret");
  static final Set<String> STATIC_ORIGIN_KEYS = keys("id", "root", "address", "index-document");

  public static final HostPort DEFAULT_HTTP = new HostPort("127.0.0.1", 8080);
  public static final HostPort DEFAULT_ADMIN = new HostPort("127.0.0.1", 9901);
  public static final EdgeSettings DEFAULT_EDGE =
      new EdgeSettings(
          DEFAULT_HTTP,
          null,
          8192,
          16384,
          10L << 20,
          Duration.ofSeconds(60),
          Duration.ofSeconds(10));
  public static final CacheSettings DEFAULT_CACHE = new CacheSettings(256L << 20, 10L << 20);

  private static final long TIB = 1L << 40;

  private final Problems problems = new Problems();
  private final Path source;
  private final Path baseDir;
  private final Map<String, String> env;

  private SnapshotParser(Path source, Path baseDir, Map<String, String> env) {
    this.source = source;
    this.baseDir = baseDir;
    this.env = env;
  }

  /**
   * Validates {@code root} and freezes it.
   *
   * @param source the file, recorded in the snapshot
   * @param baseDir relative paths (static roots, secret files, certificates, logs) resolve here
   * @param env environment variables for {env: NAME} secrets
   */
  public static ConfigSnapshot parse(
      ConfigNode root, Path source, Path baseDir, Map<String, String> env) throws ConfigException {
    return new SnapshotParser(source, baseDir, env).parse(root);
  }

  private ConfigSnapshot parse(ConfigNode root) throws ConfigException {
    Fields top = Fields.of(root, problems, "the configuration", TOP_KEYS);
    problems.throwIfAny(); // a document that is not a map has nothing more to say
    EdgeSettings edge = edge(top.get("edge"));
    AdminSettings admin = admin(top.get("admin"));
    LoggingSettings logging = logging(top.get("logging"));
    CacheSettings cache = cache(top.get("cache"));
    Registry<StaticOriginSpec> statics = staticOrigins(top.list("static-origins"));

    OriginsParser origins = new OriginsParser(problems, baseDir, env, statics);
    origins.parseOrigins(top.list("origins"));
    origins.parseGroups(top.list("origin-groups"));
    PoliciesParser policies = new PoliciesParser(problems);
    policies.parseCachePolicies(top.list("cache-policies"));
    policies.parseOriginRequestPolicies(top.list("origin-request-policies"));
    DistributionsParser distributions =
        new DistributionsParser(problems, baseDir, origins, policies);
    distributions.parse(top.list("distributions"));
    WafSettings waf = waf(top.get("waf"));
    addressesDistinct(top, edge, admin, statics);
    problems.throwIfAny();

    Map<String, OriginGroupSpec> groups = new LinkedHashMap<>(origins.groups().values());
    groups.putAll(distributions.implicitGroups());
    Map<String, CachePolicy> cachePolicies = new LinkedHashMap<>(policies.cachePolicies().values());
    cachePolicies.putAll(ManagedPolicies.CACHE_POLICIES);
    Map<String, OriginRequestPolicy> orps =
        new LinkedHashMap<>(policies.originRequestPolicies().values());
    orps.putAll(ManagedPolicies.ORIGIN_REQUEST_POLICIES);
    return new ConfigSnapshot(
        source,
        edge,
        admin,
        logging,
        cache,
        frozen(statics.values()),
        frozen(origins.origins().values()),
        frozen(groups),
        frozen(cachePolicies),
        frozen(orps),
        distributions.distributions(),
        waf,
        root);
  }

  private static <T> Map<String, T> frozen(Map<String, T> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  private EdgeSettings edge(ConfigNode node) {
    if (node == null) {
      return DEFAULT_EDGE;
    }
    Fields f = Fields.of(node, problems, "the edge settings", EDGE_KEYS);
    if (!f.valid()) {
      return DEFAULT_EDGE;
    }
    // In a written edge section an absent listener is no listener: what is not written is off.
    HostPort http = f.hostPort("http", null);
    HostPort https = f.hostPort("https", null);
    if (http == null && https == null && !f.has("http") && !f.has("https")) {
      problems.at(
          node,
          "the edge has no listener",
          "set http: 127.0.0.1:8080 and/or https: 127.0.0.1:8443");
    }
    // Ranges: below the minimums no real request fits; above the maximums one connection could
    // hold an unreasonable share of the heap.
    int line = (int) f.size("max-request-line", 8192, 256, 1L << 20);
    int headers = (int) f.size("max-header-bytes", 16384, 1024, 1L << 20);
    long body = f.size("max-request-body", 10L << 20, 0, 64L << 30);
    Duration idle =
        f.duration("idle-timeout", Duration.ofSeconds(60), Duration.ofMillis(100), hours(1));
    Duration header =
        f.duration(
            "request-header-timeout",
            Duration.ofSeconds(10),
            Duration.ofMillis(100),
            Duration.ofMinutes(10));
    return new EdgeSettings(http, https, line, headers, body, idle, header);
  }

  private static Duration hours(long h) {
    return Duration.ofHours(h);
  }

  private AdminSettings admin(ConfigNode node) {
    if (node == null) {
      return new AdminSettings(DEFAULT_ADMIN);
    }
    Fields f = Fields.of(node, problems, "the admin settings", ADMIN_KEYS);
    HostPort address = f.valid() ? f.hostPort("address", DEFAULT_ADMIN) : DEFAULT_ADMIN;
    if (address == null) {
      problems.at(
          node.get("address"),
          "admin.address has no value",
          "write an address such as 127.0.0.1:9901; the admin API is always on, so keep it on"
              + " loopback");
      return new AdminSettings(DEFAULT_ADMIN);
    }
    return new AdminSettings(address);
  }

  private LoggingSettings logging(ConfigNode node) {
    if (node == null) {
      return new LoggingSettings("stdout");
    }
    Fields f = Fields.of(node, problems, "the logging settings", LOGGING_KEYS);
    String log = f.string("access-log", "stdout").trim();
    if (log.equals("stdout") || log.equals("off")) {
      return new LoggingSettings(log);
    }
    if (log.isEmpty()) {
      problems.at(f.get("access-log"), "access-log is empty", "write stdout, off or a file path");
      return new LoggingSettings("stdout");
    }
    Path file = baseDir.resolve(log).normalize();
    Path parent = file.getParent();
    if (Files.isDirectory(file)) {
      problems.at(
          f.get("access-log"),
          "access-log " + file + " is a folder",
          "name a file in it, e.g. " + file.resolve("access.log"));
    } else if (parent != null && !Files.isDirectory(parent)) {
      problems.at(
          f.get("access-log"),
          "the folder of access-log " + file + " does not exist",
          "create " + parent + ", or write stdout or off");
    }
    return new LoggingSettings(file.toString());
  }

  private CacheSettings cache(ConfigNode node) {
    if (node == null) {
      return DEFAULT_CACHE;
    }
    Fields f = Fields.of(node, problems, "the cache settings", CACHE_KEYS);
    long max = f.size("max-bytes", DEFAULT_CACHE.maxBytes(), 0, TIB);
    long maxObject = f.size("max-object-bytes", DEFAULT_CACHE.maxObjectBytes(), 0, TIB);
    if (maxObject > max) {
      ConfigNode at = f.get("max-object-bytes") != null ? f.get("max-object-bytes") : node;
      problems.at(
          at,
          "max-object-bytes ("
              + Units.formatSize(maxObject)
              + (f.has("max-object-bytes") ? "" : ", the default")
              + ") is larger than max-bytes ("
              + Units.formatSize(max)
              + ")",
          "lower max-object-bytes or raise max-bytes");
    }
    return new CacheSettings(max, maxObject);
  }

  /**
   * The {@code waf} section. The challenge secret signs every challenge token (HMAC-SHA256), so it
   * is held to the key size of that MAC: a shorter secret would be the weakest link of the token.
   */
  private WafSettings waf(ConfigNode node) {
    if (node == null) {
      return WafSettings.DEFAULTS;
    }
    Fields f = Fields.of(node, problems, "the waf settings", WAF_KEYS);
    ConfigNode v = f.valid() ? node.get("challenge-secret") : null;
    if (v == null) {
      return WafSettings.DEFAULTS;
    }
    Secret secret = new SecretReader(problems, baseDir, env).read(v, "challenge-secret");
    if (secret == null) {
      return WafSettings.DEFAULTS;
    }
    int bytes = secret.reveal().getBytes(StandardCharsets.UTF_8).length;
    if (bytes < WafSettings.MIN_CHALLENGE_SECRET_BYTES) {
      problems.at(
          SecretReader.valueNode(v),
          SecretReader.describe(secret, "the challenge secret")
              + " is "
              + bytes
              + (bytes == 1 ? " byte" : " bytes")
              + "; a challenge secret needs at least "
              + WafSettings.MIN_CHALLENGE_SECRET_BYTES
              + " (the HMAC-SHA256 key size): a short value can be found offline from a single token,"
              + " and then anyone can mint tokens",
          "generate one with 'openssl rand -base64 32' (44 characters) and give it as"
              + " {env: VARIABLE} or {file: PATH}; every node that must accept the same tokens"
              + " needs the same value");
      return WafSettings.DEFAULTS;
    }
    return new WafSettings(secret);
  }

  private Registry<StaticOriginSpec> staticOrigins(List<ConfigNode> items) {
    Registry<StaticOriginSpec> r = new Registry<>("static origin");
    for (ConfigNode item : items) {
      Fields f = Fields.of(item, problems, "a static origin", STATIC_ORIGIN_KEYS);
      if (!f.valid()) {
        continue;
      }
      int before = problems.count();
      String id = r.declare(f, problems);
      String root =
          f.required("root", "name the folder to serve, relative to the config file's folder");
      Path dir = null;
      if (root != null) {
        dir = baseDir.resolve(root.trim()).normalize();
        if (!Files.isDirectory(dir)) {
          problems.at(
              f.get("root"),
              "the folder " + dir + " does not exist",
              "create it, or fix the path (relative to the config file's folder)");
        }
      }
      HostPort address = f.hostPort("address", new HostPort("127.0.0.1", 0));
      if (address == null) {
        problems.at(item.get("address"), "address has no value", "write e.g. 127.0.0.1:0");
      }
      String index = f.string("index-document", "index.html").trim();
      if (index.isEmpty() || index.contains("/") || index.contains("\\")) {
        problems.at(
            f.get("index-document"),
            "index-document must be a file name, without '/'",
            "write e.g. index.html");
      }
      if (id != null && problems.count() == before) {
        r.put(id, new StaticOriginSpec(id, dir, address, index));
      }
    }
    return r;
  }

  /** Two listeners on one fixed address would fail at bind time; say so now, with both lines. */
  private void addressesDistinct(
      Fields top, EdgeSettings edge, AdminSettings admin, Registry<StaticOriginSpec> statics) {
    Map<HostPort, String> used = new LinkedHashMap<>();
    claim(used, edge.http(), "edge.http", top, "edge", "http");
    claim(used, edge.https(), "edge.https", top, "edge", "https");
    claim(used, admin.address(), "admin.address", top, "admin", "address");
    for (StaticOriginSpec s : statics.values().values()) {
      claim(used, s.address(), "static origin '" + s.id() + "'", top, null, null);
    }
  }

  private void claim(
      Map<HostPort, String> used,
      HostPort hp,
      String what,
      Fields top,
      String section,
      String key) {
    if (hp == null || hp.port() == 0) {
      return;
    }
    String previous = used.putIfAbsent(hp, what);
    if (previous != null) {
      ConfigNode at = top.node();
      if (section != null && top.get(section) != null && top.get(section).get(key) != null) {
        at = top.get(section).get(key);
      }
      problems.at(
          at,
          what + " " + hp + " is also the address of " + previous,
          "give each listener its own port (port 0 picks a free one)");
    }
  }
}
