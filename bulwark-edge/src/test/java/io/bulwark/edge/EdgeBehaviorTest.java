package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Behaviors, cache keys, origin settings and viewer policies, end to end. */
class EdgeBehaviorTest {
  private FakeOrigin origin;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    origin = FakeOrigin.start("origin");
    origin.defaultResponder(r -> Response.ok("path=" + r.target()));
    edge =
        EdgeFixture.start(
            """
            edge:
              http: 127.0.0.1:0
            logging:
              access-log: off
            cache:
              max-bytes: 64MiB
              max-object-bytes: 1MiB
            origins:
              - id: o
                domain-name: 127.0.0.1
                http-port: %d
                protocol-policy: http-only
                origin-path: /v1
                response-timeout: 5s
            cache-policies:
              - id: by-page
                default-ttl: 60s
                max-ttl: 1d
                query-strings: {behavior: whitelist, items: [page]}
                cookies: {behavior: whitelist, items: [theme]}
                headers: {behavior: whitelist, items: [X-Variant]}
            origin-request-policies:
              - id: forward-utm
                query-strings: {behavior: all}
                headers: {behavior: whitelist, items: [User-Agent]}
            distributions:
              - id: site
                hosts: [127.0.0.1]
                default-behavior:
                  target: o
                  cache-policy: by-page
                  origin-request-policy: forward-utm
                behaviors:
                  - path: /secure/*
                    target: o
                    cache-policy: CachingDisabled
                    viewer-protocol-policy: https-only
                  - path: /moved/*
                    target: o
                    cache-policy: CachingDisabled
                    viewer-protocol-policy: redirect-to-https
                  - path: /exact?.txt
                    target: o
                    cache-policy: CachingDisabled
                    allowed-methods: [GET, HEAD, OPTIONS]
            """
                .formatted(origin.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  @Test
  void onlyWhitelistedQueryStringsAreInTheKeyButTheOriginRequestPolicyForwardsAll()
      throws Exception {
    HttpResponse<String> a = edge.get("/list?page=1&utm_source=a");
    HttpResponse<String> b = edge.get("/list?utm_source=b&page=1");
    assertThat(xCache(a)).isEqualTo("Miss from bulwark");
    assertThat(a.body()).isEqualTo("path=/v1/list?page=1&utm_source=a");
    // Order differs and utm differs: the key only holds page=1... in the viewer's order.
    assertThat(xCache(edge.get("/list?page=1&utm_source=zzz"))).isEqualTo("Hit from bulwark");
    assertThat(xCache(edge.get("/list?page=2"))).isEqualTo("Miss from bulwark");
    assertThat(b.statusCode()).isEqualTo(200);
  }

  @Test
  void whitelistedCookiesAndHeadersSplitTheCache() throws Exception {
    assertThat(xCache(edge.get("/c", "Cookie", "theme=dark; session=1")))
        .isEqualTo("Miss from bulwark");
    assertThat(xCache(edge.get("/c", "Cookie", "theme=dark; session=2")))
        .isEqualTo("Hit from bulwark");
    assertThat(xCache(edge.get("/c", "Cookie", "theme=light"))).isEqualTo("Miss from bulwark");
    assertThat(origin.lastRequest().header("Cookie")).isEqualTo("theme=light");
    assertThat(xCache(edge.get("/h", "X-Variant", "a"))).isEqualTo("Miss from bulwark");
    assertThat(xCache(edge.get("/h", "X-Variant", "b"))).isEqualTo("Miss from bulwark");
    assertThat(xCache(edge.get("/h", "X-Variant", "a"))).isEqualTo("Hit from bulwark");
  }

  @Test
  void originPathPrefixAndForwardedHeaders() throws Exception {
    edge.get("/p?x=1", "User-Agent", "probe/1", "X-Not-Forwarded", "nope");
    var seen = origin.lastRequest();
    assertThat(seen.target()).isEqualTo("/v1/p?x=1");
    assertThat(seen.header("User-Agent")).isEqualTo("probe/1");
    assertThat(seen.header("X-Not-Forwarded")).isNull();
    assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + origin.port());
    assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(seen.header("Via")).isEqualTo("1.1 bulwark");
  }

  @Test
  void originConnectionsAreKeptAlive() throws Exception {
    for (int i = 0; i < 5; i++) {
      edge.get("/ka-" + i);
    }
    assertThat(origin.requestCount()).isEqualTo(5);
    assertThat(origin.connectionCount()).isEqualTo(1);
  }

  @Test
  void objectsAboveTheSizeLimitStreamThroughUncached() throws Exception {
    String big = "z".repeat(2 * 1024 * 1024);
    origin.handle("/v1/big", Response.ok(big));
    HttpResponse<String> first = edge.get("/big");
    assertThat(first.body()).hasSize(big.length());
    HttpResponse<String> second = edge.get("/big");
    assertThat(xCache(second)).isEqualTo("Miss from bulwark");
    assertThat(second.body()).isEqualTo(big);
    assertThat(origin.requestCount("/v1/big")).isEqualTo(2);
  }

  @Test
  void chunkedOriginBodiesAreCachedWhole() throws Exception {
    String body = "chunk-".repeat(5000);
    origin.handle("/v1/chunked", Response.ok(body).chunked(1000));
    assertThat(edge.get("/chunked").body()).isEqualTo(body);
    HttpResponse<String> hit = edge.get("/chunked");
    assertThat(xCache(hit)).isEqualTo("Hit from bulwark");
    assertThat(hit.body()).isEqualTo(body);
    assertThat(hit.headers().firstValue("content-length"))
        .hasValue(Integer.toString(body.length()));
  }

  @Test
  void viewerProtocolPolicies() throws Exception {
    HttpResponse<String> forbidden = edge.get("/secure/x");
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(origin.requestCount()).isZero();
    HttpResponse<String> moved = edge.get("/moved/x?q=1");
    assertThat(moved.statusCode()).isEqualTo(301);
    // No HTTPS listener in this edge: the redirect names the default port.
    assertThat(moved.headers().firstValue("location")).hasValue("https://127.0.0.1/moved/x?q=1");
    assertThat(xCache(moved)).isEqualTo("Redirect from bulwark");
  }

  @Test
  void allowedMethodsAndPathPatternWildcards() throws Exception {
    assertThat(edge.get("/exact1.txt").statusCode()).isEqualTo(200);
    assertThat(edge.send("OPTIONS", "/exact1.txt", null).statusCode()).isEqualTo(200);
    assertThat(edge.send("POST", "/exact1.txt", "x").statusCode()).isEqualTo(403);
    assertThat(edge.send("DELETE", "/anything", null).statusCode()).isEqualTo(403);
    // '?' is exactly one character: /exact12.txt falls to the default behavior, which caches.
    edge.get("/exact12.txt");
    assertThat(xCache(edge.get("/exact12.txt"))).isEqualTo("Hit from bulwark");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", edge.server.httpPort())) {
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder();
      for (int i = 1; i <= 3; i++) {
        req.append("GET /pipe").append(i).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      }
      s.getOutputStream()
          .write(req.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      java.io.InputStream in = s.getInputStream();
      StringBuilder got = new StringBuilder();
      byte[] b = new byte[8192];
      while (!got.toString().contains("path=/v1/pipe3")) {
        int n = in.read(b);
        if (n < 0) {
          break;
        }
        got.append(new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
      String all = got.toString();
      assertThat(all.indexOf("path=/v1/pipe1")).isLessThan(all.indexOf("path=/v1/pipe2"));
      assertThat(all.indexOf("path=/v1/pipe2")).isLessThan(all.indexOf("path=/v1/pipe3"));
      assertThat(all.indexOf("path=/v1/pipe1")).isPositive();
    }
  }
}
