package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Response;
import io.bulwark.waf.ChallengeService;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The web ACL at the edge: evaluated after routing, before behaviors, the cache and the origin. */
class EdgeWafTest {
  private FakeOrigin origin;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    origin = FakeOrigin.start("origin");
    origin.defaultResponder(r -> Response.ok("origin saw " + r.target()));
    edge =
        EdgeFixture.startWithWaf(
            """
            edge: {http: 127.0.0.1:0}
            logging: {access-log: "off"}
            origins:
              - {id: o, domain-name: 127.0.0.1, http-port: %d, protocol-policy: http-only}
            web-acls:
              - name: acl
                default-action: allow
                rules:
                  - {name: sqli, priority: 1, override-action: none, statement: {managed-rule-group: {name: sql-database}}}
                  - {name: core-count, priority: 2, override-action: count, statement: {managed-rule-group: {name: core-rule-set}}}
                  - name: teapot
                    priority: 3
                    action: {block: {custom-response: {response-code: 418, response-headers: [{name: X-Reason, value: tea}]}}}
                    statement: {byte-match: {field: uri-path, positional-constraint: STARTS_WITH, search-string: /tea, text-transformations: [NONE]}}
                  - name: prove-it
                    priority: 4
                    action: challenge
                    challenge-config: {immunity-time-property: {immunity-time: 7200}}
                    statement: {byte-match: {field: uri-path, positional-constraint: STARTS_WITH, search-string: /guarded, text-transformations: [NONE]}}
                  - name: login-rate
                    priority: 5
                    action: block
                    statement:
                      rate-based:
                        limit: 100
                        evaluation-window-sec: 60
                        aggregate-key-type: IP
                        scope-down-statement: {byte-match: {field: uri-path, positional-constraint: EXACTLY, search-string: /login, text-transformations: [NONE]}}
            distributions:
              - id: site
                hosts: [127.0.0.1]
                web-acl: acl
                default-behavior:
                  target: o
                  cache-policy: CachingDisabled
                  allowed-methods: [GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE]
            """
                .formatted(origin.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  @Test
  void injectionIsBlockedBeforeTheOriginAndOrdinaryPagesPass() throws Exception {
    HttpResponse<String> blocked = edge.get("/?id=1%27%20OR%20%271%27=%271");
    assertThat(blocked.statusCode()).isEqualTo(403);
    assertThat(blocked.headers().firstValue("x-cache")).hasValue("Error from bulwark");
    assertThat(origin.requestCount()).isZero();
    HttpResponse<String> ok = edge.get("/products?id=42", "User-Agent", "test/1");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(edge.get("/search?q=how+to+select+a+union+rep", "User-Agent", "t").statusCode())
        .isEqualTo(200);
  }

  @Test
  void theBodyIsInspected() throws Exception {
    HttpResponse<String> r = edge.send("POST", "/form", "user=admin&pass=x' OR '1'='1");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(origin.requestCount()).isZero();
  }

  private String raw(String request) throws Exception {
    try (java.net.Socket sock = new java.net.Socket("127.0.0.1", edge.server.httpPort())) {
      sock.setSoTimeout(10_000);
      sock.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(sock.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void countModeLetsTheRequestThroughAndCountsIt() throws Exception {
    // No User-Agent trips the core rule set's NoUserAgent_HEADER, which this ACL only counts.
    assertThat(raw("GET /no-agent HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ")
        .contains("origin saw /no-agent");
    // Header names are matched whatever their case: these have a User-Agent.
    for (String name : new String[] {"USER-AGENT", "user-agent", "User-Agent"}) {
      assertThat(
              raw(
                  "GET /agent HTTP/1.1\r\nHOST: 127.0.0.1\r\n"
                      + name
                      + ": probe/1\r\nConnection: close\r\n\r\n"))
          .startsWith("HTTP/1.1 200 ");
    }
    assertThat(
            edge.meters
                .get("bulwark_waf_requests")
                .tag("rule", "core-count/NoUserAgent_HEADER")
                .tag("action", "count")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            edge.services
                .wafSamples()
                .query(
                    "acl", "core-count/NoUserAgent_HEADER", edge.clock.instant().minusSeconds(60)))
        .singleElement()
        .satisfies(
            x ->
                assertThat(x.labels())
                    .contains("bulwark:managed:core-rule-set:NoUserAgent_HEADER"));
  }

  @Test
  void customBlockResponse() throws Exception {
    HttpResponse<String> r = edge.get("/teapot");
    assertThat(r.statusCode()).isEqualTo(418);
    assertThat(r.headers().firstValue("x-reason")).hasValue("tea");
    assertThat(
            edge.meters
                .get("bulwark_waf_requests")
                .tag("rule", "teapot")
                .tag("action", "block")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void challengeThenTokenPasses() throws Exception {
    HttpResponse<String> page = edge.get("/guarded/page");
    assertThat(page.statusCode()).isEqualTo(202);
    assertThat(origin.requestCount()).isZero();
    Matcher m = Pattern.compile("var PUZZLE = \"([^\"]+)\", BITS = (\\d+)").matcher(page.body());
    assertThat(m.find()).as(page.body()).isTrue();
    String puzzle = m.group(1);
    int bits = Integer.parseInt(m.group(2));
    int nonce = 0;
    while (!ChallengeService.solves(puzzle, Integer.toString(nonce), bits)) {
      nonce++;
    }
    HttpResponse<String> verified =
        edge.get(
            "/.bulwark/challenge?puzzle="
                + URLEncoder.encode(puzzle, StandardCharsets.UTF_8)
                + "&nonce="
                + nonce
                + "&return="
                + URLEncoder.encode("/guarded/page", StandardCharsets.UTF_8));
    assertThat(verified.statusCode()).isEqualTo(303);
    assertThat(verified.headers().firstValue("location")).hasValue("/guarded/page");
    String setCookie = verified.headers().firstValue("set-cookie").orElseThrow();
    // The cookie lives as long as the rule accepts the token (its 7200 s, not the default 300 s).
    assertThat(setCookie).contains("; Max-Age=7200").doesNotContain("Secure");
    String cookie = setCookie.split(";")[0];
    HttpResponse<String> through = edge.get("/guarded/page", "Cookie", cookie);
    assertThat(through.statusCode()).isEqualTo(200);
    assertThat(through.body()).isEqualTo("origin saw /guarded/page");
    edge.clock.advance(Duration.ofSeconds(7000));
    assertThat(edge.get("/guarded/page", "Cookie", cookie).statusCode()).isEqualTo(200);
    edge.clock.advance(Duration.ofSeconds(201));
    assertThat(edge.get("/guarded/page", "Cookie", cookie).statusCode()).isEqualTo(202);
    // A wrong nonce gets nothing.
    assertThat(edge.get("/.bulwark/challenge?puzzle=x&nonce=1").statusCode()).isEqualTo(403);
  }

  @Test
  void rateRuleCountsExactlyPerWindowWithTheEdgeClock() throws Exception {
    for (int i = 0; i < 100; i++) {
      assertThat(edge.get("/login").statusCode()).as("request %d", i + 1).isEqualTo(200);
    }
    assertThat(edge.get("/login").statusCode()).isEqualTo(403);
    assertThat(edge.get("/elsewhere").statusCode()).isEqualTo(200); // scope-down: only /login
    edge.clock.advance(Duration.ofSeconds(61));
    assertThat(edge.get("/login").statusCode()).isEqualTo(200);
  }

  @Test
  void sampledRequestsKeepTheDecisions() throws Exception {
    edge.get("/teapot");
    edge.get("/?id=1%27%20OR%20%271%27=%271");
    assertThat(edge.services.wafSamples().query("acl", null, edge.clock.instant().minusSeconds(60)))
        .extracting(WafSamples.Sample::rule)
        .contains("teapot", "sqli");
  }
}
