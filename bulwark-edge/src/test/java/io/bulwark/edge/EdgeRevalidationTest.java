package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Fault;
import io.bulwark.testing.RecordedRequest;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Validation and stale serving at the edge (RFC 9111 4.3, RFC 5861), end to end against fake
 * origins on loopback. The default behavior's policy clamps TTLs to [5 s, 60 s].
 */
class EdgeRevalidationTest {
  private FakeOrigin primary;
  private FakeOrigin secondary;
  private EdgeFixture edge;
  private final AtomicInteger version = new AtomicInteger(1);

  @BeforeEach
  void start() throws Exception {
    primary = FakeOrigin.start("primary");
    secondary = FakeOrigin.start("secondary");
    secondary.defaultResponder(r -> Response.of(503, "secondary down"));
    edge = EdgeFixture.start(EdgeFixture.twoOrigins(primary.port(), secondary.port()));
  }

  @AfterEach
  void stop() {
    primary.release();
    edge.close();
    primary.close();
    secondary.close();
  }

  /** An origin with ETag "v<version>" that answers 304 to a matching If-None-Match. */
  private void validatingOrigin(String path, String cacheControl) {
    primary.handle(
        path,
        r -> {
          String tag = "\"v" + version.get() + "\"";
          if (tag.equals(r.header("if-none-match"))) {
            return Response.of(304)
                .header("ETag", tag)
                .header("Cache-Control", cacheControl)
                .header("X-Refreshed", "yes");
          }
          return Response.ok("body v" + version.get())
              .header("ETag", tag)
              .header("Cache-Control", cacheControl)
              .header("X-Refreshed", "no");
        });
  }

  @Test
  void staleEntryIsRevalidatedAndThe304UpdatesItsHeaders() throws Exception {
    validatingOrigin("/r", "max-age=10");
    assertThat(xCache(edge.get("/r"))).isEqualTo("Miss from bulwark");
    edge.clock.advance(Duration.ofSeconds(11));

    HttpResponse<String> refreshed = edge.get("/r");
    assertThat(xCache(refreshed)).isEqualTo("RefreshHit from bulwark");
    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(refreshed.body()).isEqualTo("body v1");
    assertThat(refreshed.headers().firstValue("x-refreshed")).hasValue("yes"); // RFC 9111 4.3.4
    assertThat(refreshed.headers().firstValue("age")).hasValue("0");
    RecordedRequest conditional = primary.lastRequest();
    assertThat(conditional.header("if-none-match")).isEqualTo("\"v1\"");

    edge.clock.advance(Duration.ofSeconds(9)); // fresh again for 10 s from the 304
    HttpResponse<String> hit = edge.get("/r");
    assertThat(xCache(hit)).isEqualTo("Hit from bulwark");
    assertThat(hit.headers().firstValue("x-refreshed")).hasValue("yes");
    assertThat(primary.requestCount("/r")).isEqualTo(2);
  }

  @Test
  void lastModifiedAloneRevalidatesWithIfModifiedSince() throws Exception {
    String lm = "Wed, 31 Dec 2025 00:00:00 GMT";
    primary.handle(
        "/lm",
        r ->
            lm.equals(r.header("if-modified-since"))
                ? Response.of(304).header("Cache-Control", "max-age=10")
                : Response.ok("lm body")
                    .header("Last-Modified", lm)
                    .header("Cache-Control", "max-age=10"));
    edge.get("/lm");
    edge.clock.advance(Duration.ofSeconds(11));
    HttpResponse<String> r = edge.get("/lm");
    assertThat(xCache(r)).isEqualTo("RefreshHit from bulwark");
    assertThat(r.body()).isEqualTo("lm body");
    assertThat(r.headers().firstValue("last-modified")).hasValue(lm);
    assertThat(primary.lastRequest().header("if-none-match")).isNull();
  }

  @Test
  void changedObjectIsFetchedWholeOnRevalidation() throws Exception {
    validatingOrigin("/c", "max-age=10");
    edge.get("/c");
    version.set(2);
    edge.clock.advance(Duration.ofSeconds(11));
    HttpResponse<String> r = edge.get("/c");
    assertThat(xCache(r)).isEqualTo("Miss from bulwark");
    assertThat(r.body()).isEqualTo("body v2");
    assertThat(xCache(edge.get("/c"))).isEqualTo("Hit from bulwark");
  }

