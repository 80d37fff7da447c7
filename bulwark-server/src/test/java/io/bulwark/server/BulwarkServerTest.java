package io.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.config.node.ConfigException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A whole Bulwark process from a config file: static origins, edge, admin API, reload. */
class BulwarkServerTest {
  @TempDir Path dir;
  private Path config;
  private Bulwark bulwark;
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  static String config(String defaultTtl, String extraBehavior) {
    return """
        edge:
          http: 127.0.0.1:0
          https: 127.0.0.1:0
        admin:
          address: 127.0.0.1:0
        logging:
          access-log: access.log
        static-origins:
          - id: site-a
            root: a
            address: 127.0.0.1:0
          - id: site-b
            root: b
            address: 127.0.0.1:0
        origins:
          - id: a
            static: site-a
            response-timeout: 2s
            custom-headers:
              X-Origin-Verify: {file: secret.txt}
          - id: b
            static: site-b
            response-timeout: 2s
        origin-groups:
          - id: og
            members: [a, b]
            failover-status-codes: [500, 502, 503, 504]
        cache-policies:
          - id: pages
            default-ttl: %s
            max-ttl: 1d
        distributions:
          - id: site
            hosts: [localhost, 127.0.0.1]
            default-behavior:
              target: og
              cache-policy: pages
            behaviors:
              - path: /api/*
                target: og
                cache-policy: CachingDisabled
        %s
        """
        .formatted(defaultTtl, extraBehavior);
  }

  @BeforeEach
  void start() throws Exception {
    for (String site : new String[] {"a", "b"}) {
      Files.createDirectories(dir.resolve(site).resolve("api"));
      Files.createDirectories(dir.resolve(site).resolve("images"));
      Files.writeString(dir.resolve(site).resolve("index.html"), "<h1>site " + site + "</h1>\n");
      Files.writeString(
          dir.resolve(site).resolve("api/whoami"), "{\"origin\":\"site-" + site + "\"}\n");
      Files.writeString(dir.resolve(site).resolve("images/1.png"), "png-1-" + site);
      Files.writeString(dir.resolve(site).resolve("images/2.png"), "png-2-" + site);
    }
    Files.writeString(dir.resolve("secret.txt"), "file-secret-value\n");
    config = dir.resolve("bulwark.yaml");
    Files.writeString(config, config("60s", ""));
    bulwark = Bulwark.start(config);
  }

