package io.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One health check drives both DNS failover and the edge's origin group (issue 5): the primary
 * static origin hangs for real; the check marks it down; DNS answers the secondary and the edge
 * sends requests straight to the secondary origin, none waiting for the primary's timeout.
 */
class HealthAndDnsTest {
  @TempDir Path dir;
  private Bulwark bulwark;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    if (bulwark != null) {
      bulwark.close();
    }
  }

  private String admin(String method, String path, String json) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bulwark.adminPort() + path))
                .method(
                    method,
                    json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private String whoami() throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bulwark.edge().httpPort() + "/api/whoami"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private String dig(String name) throws Exception {
    Process p =
        new ProcessBuilder(
                "dig",
                "@127.0.0.1",
                "-p",
                Integer.toString(bulwark.dns().udpAddress().getPort()),
                "+short",
                "+time=2",
                "+tries=1",
                name,
                "A")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return out;
  }

  @Test
  void oneHealthCheckMovesDnsAndTheOriginGroup() throws Exception {
    for (String site : new String[] {"a", "b"}) {
      Files.createDirectories(dir.resolve(site).resolve("api"));
      Files.writeString(dir.resolve(site).resolve("index.html"), "ok " + site);
      Files.writeString(dir.resolve(site).resolve("api/whoami"), "site-" + site);
    }
    Files.writeString(dir.resolve("secret.txt"), "s");
    Path config = dir.resolve("bulwark.yaml");
    String base = BulwarkServerTest.config("60s", "");
    Files.writeString(config, base);
    bulwark = Bulwark.start(config);
    int portA = bulwark.staticOrigin("site-a").port();

    // Now that site-a's port is known, point a health check and a DNS failover pair at it.
    String withHealth =
        base.replace(
                    "root: a\n    address: 127.0.0.1:0", "root: a\n    address: 127.0.0.1:" + portA)
                .replace(
                    "  - id: a\n    static: site-a\n",
                    "  - id: a\n    static: site-a\n    health-check: site-a-up\n")
            + """
            health-checks:
              - id: site-a-up
                type: http
                ip-address: 127.0.0.1
                port: %d
                resource-path: /index.html
                request-interval: 1
                failure-threshold: 1
                timeout: 1s
            dns:
              listen: 127.0.0.1:0
              zones:
                - name: example.test
                  name-servers: [ns1.example.test.]
                  record-sets:
                    - {name: www, type: A, ttl: 5, set-identifier: primary, failover: PRIMARY, health-check: site-a-up, resource-records: [127.0.0.10]}
                    - {name: www, type: A, ttl: 5, set-identifier: secondary, failover: SECONDARY, resource-records: [127.0.0.20]}
            """
                .formatted(portA);
    assertThat(withHealth).contains("health-check: site-a-up\n");
    Files.writeString(config, withHealth);
    Planes parsed = Planes.parse(io.bulwark.config.ConfigLoader.load(config));
    assertThat(parsed.dns()).as(withHealth).isNotNull();
    assertThat(bulwark.reload()).isEmpty();
    assertThat(bulwark.dns()).isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dig("www.example.test").equals("127.0.0.10"));
    assertThat(whoami()).contains("site-a");

    admin("POST", "/origins/site-a/fault", "{\"fault\":\"hang\"}");
    // Three checkers by default, healthy while more than 18% of them are: all three must see it.
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> !bulwark.health().graph().isHealthy("site-a-up"));
    assertThat(dig("www.example.test")).isEqualTo("127.0.0.20");
    assertThat(admin("GET", "/health-checks", null)).contains("site-a-up").contains("timeout");

    // After detection, requests go straight to the secondary: no attempt on the hung primary.
    Path log = dir.resolve("access.log");
    long before = Files.readAllLines(log).size();
    for (int i = 0; i < 5; i++) {
      assertThat(whoami()).contains("site-b");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.readAllLines(log).size() >= before + 5);
    List<String> lines = Files.readAllLines(log);
    for (String line : lines.subList((int) before, lines.size())) {
      assertThat(line).contains("\"origin\":\"b\"").contains("\"failovers\":0");
    }

    admin("POST", "/origins/site-a/fault", "{\"fault\":\"off\"}");
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> dig("www.example.test").equals("127.0.0.10"));
    assertThat(whoami()).contains("site-a");
    assertThat(admin("GET", "/metrics", null))
        .contains("bulwark_health_check_healthy{check=\"site-a-up\"} 1.0");
  }
}
