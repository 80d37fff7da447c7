package io.bulwark.edge;

import io.bulwark.cache.MemoryCacheStore;
import io.bulwark.config.ConfigLoader;
import io.bulwark.config.ConfigSnapshot;
import io.bulwark.core.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real edge on an ephemeral loopback port, with a manual clock for freshness, an in-memory cache
 * and a captured access log. Origins are {@code FakeOrigin}s the test starts.
 */
final class EdgeFixture implements AutoCloseable {
  final ManualClock clock = ManualClock.atDefaultStart();
  final MemoryCacheStore cache;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final List<AccessLogRecord> log = new CopyOnWriteArrayList<>();
  final EdgeServer server;
  final EdgeServices services;
  final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  static EdgeFixture startWithWaf(String yaml) throws Exception {
    ConfigSnapshot snapshot = load(yaml);
    java.util.Map<String, io.bulwark.waf.WebAcl> acls = new java.util.LinkedHashMap<>();
    for (io.bulwark.waf.WebAcl a :
        io.bulwark.waf.WebAclParser.parse(
            snapshot.raw(), io.bulwark.waf.WafEnvironment.defaults())) {
      acls.put(a.name(), a);
    }
    return new EdgeFixture(snapshot, HealthView.ALL_HEALTHY, acls);
  }

  private EdgeFixture(ConfigSnapshot snapshot, HealthView health) throws Exception {
    this(snapshot, health, java.util.Map.of());
  }

  private EdgeFixture(
      ConfigSnapshot snapshot, HealthView health, java.util.Map<String, io.bulwark.waf.WebAcl> acls)
      throws Exception {
    this.cache =
        new MemoryCacheStore(snapshot.cache().maxBytes(), snapshot.cache().maxObjectBytes());
    this.services = new EdgeServices(cache, meters, log::add, clock, id -> -1, health);
    this.server = EdgeServer.start(snapshot, acls, this.services, 2);
  }

  static EdgeFixture start(String yaml) throws Exception {
    return new EdgeFixture(load(yaml), HealthView.ALL_HEALTHY);
  }

  static EdgeFixture start(String yaml, HealthView health) throws Exception {
    return new EdgeFixture(load(yaml), health);
  }

  static ConfigSnapshot load(String yaml) throws Exception {
    return ConfigLoader.load("test.yaml", yaml, Path.of("."), Map.of("SECRET", "s3cr3t-value"));
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  static String xCache(HttpResponse<?> r) {
    return r.headers().firstValue("x-cache").orElse("(none)");
  }

  @Override
  public void close() {
    server.close();
  }

  /**
   * A config with two HTTP origins on the given ports: group "og" fails over on 500, 502, 503, 504
   * and 408; group "og4" on 403 and 404. Paths: default (cached, ttl clamped to [5 s, 60 s],
   * default 30 s), /nocache/* (CachingDisabled, all methods), /four/* (og4, not cached), /direct/*
   * (the primary named directly: no failover).
   */
  static String twoOrigins(int primaryPort, int secondaryPort) {
    return """
        edge:
          http: 127.0.0.1:0
        logging:
          access-log: off
        cache:
          max-bytes: 64MiB
          max-object-bytes: 1MiB
        origins:
          - id: primary
            domain-name: 127.0.0.1
            http-port: %d
            protocol-policy: http-only
            connection-attempts: 1
            connect-timeout: 1s
            response-timeout: 1s
            custom-headers:
              X-Origin-Verify: {env: SECRET}
          - id: secondary
            domain-name: 127.0.0.1
            http-port: %d
            protocol-policy: http-only
            connection-attempts: 1
            connect-timeout: 1s
            response-timeout: 1s
            custom-headers:
              X-Origin-Verify: {env: SECRET}
        origin-groups:
          - id: og
            members: [primary, secondary]
            failover-status-codes: [500, 502, 503, 504, 408]
          - id: og4
            members: [primary, secondary]
            failover-status-codes: [403, 404]
        cache-policies:
          - id: clamped
            min-ttl: 5s
            default-ttl: 30s
            max-ttl: 60s
        distributions:
          - id: site
            hosts: [127.0.0.1, localhost]
            default-behavior:
              target: og
              cache-policy: clamped
              allowed-methods: [GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE]
            behaviors:
              - path: /nocache/*
                target: og
                cache-policy: CachingDisabled
                origin-request-policy: AllViewerExceptHostHeader
                allowed-methods: [GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE]
              - path: /four/*
                target: og4
                cache-policy: CachingDisabled
              - path: /direct/*
                target: primary
                cache-policy: CachingDisabled
        """
        .formatted(primaryPort, secondaryPort);
  }
}