  @AfterEach
  void stop() {
    if (bulwark != null) {
      bulwark.close();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bulwark.edge().httpPort() + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> admin(String method, String path, String json) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bulwark.adminPort() + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String xCache(HttpResponse<?> r) {
    return r.headers().firstValue("x-cache").orElse("");
  }

  @Test
  void missHitAndWildcardInvalidationThroughTheAdminApi() throws Exception {
    assertThat(xCache(get("/images/1.png"))).isEqualTo("Miss from bulwark");
    assertThat(xCache(get("/images/2.png"))).isEqualTo("Miss from bulwark");
    assertThat(xCache(get("/"))).isEqualTo("Miss from bulwark");
    HttpResponse<String> hit = get("/images/1.png");
    assertThat(xCache(hit)).isEqualTo("Hit from bulwark");
    assertThat(hit.body()).isEqualTo("png-1-a");

    HttpResponse<String> inv =
        admin("POST", "/invalidations", "{\"distribution\":\"site\",\"paths\":[\"/images/*\"]}");
    assertThat(inv.statusCode()).isEqualTo(201);
    assertThat(inv.body()).contains("\"removed\" : 2");

    assertThat(xCache(get("/images/1.png"))).isEqualTo("Miss from bulwark");
    assertThat(xCache(get("/"))).isEqualTo("Hit from bulwark");
  }

  @Test
  void faultSwitchMakesThePrimaryFailForRealAndTheGroupFailsOver() throws Exception {
    assertThat(get("/api/whoami").body()).contains("site-a");
    for (String fault : new String[] {"503", "reset", "refuse", "hang"}) {
      HttpResponse<String> set =
          admin("POST", "/origins/site-a/fault", "{\"fault\":\"" + fault + "\"}");
      assertThat(set.statusCode()).as(fault).isEqualTo(200);
      HttpResponse<String> r = get("/api/whoami");
      assertThat(r.statusCode()).as(fault).isEqualTo(200);
      assertThat(r.body()).as(fault).contains("site-b");
    }
    admin("POST", "/origins/site-a/fault", "{\"fault\":\"off\"}");
    assertThat(get("/api/whoami").body()).contains("site-a");
    assertThat(admin("POST", "/origins/nope/fault", "{\"fault\":\"503\"}").statusCode())
        .isEqualTo(400);
    assertThat(admin("POST", "/origins/site-a/fault", "{\"fault\":\"explode\"}").body())
        .contains("unknown fault");
  }

  @Test
  void reloadSwapsTheConfigAndAFailedReloadKeepsTheOldOne() throws Exception {
    assertThat(get("/new/x").statusCode()).isEqualTo(404); // no such file, default behavior
    Files.writeString(
        config,
        config("60s", "")
            .replace(
                "      - path: /api/*",
                "      - path: /new/*\n        target: og\n        cache-policy: CachingDisabled\n"
                    + "        viewer-protocol-policy: https-only\n      - path: /api/*"));
    HttpResponse<String> ok = admin("POST", "/reload", null);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(get("/new/x").statusCode()).isEqualTo(403); // the new behavior is serving

    Files.writeString(
        config,
        config("60s", "")
            .replace(
                "failover-status-codes: [500, 502, 503, 504]",
                "failover-status-codes: [500, 429]"));
    HttpResponse<String> refused = admin("POST", "/reload", null);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("bulwark.yaml:").contains("429");
    // The previous config still serves, new behavior included.
    assertThat(get("/new/x").statusCode()).isEqualTo(403);
    assertThat(get("/api/whoami").statusCode()).isEqualTo(200);
  }

  @Test
  void sighupReloads() throws Exception {
    bulwark.installSighupReload();
    Files.writeString(
        config,
        config("60s", "")
            .replace(
                "hosts: [localhost, 127.0.0.1]", "hosts: [localhost, 127.0.0.1, hup.example]"));
    Process kill =
        new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
    assertThat(kill.waitFor()).isZero();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> bulwark.snapshot().distributions().get(0).hosts().contains("hup.example"));
  }

  @Test
  void configIsShownWithSecretsRedactedAndMetricsAndHealthServe() throws Exception {
    get("/api/whoami");
    HttpResponse<String> cfg = admin("GET", "/config", null);
    assertThat(cfg.statusCode()).isEqualTo(200);
    assertThat(cfg.body())
        .contains("X-Origin-Verify")
        .contains("redacted")
        .doesNotContain("file-secret-value");
    assertThat(admin("GET", "/healthz", null).body()).isEqualTo("ok\n");
    String metrics = admin("GET", "/metrics", null).body();
    assertThat(metrics)
        .contains("bulwark_requests_total{distribution=\"site\",status_class=\"2xx\"}");
    assertThat(metrics).contains("bulwark_origin_latency_seconds_bucket");
    assertThat(metrics).contains("bulwark_cache_entries");
    // The secret reached the origin side only: the static origin is what the edge talked to.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Files.exists(dir.resolve("access.log"))
                    && Files.size(dir.resolve("access.log")) > 0);
    String log = Files.readString(dir.resolve("access.log"));
    assertThat(log).contains("\"cs-uri-stem\":\"/api/whoami\"").doesNotContain("file-secret-value");
  }

  @Test
  void httpsServesWithTls13AndTls12() throws Exception {
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            public void checkServerTrusted(X509Certificate[] c, String a) {}

            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    for (String proto : new String[] {"TLSv1.3", "TLSv1.2"}) {
      SSLParameters params = new SSLParameters();
      params.setProtocols(new String[] {proto});
      HttpClient tls =
          HttpClient.newBuilder()
              .sslContext(trustAll)
              .sslParameters(params)
              .version(HttpClient.Version.HTTP_1_1)
              .build();
      HttpResponse<String> r =
          tls.send(
              HttpRequest.newBuilder(
                      URI.create("https://localhost:" + bulwark.edge().httpsPort() + "/"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(proto).isEqualTo(200);
      assertThat(r.body()).contains("site a");
      assertThat(r.sslSession()).get().extracting(s -> s.getProtocol()).isEqualTo(proto);
    }
  }

  @Test
  void invalidConfigIsRefusedWithFileAndLineAndTheCliExitsNonZero() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, config("ten parsecs", ""));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Bulwark.start(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bad.yaml:");

    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = new CommandLine(new BulwarkCommand()).execute("run", bad.toString());
    } finally {
      System.setErr(oldErr);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.yaml:").contains("default-ttl");
  }
}
