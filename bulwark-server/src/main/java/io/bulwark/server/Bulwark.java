package io.bulwark.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.bulwark.admin.AdminActions;
import io.bulwark.admin.AdminServer;
import io.bulwark.cache.CacheStats;
import io.bulwark.cache.MemoryCacheStore;
import io.bulwark.config.ConfigLoader;
import io.bulwark.config.ConfigSnapshot;
import io.bulwark.config.Distribution;
import io.bulwark.config.PathPattern;
import io.bulwark.config.Secret;
import io.bulwark.config.StaticOriginSpec;
import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigProblem;
import io.bulwark.dns.DnsServer;
import io.bulwark.edge.AccessLogSink;
import io.bulwark.edge.AccessLogWriter;
import io.bulwark.edge.EdgeServer;
import io.bulwark.edge.EdgeServices;
import io.bulwark.health.HealthPlane;
import io.bulwark.staticorigin.Fault;
import io.bulwark.staticorigin.StaticOriginServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * One Bulwark process: the built-in static origins, the cache, the edge and the admin API, wired
 * from one config file. {@link #reload()} re-reads the file: a new snapshot is validated in full
 * before anything changes, then swapped in; a refused reload changes nothing and says why.
 *
 * <p>Restart-only settings (documented in docs/configuration.md): listener addresses, the admin
 * address, the access-log destination. A reload that changes them is applied for everything else
 * and reports that those keep their old value.
 */
public final class Bulwark implements AutoCloseable {
  private final Path configFile;
  private final InstantSource clock;
  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MemoryCacheStore cache;
  private final AccessLogSink accessLog;
  private final EventLoopGroup staticGroup = StaticOriginServer.newEventLoopGroup();
  private final Map<String, StaticOriginServer> staticOrigins = new ConcurrentHashMap<>();
  private final EdgeServer edge;
  private final AdminServer admin;
  private volatile ConfigSnapshot current;
  private volatile HealthPlane health;
  private volatile DnsServer dns;
  private final java.util.Set<String> healthGauges = ConcurrentHashMap.newKeySet();

  /** Rate counters survive reloads (a reload must not reset limits). */
  private static final io.bulwark.waf.InMemoryRateCounterStore RATES =
      new io.bulwark.waf.InMemoryRateCounterStore();

  /**
   * The challenge service when {@code waf.challenge-secret} is not set: one random secret per
   * process, kept across reloads, lost on restart and different on every node.
   */
  private static final io.bulwark.waf.ChallengeService RANDOM_CHALLENGE =
      io.bulwark.waf.ChallengeService.withRandomSecret();

  private final io.bulwark.edge.WafSamples wafSamples = new io.bulwark.edge.WafSamples();

  /**
   * What the web ACLs of {@code snapshot} are built with. The challenge service is a pure function
   * of the secret (tokens are HMACs, nothing is stored), so a reload that keeps {@code
   * waf.challenge-secret} keeps every issued token valid, and one that changes it invalidates them.
   */
  static io.bulwark.waf.WafEnvironment wafEnvironment(ConfigSnapshot snapshot) {
    Secret secret = snapshot.waf().challengeSecret();
    io.bulwark.waf.ChallengeService challenge =
        secret == null
            ? RANDOM_CHALLENGE
            : io.bulwark.waf.ChallengeService.withSecret(
                secret.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return io.bulwark.waf.WafEnvironment.defaults().withRates(RATES).withChallenge(challenge);
  }

  /** The startup line about the challenge secret, or null when there is nothing to say. */
  static String challengeSecretNote(ConfigSnapshot snapshot, Planes planes) {
    if (snapshot.waf().challengeSecret() != null || planes.webAcls().isEmpty()) {
      return null;
    }
    return "bulwark: waf: no waf.challenge-secret is set, so challenge tokens are signed with a"
        + " random key made at start: they stop being valid on restart and other nodes do not"
        + " accept them (set waf.challenge-secret, see docs/waf.md)";
  }

  /** The reload line when the challenge secret changed, or null. */
  static String challengeSecretChange(ConfigSnapshot before, ConfigSnapshot after) {
    Secret a = before.waf().challengeSecret();
    Secret b = after.waf().challengeSecret();
    boolean same = a == null ? b == null : b != null && a.reveal().equals(b.reveal());
    if (same) {
      return null;
    }
    return "bulwark: reload: the challenge secret changed"
        + (b == null ? " to a random per-process key" : " (now " + b.source() + ")")
        + "; challenge tokens issued before are no longer accepted";
  }

  private Bulwark(Path configFile, ConfigSnapshot snapshot, Planes planes, InstantSource clock)
      throws Exception {
    this.configFile = configFile;
    this.clock = clock;
    this.current = snapshot;
    this.cache =
        new MemoryCacheStore(snapshot.cache().maxBytes(), snapshot.cache().maxObjectBytes());
    this.accessLog = openAccessLog(snapshot);
    try {
      startStaticOrigins(snapshot);
      registerCacheGauges();
      this.health = startHealth(planes, null);
      this.dns = planes.dns() == null ? null : DnsServer.start(planes.dns(), this::healthy);
      EdgeServices services =
          new EdgeServices(
              cache, meters, accessLog, clock, this::staticOriginPort, this::healthy, wafSamples);
      this.edge =
          EdgeServer.start(
              snapshot, planes.webAcls(), services, Runtime.getRuntime().availableProcessors());
      this.admin =
          AdminServer.start(
              snapshot.admin().address().host(),
              snapshot.admin().address().port(),
              new Actions(),
              List.of(
                  new AdminServer.Route("GET", "/health-checks", req -> health.graph().status()),
                  new AdminServer.Route("GET", "/waf/sampled", this::sampledRequests)));
    } catch (Exception e) {
      closeQuietly();
      throw e;
    }
  }

  /** Loads, validates and starts; a {@link ConfigException} means nothing was started. */
  public static Bulwark start(Path configFile) throws Exception {
    return start(configFile, InstantSource.system());
  }

  public static Bulwark start(Path configFile, InstantSource clock) throws Exception {
    ConfigSnapshot snapshot = ConfigLoader.load(configFile);
    Planes planes = Planes.parse(snapshot, wafEnvironment(snapshot));
    Bulwark started = new Bulwark(configFile, snapshot, planes, clock);
    String note = challengeSecretNote(snapshot, planes);
    if (note != null) {
      System.err.println(note);
    }
    return started;
  }

  /**
   * GET /waf/sampled?web-acl=NAME[&rule=RULE][&since-seconds=600]: the latest sampled requests,
   * newest first (at most {@value io.bulwark.edge.WafSamples#PER_RULE} per rule are kept).
   */
  private Object sampledRequests(io.netty.handler.codec.http.FullHttpRequest req) {
    var params = new io.netty.handler.codec.http.QueryStringDecoder(req.uri()).parameters();
    List<String> acl = params.get("web-acl");
    if (acl == null || acl.isEmpty()) {
      throw new IllegalArgumentException(
          "'web-acl' is required, e.g. /waf/sampled?web-acl=default");
    }
    List<String> rule = params.get("rule");
    List<String> since = params.get("since-seconds");
    long seconds = since == null ? 600 : Long.parseLong(since.get(0));
    return wafSamples.query(
        acl.get(0), rule == null ? null : rule.get(0), clock.instant().minusSeconds(seconds));
  }

  /** Whether a health check says up; an id the current plane does not know counts as up. */
  private boolean healthy(String checkId) {
    HealthPlane h = health;
    return h == null || !h.graph().contains(checkId) || h.graph().isHealthy(checkId);
  }

  /** Starts a plane (keeping the state of unchanged checks from {@code previous}). */
  private HealthPlane startHealth(Planes planes, HealthPlane previous) {
    HealthPlane plane =
        previous == null
            ? HealthPlane.start(planes.checks())
            : HealthPlane.start(planes.checks(), HealthPlane.Options.realTime(), previous);
    // The health module logs each transition itself (java.util.logging, to stderr).
    for (String id : plane.graph().checkIds()) {
      if (healthGauges.add(id)) {
        Gauge.builder("bulwark_health_check_healthy", this, b -> b.healthy(id) ? 1 : 0)
            .description("1 while the health check says its target is up")
            .tag("check", id)
            .register(meters);
      }
    }
    return plane;
  }

  private static AccessLogSink openAccessLog(ConfigSnapshot s) throws IOException {
    String target = s.logging().accessLog();
    if ("off".equals(target)) {
      return AccessLogSink.OFF;
    }
    if ("stdout".equals(target)) {
      return AccessLogWriter.toStdout();
    }
    Path p = Path.of(target);
    if (!p.isAbsolute() && s.source().toAbsolutePath().getParent() != null) {
      p = s.source().toAbsolutePath().getParent().resolve(p);
    }
    return AccessLogWriter.toFile(p);
  }

  private void startStaticOrigins(ConfigSnapshot s) throws IOException {
    for (StaticOriginSpec spec : s.staticOrigins().values()) {
      StaticOriginServer running = staticOrigins.get(spec.id());
      if (running != null && sameStaticOrigin(running, spec)) {
        continue;
      }
      StaticOriginServer started =
          StaticOriginServer.start(
              spec.id(),
              spec.root(),
              spec.address().host(),
              running != null && spec.address().port() == 0 ? 0 : spec.address().port(),
              spec.indexDocument(),
              staticGroup);
      StaticOriginServer old = staticOrigins.put(spec.id(), started);
      if (old != null) {
        old.close();
      }
    }
  }

  private static boolean sameStaticOrigin(StaticOriginServer running, StaticOriginSpec spec) {
    try {
      return running.root().equals(spec.root().toRealPath())
          && running.host().equals(spec.address().host())
          && (spec.address().port() == 0 || running.port() == spec.address().port())
          && running.indexDocument().equals(spec.indexDocument());
    } catch (IOException e) {
      return false;
    }
  }

  private int staticOriginPort(String id) {
    StaticOriginServer s = staticOrigins.get(id);
    return s == null ? -1 : s.port(); // even when refusing: the edge must find out over TCP
  }

  private void registerCacheGauges() {
    gauge("bulwark_cache_entries", "Objects in the cache", CacheStats::entries);
    gauge(
        "bulwark_cache_bytes",
        "Bytes held by the cache (bodies, headers, overhead)",
        CacheStats::bytes);
    gauge("bulwark_cache_evictions", "Objects evicted for the byte budget", CacheStats::evictions);
  }

  private void gauge(String name, String help, ToDoubleFunction<CacheStats> f) {
    Gauge.builder(name, cache, c -> f.applyAsDouble(c.stats())).description(help).register(meters);
  }

  /**
   * Re-reads the config file and swaps it in. Returns the problems; empty when the new config is
   * serving. Never throws: a failed reload leaves the running config serving.
   */
  public synchronized List<String> reload() {
    ConfigSnapshot next;
    Planes planes;
    try {
      next = ConfigLoader.load(configFile);
      planes = Planes.parse(next, wafEnvironment(next));
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    List<String> notes = new ArrayList<>();
    if (!next.edge().equals(current.edge())) {
      // Listener changes need a restart; limits apply to new connections.
      if (!java.util.Objects.equals(next.edge().http(), current.edge().http())
          || !java.util.Objects.equals(next.edge().https(), current.edge().https())) {
        System.err.println("bulwark: reload: listener addresses change only on restart");
      }
    }
    HealthPlane oldHealth = health;
    HealthPlane newHealth = null;
    try {
      startStaticOrigins(next);
      newHealth = startHealth(planes, oldHealth);
      health = newHealth;
      edge.reload(next, planes.webAcls());
      if (planes.dns() != null && dns != null) {
        dns.update(planes.dns());
      } else if (planes.dns() != null) {
        dns = DnsServer.start(planes.dns(), this::healthy);
      } else if (dns != null) {
        dns.close();
        dns = null;
      }
    } catch (Exception e) {
      if (newHealth != null) {
        health = oldHealth;
        newHealth.close();
      }
      notes.add(
          configFile + ": reload failed, the previous config keeps serving: " + e.getMessage());
      return notes;
    }
    if (oldHealth != null && oldHealth != newHealth) {
      oldHealth.close();
    }
    for (String id : List.copyOf(staticOrigins.keySet())) {
      if (!next.staticOrigins().containsKey(id)) {
        StaticOriginServer gone = staticOrigins.remove(id);
        if (gone != null) {
          gone.close();
        }
      }
    }
    String secretChange = challengeSecretChange(current, next);
    if (secretChange != null) {
      System.err.println(secretChange);
    }
    current = next;
    System.err.println("bulwark: reloaded " + configFile);
    return notes;
  }

  /** Reload on SIGHUP, as nginx and HAProxy do. */
  public void installSighupReload() {
    try {
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          sig -> {
            List<String> problems = reload();
            for (String p : problems) {
              System.err.println("bulwark: reload refused: " + p);
            }
          });
    } catch (IllegalArgumentException e) {
      System.err.println("bulwark: SIGHUP reload unavailable here: " + e.getMessage());
    }
  }

  public EdgeServer edge() {
    return edge;
  }

  public int adminPort() {
    return admin.port();
  }

  public ConfigSnapshot snapshot() {
    return current;
  }

  /** The DNS server, or null without a dns section. */
  public DnsServer dns() {
    return dns;
  }

  public HealthPlane health() {
    return health;
  }

  public MemoryCacheStore cache() {
    return cache;
  }

  public StaticOriginServer staticOrigin(String id) {
    return staticOrigins.get(id);
  }

  /** One line for the operator: where everything listens. */
  public String describe() {
    StringBuilder sb = new StringBuilder("bulwark: serving");
    if (edge.httpPort() > 0) {
      sb.append(" http://")
          .append(current.edge().http().host())
          .append(':')
          .append(edge.httpPort());
    }
    if (edge.httpsPort() > 0) {
      sb.append(" https://")
          .append(current.edge().https().host())
          .append(':')
          .append(edge.httpsPort());
    }
    sb.append(", admin http://")
        .append(current.admin().address().host())
        .append(':')
        .append(admin.port());
    if (dns != null) {
      sb.append(", dns ")
          .append(dns.udpAddress().getHostString())
          .append(':')
          .append(dns.udpAddress().getPort());
    }
    for (StaticOriginServer s : staticOrigins.values()) {
      sb.append(", static origin ").append(s.id()).append(" :").append(s.port());
    }
    sb.append(" (").append(edge.transportName()).append(')');
    return sb.toString();
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    if (admin != null) {
      admin.close();
    }
    if (dns != null) {
      dns.close();
    }
    if (health != null) {
      health.close();
    }
    if (edge != null) {
      edge.close();
    }
    for (StaticOriginServer s : staticOrigins.values()) {
      s.close();
    }
    staticGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    if (accessLog instanceof AccessLogWriter w && w != null) {
      w.close();
    }
  }

  /** Serializes the snapshot for GET /config: secrets as their source only, never the value. */
  static final ObjectMapper CONFIG_JSON =
      new ObjectMapper()
          .registerModule(
              new SimpleModule("bulwark-config")
                  .addSerializer(
                      Secret.class,
                      new JsonSerializer<Secret>() {
                        @Override
                        public void serialize(Secret s, JsonGenerator g, SerializerProvider p)
                            throws IOException {
                          g.writeString("<redacted: " + s.source() + ">");
                        }
                      })
                  .addSerializer(Path.class, ToStringSerializer.instance)
                  .addSerializer(PathPattern.class, ToStringSerializer.instance)
                  .addSerializer(java.time.Duration.class, ToStringSerializer.instance))
          .addMixIn(ConfigSnapshot.class, SnapshotMixin.class);

  abstract static class SnapshotMixin {
    @com.fasterxml.jackson.annotation.JsonIgnore
    abstract Object raw();

    @JsonSerialize(using = ToStringSerializer.class)
    abstract Path source();
  }

  private final class Actions implements AdminActions {
    @Override
    public String scrapeMetrics() {
      return meters.scrape();
    }

    @Override
    public List<String> reload() {
      return Bulwark.this.reload();
    }

    @Override
    public int invalidate(String distribution, List<String> paths) {
      Distribution d =
          current.distributions().stream()
              .filter(x -> x.id().equals(distribution))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown distribution '"
                              + distribution
                              + "'; known: "
                              + current.distributions().stream().map(Distribution::id).toList()));
      for (String p : paths) {
        if (!p.startsWith("/") || p.length() > 4096) {
          throw new IllegalArgumentException(
              "invalidation path '" + p + "' must start with '/' (e.g. /images/*)");
        }
      }
      int removed = 0;
      for (String p : paths) {
        removed += cache.invalidate(d.id(), p, clock.instant());
      }
      return removed;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> config() {
      return CONFIG_JSON.convertValue(current, LinkedHashMap.class);
    }

    @Override
    public Map<String, Map<String, Object>> staticOrigins() {
      Map<String, Map<String, Object>> out = new LinkedHashMap<>();
      for (StaticOriginServer s : staticOrigins.values()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", s.port());
        m.put("root", s.root().toString());
        m.put("fault", s.fault().name().toLowerCase(java.util.Locale.ROOT));
        out.put(s.id(), m);
      }
      return out;
    }

    @Override
    public void setFault(String staticOrigin, String fault) {
      StaticOriginServer s = staticOrigins.get(staticOrigin);
      if (s == null) {
        throw new IllegalArgumentException(
            "unknown static origin '" + staticOrigin + "'; known: " + staticOrigins.keySet());
      }
      s.setFault(Fault.parse(fault));
      System.err.println("bulwark: static origin " + staticOrigin + " fault set to " + s.fault());
    }
  }
}
