package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.RawHttp;
import io.bulwark.testing.RecordedRequest;
import io.bulwark.testing.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code forward-labels}: the origin receives the labels of an allowed or counted request in one
 * header the edge owns; a viewer's copy never reaches it; without the setting nothing is added.
 *
 * <p>Three distributions on one edge, told apart by Host: {@code all.test} forwards every label,
 * {@code some.test} only the ACL's own namespace, {@code plain.test} has a web ACL without {@code
 * forward-labels}. Every behavior forwards all viewer headers (AllViewer), so a spoofed header
 * would reach the origin if the edge did not remove it.
 */
class EdgeWafLabelsTest {
  private static final String HEADER = "X-Bulwark-Waf-Labels";
  private FakeOrigin origin;
  private EdgeFixture edge;

  private static String acl(String name, String forwardLabels) {
    return """
          - name: %s
            default-action: allow
            %s
            rules:
              - name: flag
                priority: 0
                action: count
                rule-labels: ["suspect:scanner"]
                statement: {byte-match: {field: {single-header: user-agent}, positional-constraint: CONTAINS, search-string: sqlmap, text-transformations: [LOWERCASE]}}
              - {name: crs, priority: 1, override-action: count, statement: {managed-rule-group: {name: core-rule-set}}}
              - name: teapot
                priority: 2
                action: block
                statement: {byte-match: {field: uri-path, positional-constraint: STARTS_WITH, search-string: /tea, text-transformations: [NONE]}}
        """
        .formatted(name, forwardLabels);
  }

  private static String distribution(String id, String acl) {
    return """
          - id: %s
            hosts: [%s.test]
            web-acl: %s
            default-behavior:
              target: o
              cache-policy: CachingDisabled
              origin-request-policy: AllViewer
        """
        .formatted(id, id, acl);
  }

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
            %s%s%sdistributions:
            %s%s%s"""
                .formatted(
                    origin.port(),
                    acl("all", "forward-labels: {header: " + HEADER + "}"),
                    acl("some", "forward-labels: {namespaces: [\"bulwark:some:\"]}"),
                    acl("plain", ""),
                    distribution("all", "all"),
                    distribution("some", "some"),
                    distribution("plain", "plain")));
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  /** Sends one request with exactly these header lines and returns what the origin received. */
  private RecordedRequest through(String host, String path, String... headerLines)
      throws Exception {
    StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    for (String h : headerLines) {
      req.append(h).append("\r\n");
    }
    req.append("Connection: close\r\n\r\n");
    origin.clearRequests();
    try (RawHttp http = new RawHttp(edge.server.httpPort())) {
      RawHttp.Reply reply = http.send(req.toString()).readResponse();
      assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }
    assertThat(origin.requests()).hasSize(1);
    return origin.lastRequest();
  }

  @Test
  void theOriginReceivesTheLabelsOfCountedRulesInTheOrderAdded() throws Exception {
    // No User-Agent: the core rule set's NoUserAgent_HEADER matches, counted by the override.
    RecordedRequest r = through("all.test", "/page");
    assertThat(r.headers().all(HEADER))
        .containsExactly("bulwark:managed:core-rule-set:NoUserAgent_HEADER");

    r = through("all.test", "/page", "User-Agent: sqlmap/1.7");
    assertThat(r.headers().all(HEADER))
        .containsExactly(
            "bulwark:all:suspect:scanner, bulwark:managed:core-rule-set:"
                + "UserAgent_BadBots_HEADER");
  }

  @Test
  void namespacesChooseWhichLabelsAreForwarded() throws Exception {
    RecordedRequest r = through("some.test", "/page", "User-Agent: sqlmap/1.7");
    assertThat(r.headers().all("x-bulwark-waf-labels"))
        .containsExactly("bulwark:some:suspect:scanner");
    // Labels outside the namespaces only: no header at all.
    assertThat(through("some.test", "/page").header("x-bulwark-waf-labels")).isNull();
  }

  @Test
  void aLabelHeaderSentByTheViewerNeverReachesTheOrigin() throws Exception {
    // An ordinary request: no label, so no header, and the viewer's is gone.
    RecordedRequest r =
        through(
            "all.test",
            "/page",
            "User-Agent: Mozilla/5.0",
            HEADER + ": bulwark:all:trusted-partner",
            HEADER.toLowerCase(java.util.Locale.ROOT) + ": second-copy");
    assertThat(r.headers().all(HEADER)).isEmpty();
    assertThat(r.header("user-agent")).isEqualTo("Mozilla/5.0"); // AllViewer forwards the rest

    // With labels: only the edge's value, not the viewer's beside it.
    r = through("all.test", "/page", "User-Agent: sqlmap", HEADER + ": bulwark:all:trusted");
    assertThat(r.headers().all(HEADER))
        .singleElement()
        .asString()
        .startsWith("bulwark:all:suspect");

    // The default header name is stripped in the same way.
    r = through("some.test", "/page", "User-Agent: Mozilla/5.0", "X-Bulwark-Waf-Labels: forged");
    assertThat(r.header("x-bulwark-waf-labels")).isNull();
  }

  @Test
  void withoutForwardLabelsNothingIsAddedOrRemoved() throws Exception {
    RecordedRequest r = through("plain.test", "/page", "User-Agent: sqlmap/1.7");
    assertThat(r.header(HEADER)).isNull();
    assertThat(r.headers().all("x-bulwark-waf-labels")).isEmpty();
    // The edge does not own the name here, so a viewer's header passes as any other (AllViewer).
    r = through("plain.test", "/page", "User-Agent: Mozilla/5.0", HEADER + ": viewer-value");
    assertThat(r.header(HEADER)).isEqualTo("viewer-value");
  }

  @Test
  void aBlockedRequestSendsNothingToTheOrigin() throws Exception {
    origin.clearRequests();
    try (RawHttp http = new RawHttp(edge.server.httpPort())) {
      RawHttp.Reply reply =
          http.send("GET /teapot HTTP/1.1\r\nHost: all.test\r\nConnection: close\r\n\r\n")
              .readResponse();
      assertThat(reply.status()).isEqualTo(403);
    }
    assertThat(origin.requestCount()).isZero();
  }
}
