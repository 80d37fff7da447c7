package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vary secondary keys (RFC 9111 4.1) and hop-by-hop fields (RFC 9110 7.6.1, RFC 9111 3.1) at the
 * edge. The origin request policy forwards every viewer header, so the origin can vary on any.
 */
class EdgeVaryTest {
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
            cache-policies:
              - id: p
                min-ttl: 0s
                default-ttl: 30s
                max-ttl: 60s
            distributions:
              - id: site
                hosts: [127.0.0.1, localhost]
                default-behavior:
                  target: o
                  cache-policy: p
                  origin-request-policy: AllViewerExceptHostHeader
            """
                .formatted(origin.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  @Test
  void variantsAreKeptApartByTheVaryingRequestField() throws Exception {
    origin.handle(
        "/lang",
        r ->
            Response.ok("hello in " + r.header("accept-language"))
                .header("Vary", "Accept-Language")
                .header("Cache-Control", "max-age=60"));
    assertThat(edge.get("/lang", "Accept-Language", "en").body()).isEqualTo("hello in en");
    assertThat(edge.get("/lang", "Accept-Language", "fr").body()).isEqualTo("hello in fr");
    HttpResponse<String> en = edge.get("/lang", "Accept-Language", "en");
    assertThat(en.body()).isEqualTo("hello in en");
    assertThat(xCache(en)).isEqualTo("Hit from bulwark");
    HttpResponse<String> fr = edge.get("/lang", "Accept-Language", "fr");
    assertThat(fr.body()).isEqualTo("hello in fr");
    assertThat(xCache(fr)).isEqualTo("Hit from bulwark");
    HttpResponse<String> none = edge.get("/lang");
    assertThat(none.body()).isEqualTo("hello in null");
    assertThat(xCache(none)).isEqualTo("Miss from bulwark");
    assertThat(origin.requestCount("/lang")).isEqualTo(3);
  }

  @Test
  void varyStarIsNeverServedFromCache() throws Exception {
    origin.handle(
        "/star", Response.ok("star").header("Vary", "*").header("Cache-Control", "max-age=60"));
    edge.get("/star");
    assertThat(xCache(edge.get("/star"))).isEqualTo("Miss from bulwark");
    assertThat(origin.requestCount("/star")).isEqualTo(2);
  }

  @Test
  void hopByHopAndConnectionNamedFieldsAreNeitherForwardedNorStored() throws Exception {
    origin.handle(
        "/hop",
        Response.ok("hop")
            .header("Connection", "X-Private-Hop")
            .header("X-Private-Hop", "secret")
            .header("Keep-Alive", "timeout=5")
            .header("X-End-To-End", "kept")
            .header("Cache-Control", "max-age=60"));
    HttpResponse<String> miss = edge.get("/hop");
    HttpResponse<String> hit = edge.get("/hop");
    assertThat(xCache(hit)).isEqualTo("Hit from bulwark");
    for (HttpResponse<String> r : java.util.List.of(miss, hit)) {
      assertThat(r.headers().firstValue("x-private-hop")).isEmpty();
      assertThat(r.headers().firstValue("keep-alive")).isEmpty();
      assertThat(r.headers().firstValue("x-end-to-end")).hasValue("kept");
    }
  }
}
