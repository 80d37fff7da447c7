package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Fault;
import io.bulwark.testing.Response;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Custom error responses (CloudFront's CustomErrorResponses) end to end: an error the distribution
 * lists is answered with a page fetched through the distribution itself (its own behavior, the
 * cache), with the configured status; the error itself is still cached, for the status's own
 * error-caching-min-ttl when it has one. Real origins on loopback ports; time from the fixture's
 * manual clock.
 */
class EdgeErrorPagesTest {
  static final String NOT_HERE = "<h1>Not here</h1>";
  static final String BACK_SOON = "<h1>Back soon</h1>";
  static final String UNREACHABLE = "<h1>Cannot reach the site</h1>";
  static final String HTML = "text/html; charset=utf-8";

  private FakeOrigin app;
  private FakeOrigin app2;
  private FakeOrigin pages;
  private FakeOrigin dead;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    app = FakeOrigin.start("app");
    app2 = FakeOrigin.start("app2");
    pages = FakeOrigin.start("pages");
    dead = FakeOrigin.start("dead");
    dead.fault(Fault.REFUSE);
    page("/errors/404.html", NOT_HERE);
    page("/errors/503.html", BACK_SOON);
    page("/errors/502.html", UNREACHABLE);
    page("/errors/403.html", "<h1>Forbidden</h1>");
    pages.handle("/errors/gone.html", Response.of(404, "pages has no such page"));
    app.handle("/missing", Response.of(404, "app 404"));
    app.handle("/slow-gateway", Response.of(504, "app 504 body"));
    app.handle("/bad", Response.of(400, "app 400 body"));
    app.handle("/boom", Response.of(500, "app 500 body"));
    edge =
        EdgeFixture.startWithWaf(
            """
            edge: {http: 127.0.0.1:0}
            logging: {access-log: "off"}
            origins:
              - {id: app, domain-name: 127.0.0.1, http-port: %d, protocol-policy: http-only}
              - {id: app2, domain-name: 127.0.0.1, http-port: %d, protocol-policy: http-only}
              - {id: pages, domain-name: 127.0.0.1, http-port: %d, protocol-policy: http-only}
              - id: dead
                domain-name: 127.0.0.1
                http-port: %d
                protocol-policy: http-only
                connection-attempts: 1
                connect-timeout: 1s
            origin-groups:
              - {id: og, members: [app, app2], failover-status-codes: [503]}
            cache-policies:
              - {id: p, min-ttl: 0s, default-ttl: 60s, max-ttl: 1d}
            web-acls:
              - name: acl
                default-action: allow
                rules:
                  - name: no-blocked
                    priority: 1
                    action: block
                    statement: {byte-match: {field: uri-path, positional-constraint: STARTS_WITH, search-string: /blocked, text-transformations: [NONE]}}
            distributions:
              - id: site
                hosts: [127.0.0.1]
                web-acl: acl
                default-behavior: {target: app, cache-policy: p}
                behaviors:
                  - {path: /errors/*, target: pages, cache-policy: CachingOptimized}
                  - path: /nocache/*
                    target: app
                    cache-policy: CachingDisabled
                    allowed-methods: [GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE]
                  - {path: /down/*, target: dead, cache-policy: p}
                  - {path: /group/*, target: og, cache-policy: CachingDisabled}
                custom-error-responses:
                  - {error-code: 404, response-page-path: /errors/404.html}
                  - error-code: 503
                    response-page-path: /errors/503.html
                    response-code: 200
                    error-caching-min-ttl: 30s
                  - {error-code: 502, response-page-path: /errors/502.html}
                  - {error-code: 504, response-page-path: /errors/gone.html}
                  - {error-code: 400, response-page-path: /down/400.html}
                  - {error-code: 403, response-page-path: /errors/403.html}
                  - {error-code: 405, error-caching-min-ttl: 0s}
            """
                .formatted(app.port(), app2.port(), pages.port(), dead.port()));
  }

  private void page(String path, String html) {
    pages.handle(
        path,
        Response.ok(html).setHeader("Content-Type", HTML).header("Cache-Control", "max-age=300"));
  }

  @AfterEach
  void stop() {
    edge.close();
    app.close();
    app2.close();
    pages.close();
    dead.close();
  }

  @Test
  void anOrigin404IsAnsweredWithThePageAndBothAreCached() throws Exception {
    HttpResponse<String> first = edge.get("/missing");
    assertThat(first.statusCode()).isEqualTo(404);
    assertThat(first.body()).isEqualTo(NOT_HERE);
    assertThat(first.headers().firstValue("content-type")).hasValue(HTML);
    assertThat(first.headers().firstValue("content-length")).hasValue("" + NOT_HERE.length());
    // The page's own freshness is the page's, not the failing URL's.
    assertThat(first.headers().firstValue("cache-control")).isEmpty();
    assertThat(xCache(first)).isEqualTo("Miss from bulwark");

    HttpResponse<String> second = edge.get("/missing");
    assertThat(second.statusCode()).isEqualTo(404);
    assertThat(second.body()).isEqualTo(NOT_HERE);
    assertThat(xCache(second)).isEqualTo("Hit from bulwark"); // the stored 404, replaced again
    assertThat(app.requestCount("/missing")).isEqualTo(1); // the policy's 10 s error caching
    assertThat(pages.requestCount("/errors/404.html")).isEqualTo(1); // the page is cached too

    // One access-log line per viewer request; the page requests make none.
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.log.size() >= 2);
    assertThat(edge.log).extracting(AccessLogRecord::uri).containsExactly("/missing", "/missing");
    assertThat(edge.log).extracting(AccessLogRecord::status).containsExactly(404, 404);
  }

  @Test
  void a503IsAnswered200WithThePageAndCachedForItsOwnMinimumTtl() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    app.handle("/flaky", r -> Response.of(503, "app 503 #" + calls.incrementAndGet()));
    for (int seconds : new int[] {0, 20, 9}) { // at 0 s, 20 s and 29 s
      edge.clock.advance(Duration.ofSeconds(seconds));
      HttpResponse<String> r = edge.get("/flaky");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(BACK_SOON);
    }
    // The policy's error caching TTL is 10 s; the 503's own 30 s kept the origin out of it.
    assertThat(app.requestCount("/flaky")).isEqualTo(1);
    edge.clock.advance(Duration.ofSeconds(2)); // 31 s
    assertThat(edge.get("/flaky").body()).isEqualTo(BACK_SOON);
    assertThat(app.requestCount("/flaky")).isEqualTo(2);
    assertThat(pages.requestCount("/errors/503.html")).isEqualTo(1);
  }

  @Test
  void aZeroErrorCachingMinTtlSendsEveryRequestToTheOrigin() throws Exception {
    // 405 is cacheable by default (RFC 9110 15.1): without the zero it would be kept for the
    // policy's error caching TTL.
    AtomicInteger calls = new AtomicInteger();
    app.handle("/nope", r -> Response.of(405, "app 405 #" + calls.incrementAndGet()));
    for (int i = 1; i <= 3; i++) {
      HttpResponse<String> r = edge.get("/nope");
      assertThat(r.statusCode()).isEqualTo(405);
      assertThat(r.body()).isEqualTo("app 405 #" + i); // no page: the origin's own error
    }
    assertThat(app.requestCount("/nope")).isEqualTo(3);
  }

  @Test
  void theLastMembersErrorAfterFailoverIsAnsweredWithThePage() throws Exception {
    app.fault(Fault.status(503));
    app2.fault(Fault.status(503));
    HttpResponse<String> r = edge.get("/group/item");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(BACK_SOON);
    assertThat(app.requestCount("/group/item")).isEqualTo(1);
    assertThat(app2.requestCount("/group/item")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.log.size() >= 1);
    assertThat(edge.log.get(0).failovers()).isEqualTo(1);
    assertThat(edge.log.get(0).origin()).isEqualTo("app2");
  }

  @Test
  void anUnreachableOriginsEdge502IsAnsweredWithThePage() throws Exception {
    HttpResponse<String> r = edge.get("/down/anything");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).isEqualTo(UNREACHABLE);
    assertThat(r.headers().firstValue("content-type")).hasValue(HTML);
    assertThat(xCache(r)).isEqualTo("Error from bulwark");
    await().atMost(Duration.ofSeconds(5)).until(() -> edge.log.size() >= 1);
    assertThat(edge.log.get(0).status()).isEqualTo(502);
    assertThat(edge.log.get(0).detailedResultType()).isEqualTo("OriginConnectError");
  }

  @Test
  void aPageThatIsItselfAnErrorLeavesTheOriginalErrorWithoutALoop() throws Exception {
    HttpResponse<String> r = edge.get("/slow-gateway");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).isEqualTo("app 504 body");
    assertThat(pages.requestCount("/errors/gone.html")).isEqualTo(1);
    // The page request's own 404 has a custom page too; it is not fetched for a page request.
    assertThat(pages.requestCount("/errors/404.html")).isZero();
  }

  @Test
  void aPageThatCannotBeReachedLeavesTheOriginalError() throws Exception {
    // The 400's page is under /down/*, whose origin refuses connections.
    HttpResponse<String> r = edge.get("/bad");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("app 400 body");
    assertThat(pages.requestCount("/errors/502.html")).isZero(); // the page's 502: no page either
  }

  @Test
  void headGetsThePagesHeadersWithoutItsBody() throws Exception {
    HttpResponse<String> r =
        edge.client.send(
            HttpRequest.newBuilder(edge.uri("/missing"))
                .timeout(Duration.ofSeconds(20))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("content-length")).hasValue("" + NOT_HERE.length());
    assertThat(r.headers().firstValue("content-type")).hasValue(HTML);
    assertThat(app.requests("/missing")).extracting(rr -> rr.method()).containsExactly("HEAD");
    assertThat(pages.requests("/errors/404.html"))
        .extracting(rr -> rr.method())
        .containsExactly("GET");
  }

  @Test
  void aPostsErrorIsReplacedToo() throws Exception {
    // CloudFront replaces an error with the custom page whatever the method.
    app.handle("/nocache/form", Response.of(404, "app 404 for a form"));
    HttpResponse<String> r = edge.send("POST", "/nocache/form", "a=1");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo(NOT_HERE);
    assertThat(app.requests("/nocache/form")).extracting(rr -> rr.method()).containsExactly("POST");
    assertThat(pages.requests("/errors/404.html"))
        .extracting(rr -> rr.method())
        .containsExactly("GET");
  }

  @Test
  void anErrorWithoutAnEntryIsSentAsItIs() throws Exception {
    HttpResponse<String> r = edge.get("/boom");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("app 500 body");
    assertThat(pages.requestCount()).isZero();
  }

  @Test
  void theEdgesOwn403sBeforeTheCacheAreNotReplaced() throws Exception {
    // A method the behavior does not allow.
    HttpResponse<String> method = edge.send("DELETE", "/anything", null);
    assertThat(method.statusCode()).isEqualTo(403);
    assertThat(method.body()).contains("does not allow the method");
    // A web ACL block.
    HttpResponse<String> blocked = edge.get("/blocked/page");
    assertThat(blocked.statusCode()).isEqualTo(403);
    assertThat(blocked.body()).doesNotContain("Forbidden</h1>");
    assertThat(pages.requestCount()).isZero();
    assertThat(app.requestCount()).isZero();
  }

  @Test
  void anErrorCutShortIsNotCachedAndStillGetsThePage() throws Exception {
    app.handle("/cut", Response.of(503, "x".repeat(2000)));
    app.fault("/cut", Fault.TRUNCATE);
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = edge.get("/cut");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(BACK_SOON);
    }
    assertThat(app.requestCount("/cut")).isEqualTo(2); // a broken body is never stored
  }
}
