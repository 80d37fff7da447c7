package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.RawHttp;
import io.bulwark.testing.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interim 1xx responses from the origin (RFC 9110 15.2): forwarded to an HTTP/1.1 viewer ahead of
 * the final response, never stored, never taken for the final response. Raw sockets, because an
 * HTTP client library hides interim responses.
 */
class EdgeInterimResponseTest {
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
                response-timeout: 2s
            cache-policies:
              - id: p
                min-ttl: 0s
                default-ttl: 0s
                max-ttl: 1d
            distributions:
              - id: site
                hosts: [127.0.0.1, localhost]
                default-behavior:
                  target: o
                  cache-policy: p
            """
                .formatted(origin.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  private static String get(String path, String version) {
    return "GET " + path + " " + version + "\r\nHost: 127.0.0.1\r\n\r\n";
  }

  @Test
  void earlyHintsReachTheViewerAndTheFinalResponseIsCached() throws Exception {
    origin.handle(
        "/page",
        Response.ok("final")
            .header("Cache-Control", "max-age=600")
            .interim(103, "Link", "</style.css>; rel=preload; as=style", "X-Hint", "only-here"));
    try (RawHttp viewer = new RawHttp(edge.server.httpPort())) {
      viewer.send(get("/page", "HTTP/1.1"));
      RawHttp.Reply hints = viewer.readResponse();
      assertThat(hints.status()).isEqualTo(103);
      assertThat(hints.header("Link")).isEqualTo("</style.css>; rel=preload; as=style");
      RawHttp.Reply last = viewer.readResponse();
      assertThat(last.status()).isEqualTo(200);
      assertThat(last.bodyText()).isEqualTo("final");
      // RFC 9110 15.2: an interim response's fields are not the final response's.
      assertThat(last.has("X-Hint")).isFalse();

      // The same connection goes on (the interim response did not end the exchange), and the
      // hit is the stored final response, without the hints.
      viewer.send(get("/page", "HTTP/1.1"));
      RawHttp.Reply hit = viewer.readResponse();
      assertThat(hit.status()).isEqualTo(200);
      assertThat(hit.header("X-Cache")).isEqualTo("Hit from bulwark");
      assertThat(hit.has("X-Hint")).isFalse();
    }
    assertThat(origin.requestCount("/page")).isEqualTo(1);
  }

  @Test
  void theOriginConnectionIsNotReturnedBeforeTheFinalResponse() throws Exception {
    // Taking a 102 for the final response pooled the connection with the 200 still to come: the
    // viewer hung, and the next request on that connection read the stray response.
    origin.handle("/slow", Response.ok("slow done").interim(102));
    origin.handle("/next", Response.ok("next"));
    try (RawHttp viewer = new RawHttp(edge.server.httpPort())) {
      viewer.send(get("/slow", "HTTP/1.1"));
      assertThat(viewer.readResponse().status()).isEqualTo(102);
      assertThat(viewer.readResponse().bodyText()).isEqualTo("slow done");
      viewer.send(get("/next", "HTTP/1.1"));
      assertThat(viewer.readResponse().bodyText()).isEqualTo("next");
    }
  }

  @Test
  void anHttp10ViewerAndA100ContinueGetNoInterimResponse() throws Exception {
    origin.handle("/hinted", Response.ok("h").interim(103, "Link", "</a.js>; rel=preload"));
    origin.handle("/continue", Response.ok("c").interim(100));
    try (RawHttp viewer = new RawHttp(edge.server.httpPort())) {
      // RFC 9110 15.2: a server must not send a 1xx response to an HTTP/1.0 client.
      viewer.send(get("/hinted", "HTTP/1.0"));
      RawHttp.Reply r = viewer.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("h");
    }
    try (RawHttp viewer = new RawHttp(edge.server.httpPort())) {
      // A 100 Continue answers the edge's own request, which it sent with its body whole.
      viewer.send(get("/continue", "HTTP/1.1"));
      RawHttp.Reply r = viewer.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("c");
    }
  }
}
