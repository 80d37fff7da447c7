package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import com.aayushatharva.brotli4j.decoder.Decoder;
import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Response;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Compression at the edge: gzip and br variants cached by encoding, weak ETag, Vary. */
class EdgeCompressionTest {
  private static final String PAGE = "<p>hello compressible world</p>\n".repeat(200); // 6.4 KB
  private FakeOrigin primary;
  private FakeOrigin secondary;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    primary = FakeOrigin.start("primary");
    secondary = FakeOrigin.start("secondary");
    primary.handle(
        "/page.html",
        Response.ok(PAGE)
            .setHeader("Content-Type", "text/html; charset=utf-8")
            .header("ETag", "\"p1\"")
            .header("Cache-Control", "max-age=60"));
    primary.handle("/tiny.html", Response.ok("tiny").setHeader("Content-Type", "text/html"));
    primary.handle(
        "/photo.jpg", Response.ok("j".repeat(5000)).setHeader("Content-Type", "image/jpeg"));
    primary.handle(
        "/nt.html",
        Response.ok(PAGE)
            .setHeader("Content-Type", "text/html")
            .header("Cache-Control", "max-age=60, no-transform"));
    edge = EdgeFixture.start(EdgeFixture.twoOrigins(primary.port(), secondary.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    primary.close();
    secondary.close();
  }

  private HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(edge.uri(path))
            .timeout(Duration.ofSeconds(20))
            .header("Accept-Encoding", acceptEncoding)
            .build();
    return edge.client.send(r, HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void gzipVariantIsStoredAndServedWithWeakEtagAndVary() throws Exception {
    HttpResponse<byte[]> miss = get("/page.html", "gzip");
    assertThat(new String(miss.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
    assertThat(miss.headers().firstValue("vary")).hasValue("Accept-Encoding");

    HttpResponse<byte[]> hit = get("/page.html", "gzip, deflate");
    assertThat(xCache(hit)).isEqualTo("Hit from bulwark");
    assertThat(hit.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(hit.headers().firstValue("etag")).hasValue("W/\"p1\"");
    assertThat(hit.headers().firstValue("vary")).hasValue("Accept-Encoding");
    assertThat(hit.body().length).isLessThan(PAGE.length() / 4);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(hit.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
    }
    assertThat(hit.headers().firstValue("content-length"))
        .hasValue(String.valueOf(hit.body().length));
  }

  @Test
  void brotliVariantIsKeptApartFromGzipAndIdentity() throws Exception {
    get("/page.html", "br");
    HttpResponse<byte[]> br = get("/page.html", "gzip, br");
    assertThat(br.headers().firstValue("content-encoding")).hasValue("br");
    assertThat(
            new String(Decoder.decompress(br.body()).getDecompressedData(), StandardCharsets.UTF_8))
        .isEqualTo(PAGE);

    get("/page.html", "identity");
    HttpResponse<byte[]> plain = get("/page.html", "identity");
    assertThat(xCache(plain)).isEqualTo("Hit from bulwark");
    assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
    assertThat(new String(plain.body(), StandardCharsets.UTF_8)).isEqualTo(PAGE);
    assertThat(primary.requestCount("/page.html")).isEqualTo(2); // br and identity fills
  }

  @Test
  void smallIncompressibleAndNoTransformResponsesAreLeftAlone() throws Exception {
    for (String path : new String[] {"/tiny.html", "/photo.jpg", "/nt.html"}) {
      get(path, "gzip");
      HttpResponse<byte[]> hit = get(path, "gzip");
      assertThat(xCache(hit)).as(path).isEqualTo("Hit from bulwark");
      assertThat(hit.headers().firstValue("content-encoding")).as(path).isEmpty();
    }
  }
}