  @Test
  void noCacheIsRevalidatedOnEveryRequest() throws Exception {
    validatingOrigin("/nc", "no-cache");
    edge.get("/nc");
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = edge.get("/nc");
      assertThat(xCache(r)).isEqualTo("RefreshHit from bulwark");
      assertThat(r.body()).isEqualTo("body v1");
    }
    assertThat(primary.requestCount("/nc")).isEqualTo(4);
    assertThat(primary.requests("/nc").get(3).header("if-none-match")).isEqualTo("\"v1\"");
  }

  @Test
  void viewerConditionalRequestsAreAnswered304FromCache() throws Exception {
    primary.handle(
        "/v",
        Response.ok("v")
            .header("ETag", "\"abc\"")
            .header("Last-Modified", "Wed, 31 Dec 2025 00:00:00 GMT")
            .header("Cache-Control", "max-age=60"));
    edge.get("/v");

    HttpResponse<String> etag = edge.get("/v", "If-None-Match", "\"x\", W/\"abc\"");
    assertThat(etag.statusCode()).isEqualTo(304);
    assertThat(etag.body()).isEmpty();
    assertThat(etag.headers().firstValue("etag")).hasValue("\"abc\"");
    assertThat(etag.headers().firstValue("cache-control")).hasValue("max-age=60");
    assertThat(xCache(etag)).isEqualTo("Hit from bulwark");

    HttpResponse<String> other = edge.get("/v", "If-None-Match", "\"zzz\"");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body()).isEqualTo("v");

    HttpResponse<String> ims = edge.get("/v", "If-Modified-Since", "Thu, 01 Jan 2026 00:00:00 GMT");
    assertThat(ims.statusCode()).isEqualTo(304);
    // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    HttpResponse<String> both =
        edge.get(
            "/v", "If-None-Match", "\"zzz\"", "If-Modified-Since", "Thu, 01 Jan 2026 00:00:00 GMT");
    assertThat(both.statusCode()).isEqualTo(200);
    assertThat(primary.requestCount("/v")).isEqualTo(1); // never forwarded on a fill or hit
  }

  @Test
  void viewerPreconditionsAreNotForwardedOnAFill() throws Exception {
    primary.handle("/f", Response.ok("f").header("ETag", "\"f\""));
    HttpResponse<String> r = edge.get("/f", "If-None-Match", "\"f\"");
    assertThat(primary.lastRequest().header("if-none-match")).isNull();
    assertThat(r.statusCode()).isEqualTo(304); // answered from the object the fill stored
  }

  @Test
  void dateIsAddedWhenTheOriginSentNone() throws Exception {
    primary.handle("/d", Response.ok("d"));
    HttpResponse<String> miss = edge.get("/d");
    assertThat(miss.headers().firstValue("date")).isPresent();
    edge.clock.advance(Duration.ofSeconds(2));
    HttpResponse<String> hit = edge.get("/d");
    assertThat(hit.headers().firstValue("date")).isEqualTo(miss.headers().firstValue("date"));
    assertThat(hit.headers().firstValue("age")).hasValue("2");
  }

  @Test
  void concurrentRequestsForAStaleEntryMakeOneRevalidation() throws Exception {
    validatingOrigin("/cr", "max-age=10");
    edge.get("/cr");
    edge.clock.advance(Duration.ofSeconds(11));
    primary.hold();
    int n = 12;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(() -> edge.get("/cr")));
      }
      primary.awaitRequestCount(2, Duration.ofSeconds(10));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> edge.meters.get("bulwark_open_connections").gauge().value() >= n);
      primary.release();
      for (Future<HttpResponse<String>> f : futures) {
        HttpResponse<String> r = f.get();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("body v1");
      }
      assertThat(primary.requestCount("/cr")).isEqualTo(2);
    } finally {
      primary.release();
      pool.shutdownNow();
    }
  }

  @Test
  void staleWhileRevalidateServesStaleAndRefreshesOnceInTheBackground() throws Exception {
    validatingOrigin("/swr", "max-age=10, stale-while-revalidate=60");
    edge.get("/swr");
    edge.clock.advance(Duration.ofSeconds(15));
    version.set(2);
    primary.hold();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> stale = edge.get("/swr");
      assertThat(xCache(stale)).isEqualTo("StaleHit from bulwark");
      assertThat(stale.body()).isEqualTo("body v1");
      assertThat(stale.headers().firstValue("age")).hasValue("15");
    }
    primary.awaitRequestCount(2, Duration.ofSeconds(10));
    assertThat(primary.requestCount("/swr")).isEqualTo(2); // exactly one background refresh
    primary.release();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(edge.get("/swr").body()).isEqualTo("body v2"));
    assertThat(xCache(edge.get("/swr"))).isEqualTo("Hit from bulwark");
    assertThat(primary.requestCount("/swr")).isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(edge.log)
                    .anySatisfy(
                        l -> assertThat(l.detailedResultType()).isEqualTo("StaleWhileRevalidate")));
  }

  @Test
  void staleIfErrorServesStaleWhenTheOriginAnswers5xx() throws Exception {
    validatingOrigin("/sie", "max-age=10, stale-if-error=300");
    edge.get("/sie");
    edge.clock.advance(Duration.ofSeconds(20));
    primary.fault("/sie", Fault.status(500));
    HttpResponse<String> r = edge.get("/sie");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("body v1");
    assertThat(xCache(r)).isEqualTo("StaleHit from bulwark");
    await() // the log line is written once the response has gone out
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(edge.log)
                    .anySatisfy(l -> assertThat(l.detailedResultType()).isEqualTo("StaleIfError")));

    edge.clock.advance(Duration.ofSeconds(300)); // past the window: the error goes through
    assertThat(edge.get("/sie").statusCode()).isEqualTo(503);
  }

  @Test
  void staleIfErrorServesStaleWhenEveryOriginOfTheGroupIsDown() throws Exception {
    validatingOrigin("/down", "max-age=10, stale-if-error=300");
    edge.get("/down");
    edge.clock.advance(Duration.ofSeconds(20));
    primary.close();
    secondary.close();
    HttpResponse<String> r = edge.get("/down");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("body v1");
    assertThat(xCache(r)).isEqualTo("StaleHit from bulwark");
  }

  @Test
  void mustRevalidateIsNeverServedStale() throws Exception {
    validatingOrigin("/mr", "max-age=10, must-revalidate, stale-if-error=300");
    edge.get("/mr");
    edge.clock.advance(Duration.ofSeconds(20));
    primary.fault("/mr", Fault.status(500));
    HttpResponse<String> r = edge.get("/mr");
    assertThat(r.statusCode()).isEqualTo(503); // the group failed over to secondary's 503
    assertThat(xCache(r)).isNotEqualTo("StaleHit from bulwark");
  }
}
