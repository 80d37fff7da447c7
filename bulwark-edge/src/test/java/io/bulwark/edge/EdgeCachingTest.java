package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Fault;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Caching at the edge, end to end against fake origins on loopback. */
class EdgeCachingTest {
  private FakeOrigin primary;
  private FakeOrigin secondary;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    primary = FakeOrigin.start("primary");
    secondary = FakeOrigin.start("secondary");
    primary.defaultResponder(r -> Response.ok("primary " + r.path()));
    secondary.defaultResponder(r -> Response.ok("secondary " + r.path()));
    edge = EdgeFixture.start(EdgeFixture.twoOrigins(primary.port(), secondary.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    primary.close();
    secondary.close();
  }

  @Test
  void missThenHitWithAgeAndVia() throws Exception {
    HttpResponse<String> first = edge.get("/page.html");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(xCache(first)).isEqualTo("Miss from bulwark");
    assertThat(first.body()).isEqualTo("primary /page.html");
    assertThat(first.headers().firstValue("via")).hasValue("1.1 bulwark");

    edge.clock.advance(Duration.ofSeconds(3));
    HttpResponse<String> second = edge.get("/page.html");
    assertThat(xCache(second)).isEqualTo("Hit from bulwark");
    assertThat(second.body()).isEqualTo("primary /page.html");
    assertThat(second.headers().firstValue("age")).hasValue("3");
    assertThat(primary.requestCount()).isEqualTo(1);
  }

  @Test
  void ttlIsClampedToThePolicyMaximum() throws Exception {
    primary.handle("/long", Response.ok("long").header("Cache-Control", "max-age=3600"));
    assertThat(xCache(edge.get("/long"))).isEqualTo("Miss from bulwark");
    edge.clock.advance(Duration.ofSeconds(59));
    assertThat(xCache(edge.get("/long"))).isEqualTo("Hit from bulwark");
    edge.clock.advance(Duration.ofSeconds(2)); // 61 s > max-ttl 60 s, although max-age says 3600
    assertThat(xCache(edge.get("/long"))).isEqualTo("Miss from bulwark");
    assertThat(primary.requestCount("/long")).isEqualTo(2);
  }

  @Test
  void ttlIsClampedToThePolicyMinimum() throws Exception {
    primary.handle("/short", Response.ok("short").header("Cache-Control", "max-age=1"));
    edge.get("/short");
    edge.clock.advance(Duration.ofSeconds(4)); // max-age 1 s, but min-ttl is 5 s
    assertThat(xCache(edge.get("/short"))).isEqualTo("Hit from bulwark");
    edge.clock.advance(Duration.ofSeconds(2));
    assertThat(xCache(edge.get("/short"))).isEqualTo("Miss from bulwark");
  }

  @Test
  void defaultTtlAppliesWhenTheOriginSaysNothing() throws Exception {
    edge.get("/plain");
    edge.clock.advance(Duration.ofSeconds(29));
    assertThat(xCache(edge.get("/plain"))).isEqualTo("Hit from bulwark");
    edge.clock.advance(Duration.ofSeconds(2));
    assertThat(xCache(edge.get("/plain"))).isEqualTo("Miss from bulwark");
  }

  @Test
  void noStoreAndPrivateAreNotCached() throws Exception {
    primary.handle("/ns", Response.ok("ns").header("Cache-Control", "no-store"));
    primary.handle("/pv", Response.ok("pv").header("Cache-Control", "private, max-age=60"));
    for (int i = 0; i < 2; i++) {
      assertThat(xCache(edge.get("/ns"))).isEqualTo("Miss from bulwark");
      assertThat(xCache(edge.get("/pv"))).isEqualTo("Miss from bulwark");
    }
    assertThat(primary.requestCount("/ns")).isEqualTo(2);
    assertThat(primary.requestCount("/pv")).isEqualTo(2);
  }

  @Test
  void concurrentMissesMakeOneOriginRequest() throws Exception {
    primary.hold();
    int n = 24;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> edge.get("/collapsed")));
      }
      primary.awaitRequestCount(1, Duration.ofSeconds(10));
      // Every request has reached the edge and is waiting: the fill is still held.
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> edge.server.shared().metrics() != null && openConnections() >= n);
      primary.release();
      for (Future<HttpResponse<String>> f : futures) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("primary /collapsed");
      }
      assertThat(primary.requestCount("/collapsed")).isEqualTo(1);
    } finally {
      primary.release();
      pool.shutdownNow();
    }
  }

  private double openConnections() {
    return edge.meters.get("bulwark_open_connections").gauge().value();
  }

  @Test
  void truncatedBodyIsNeverCached() throws Exception {
    primary.handle("/cut", Response.ok("x".repeat(10_000)));
    primary.fault("/cut", Fault.TRUNCATE);
    try {
      edge.get("/cut");
    } catch (java.io.IOException expected) {
      // The viewer sees the cut too: the connection closes before the promised length.
    }
    primary.clearFault("/cut");
    HttpResponse<String> r = edge.get("/cut");
    assertThat(xCache(r)).isEqualTo("Miss from bulwark");
    assertThat(r.body()).hasSize(10_000);
    assertThat(xCache(edge.get("/cut"))).isEqualTo("Hit from bulwark");
    assertThat(primary.requestCount("/cut")).isEqualTo(2);
  }

  @Test
  void invalidationWithWildcardRemovesOnlyMatchingPaths() throws Exception {
    edge.get("/images/a.png");
    edge.get("/images/b.png");
    edge.get("/other.html");
    int removed = edge.cache.invalidate("site", "/images/*", edge.clock.instant());
    assertThat(removed).isEqualTo(2);
    assertThat(xCache(edge.get("/images/a.png"))).isEqualTo("Miss from bulwark");
    assertThat(xCache(edge.get("/other.html"))).isEqualTo("Hit from bulwark");
  }

  @Test
  void secretHeaderReachesTheOriginButNeverTheViewer() throws Exception {
    primary.handle("/nocache/echo", r -> Response.ok("seen"));
    HttpResponse<String> r = edge.get("/nocache/echo", "X-Origin-Verify", "spoofed-by-viewer");
    assertThat(r.statusCode()).isEqualTo(200);
    var seen = primary.lastRequest();
    assertThat(seen.headers().all("X-Origin-Verify")).containsExactly("s3cr3t-value");
    assertThat(r.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("x-origin-verify"));
    assertThat(r.body()).doesNotContain("s3cr3t");
  }

  @Test
  void accessLogRecordsEveryRequest() throws Exception {
    edge.get("/logged");
    edge.get("/logged");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> edge.log.size() >= 2);
    assertThat(edge.log).extracting(AccessLogRecord::edgeResultType).containsExactly("Miss", "Hit");
    assertThat(edge.log.get(0).origin()).isEqualTo("primary");
    assertThat(edge.log.get(0).time()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }
}
