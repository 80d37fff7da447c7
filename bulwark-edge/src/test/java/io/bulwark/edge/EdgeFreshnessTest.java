package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Fault;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Freshness extras at the edge: error caching, heuristic freshness, targeted cache-control fields
 * (RFC 9213), the policy's serve-stale-on-error window and qualified no-cache.
 */
class EdgeFreshnessTest {
  private FakeOrigin origin;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    origin = FakeOrigin.start("origin");
    edge =
        EdgeFixture.start(
            """
            edge:
              http: 127.0.0.1:0
            logging:
              access-log: off
            origins:
              - id: o
                domain-name: 127.0.0.1
                http-port: %d
                protocol-policy: http-only
                connection-attempts: 1
                connect-timeout: 1s
                response-timeout: 2s
            cache-policies:
              - id: p
                min-ttl: 0s
                default-ttl: 30s
                max-ttl: 1d
                error-caching-ttl: 10s
                heuristic-freshness: true
                targeted-cache-control: Bulwark-Cache-Control
              - id: grace
                min-ttl: 0s
                default-ttl: 30s
                max-ttl: 1d
                serve-stale-on-error: 1h
            distributions:
              - id: site
                hosts: [127.0.0.1, localhost]
                default-behavior:
                  target: o
                  cache-policy: p
                behaviors:
                  - path: /grace/*
                    target: o
                    cache-policy: grace
            """
                .formatted(origin.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  @Test
  void originErrorsAreCachedForTheErrorCachingTtl() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    origin.handle("/broken", r -> Response.of(503, "down " + calls.incrementAndGet()));
    assertThat(edge.get("/broken").body()).isEqualTo("down 1");
    edge.clock.advance(Duration.ofSeconds(9));
    HttpResponse<String> cached = edge.get("/broken");
    assertThat(cached.statusCode()).isEqualTo(503);
    assertThat(cached.body()).isEqualTo("down 1");
    assertThat(xCache(cached)).isEqualTo("Hit from bulwark");
    edge.clock.advance(Duration.ofSeconds(2));
    assertThat(edge.get("/broken").body()).isEqualTo("down 2");
  }

  @Test
  void heuristicFreshnessIsTenPercentOfTheLastModifiedAge() throws Exception {
    // Last-Modified 100 s before Date: fresh for 10 s (RFC 9111 4.2.2).
    String date = "Thu, 01 Jan 2026 00:01:40 GMT";
    origin.handle(
        "/h",
        Response.ok("h")
            .header("Date", date)
            .header("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT"));
    edge.clock.set(java.time.Instant.parse("2026-01-01T00:01:40Z"));
    edge.get("/h");
    edge.clock.advance(Duration.ofSeconds(9));
    assertThat(xCache(edge.get("/h"))).isEqualTo("Hit from bulwark");
    edge.clock.advance(Duration.ofSeconds(2));
    assertThat(xCache(edge.get("/h"))).isNotEqualTo("Hit from bulwark");
  }

  @Test
  void targetedFieldsAreHonouredAndOnlyThePolicysOwnIsKeptFromTheViewer() throws Exception {
    origin.handle(
        "/t",
        Response.ok("t")
            .header("Cache-Control", "no-store")
            .header("CDN-Cache-Control", "max-age=600"));
    origin.handle(
        "/own",
        Response.ok("own")
            .header("Cache-Control", "max-age=600")
            .header("CDN-Cache-Control", "max-age=600")
            .header("Bulwark-Cache-Control", "no-store"));
    HttpResponse<String> miss = edge.get("/t");
    edge.clock.advance(Duration.ofSeconds(300));
    HttpResponse<String> hit = edge.get("/t");
    assertThat(xCache(hit)).isEqualTo("Hit from bulwark"); // the edge keeps it, browsers do not
    for (HttpResponse<String> r : java.util.List.of(miss, hit)) {
      // RFC 9213 3: CDN-Cache-Control targets every CDN, so it goes on to one in front of us.
      assertThat(r.headers().firstValue("cdn-cache-control")).hasValue("max-age=600");
      assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
    }
    assertThat(edge.get("/own").headers().firstValue("bulwark-cache-control")).isEmpty();
    HttpResponse<String> own = edge.get("/own");
    assertThat(xCache(own)).isEqualTo("Miss from bulwark"); // the policy's own field decides
    assertThat(own.headers().firstValue("bulwark-cache-control")).isEmpty();
    assertThat(origin.requestCount("/own")).isEqualTo(2);
    origin.handle("/own-hit", Response.ok("o").header("Bulwark-Cache-Control", "max-age=600"));
    edge.get("/own-hit");
    HttpResponse<String> ownHit = edge.get("/own-hit");
    assertThat(xCache(ownHit)).isEqualTo("Hit from bulwark");
    assertThat(ownHit.headers().firstValue("bulwark-cache-control")).isEmpty();
  }

  @Test
  void thePolicyWindowServesStaleWhenTheOriginFails() throws Exception {
    origin.handle("/grace/page", Response.ok("good").header("Cache-Control", "max-age=10"));
    edge.get("/grace/page");
    edge.clock.advance(Duration.ofMinutes(30));
    origin.fault("/grace/page", Fault.status(502));
    HttpResponse<String> r = edge.get("/grace/page");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("good");
    assertThat(xCache(r)).isEqualTo("StaleHit from bulwark");
    origin.close(); // connection refused now
    HttpResponse<String> refused = edge.get("/grace/page");
    assertThat(refused.body()).isEqualTo("good");
    assertThat(xCache(refused)).isEqualTo("StaleHit from bulwark");
  }

  @Test
  void aStoredServerErrorIsNeverServedStaleForANewOne() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    origin.handle(
        "/grace/err",
        r ->
            Response.of(503, "down " + calls.incrementAndGet())
                .header("Cache-Control", "max-age=10"));
    edge.get("/grace/err");
    edge.clock.advance(Duration.ofMinutes(30));
    HttpResponse<String> r = edge.get("/grace/err");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("down 2"); // the origin's current answer, not the stored one
    assertThat(xCache(r)).isEqualTo("Miss from bulwark");
  }

  @Test
  void qualifiedNoCacheFieldsAreNotStored() throws Exception {
    origin.handle(
        "/q",
        Response.ok("q")
            .header("Cache-Control", "max-age=60, no-cache=\"X-User\"")
            .header("X-User", "alice"));
    HttpResponse<String> miss = edge.get("/q");
    assertThat(miss.headers().firstValue("x-user")).hasValue("alice");
    HttpResponse<String> hit = edge.get("/q");
    assertThat(xCache(hit)).isEqualTo("Hit from bulwark");
    assertThat(hit.headers().firstValue("x-user")).isEmpty();
  }
}
