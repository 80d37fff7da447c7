package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.RawHttp;
import io.bulwark.testing.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An origin that sends more bytes than its Content-Length declares must not poison the pooled
 * connection for the next request (RFC 9112 6.3: the declared length ends the message). One viewer
 * connection, so both requests run on one event loop and would share the pooled origin connection.
 */
class EdgeStrayOriginBytesTest {
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
                response-timeout: 2s
                keepalive-timeout: 60s
            distributions:
              - id: site
                hosts: [127.0.0.1, localhost]
                default-behavior:
                  target: o
                  cache-policy: CachingDisabled
            """
                .formatted(origin.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  @Test
  void bytesAfterTheDeclaredBodyDoNotBecomeTheNextResponse() throws Exception {
    // Content-Length says 5; 12 bytes follow. The 7 extra ones answer no request.
    origin.handle("/lies", Response.ok("helloXYZ-abc").setHeader("Content-Length", "5"));
    origin.handle("/next", Response.ok("next"));
    try (RawHttp viewer = new RawHttp(edge.server.httpPort())) {
      viewer.send(get("/lies"));
      assertThat(viewer.readResponse().bodyText()).isEqualTo("hello");
      viewer.send(get("/next"));
      RawHttp.Reply next = viewer.readResponse();
      // Before: the stray bytes and the next response were read as one malformed response (502).
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.bodyText()).isEqualTo("next");
    }
    assertThat(origin.requestCount("/next")).isEqualTo(1);
  }

  @Test
  void aBodyAfterAResponseToHeadIsNotTheNextResponse() throws Exception {
    origin.handle("/head", Response.ok("body"));
    origin.handle("/next", Response.ok("next"));
    try (RawHttp viewer = new RawHttp(edge.server.httpPort())) {
      viewer.send("HEAD /head HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(viewer.readHead()).startsWith("HTTP/1.1 200");
      viewer.send(get("/next"));
      assertThat(viewer.readResponse().bodyText()).isEqualTo("next");
    }
  }
}
