package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Range requests (RFC 9110 14) at the edge: max-object-bytes is 1 MiB in this fixture. */
class EdgeRangeTest {
  private static final String BODY = "0123456789abcdefghij";
  private FakeOrigin primary;
  private FakeOrigin secondary;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    primary = FakeOrigin.start("primary");
    secondary = FakeOrigin.start("secondary");
    primary.handle(
        "/obj",
        Response.ok(BODY)
            .header("ETag", "\"e1\"")
            .header("Last-Modified", "Wed, 31 Dec 2025 00:00:00 GMT")
            .header("Cache-Control", "max-age=60"));
    edge = EdgeFixture.start(EdgeFixture.twoOrigins(primary.port(), secondary.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    primary.close();
    secondary.close();
  }

  @Test
  void singleRangesAreServedFromTheCachedObject() throws Exception {
    edge.get("/obj");
    HttpResponse<String> r = edge.get("/obj", "Range", "bytes=2-5");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo("2345");
    assertThat(r.headers().firstValue("content-range")).hasValue("bytes 2-5/20");
    assertThat(r.headers().firstValue("etag")).hasValue("\"e1\"");
    assertThat(xCache(r)).isEqualTo("Hit from bulwark");

    HttpResponse<String> suffix = edge.get("/obj", "Range", "bytes=-3");
    assertThat(suffix.body()).isEqualTo("hij");

    HttpResponse<String> out = edge.get("/obj", "Range", "bytes=20-");
    assertThat(out.statusCode()).isEqualTo(416);
    assertThat(out.headers().firstValue("content-range")).hasValue("bytes */20");

    HttpResponse<String> several = edge.get("/obj", "Range", "bytes=0-1,4-5");
    assertThat(several.statusCode()).isEqualTo(200);
    assertThat(several.body()).isEqualTo(BODY);
    assertThat(primary.requestCount("/obj")).isEqualTo(1);
  }

  @Test
  void ifRangeServesTheRangeOnlyForTheSameRepresentation() throws Exception {
    edge.get("/obj");
    HttpResponse<String> same = edge.get("/obj", "Range", "bytes=0-0", "If-Range", "\"e1\"");
    assertThat(same.statusCode()).isEqualTo(206);
    assertThat(same.body()).isEqualTo("0");
    HttpResponse<String> changed = edge.get("/obj", "Range", "bytes=0-0", "If-Range", "\"e0\"");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo(BODY);
    HttpResponse<String> date =
        edge.get("/obj", "Range", "bytes=1-1", "If-Range", "Wed, 31 Dec 2025 00:00:00 GMT");
    assertThat(date.body()).isEqualTo("1");
  }

  @Test
  void aRangeMissFillsTheWholeObjectAndServesTheRange() throws Exception {
    HttpResponse<String> miss = edge.get("/obj", "Range", "bytes=10-12");
    assertThat(miss.statusCode()).isEqualTo(206);
    assertThat(miss.body()).isEqualTo("abc");
    assertThat(xCache(miss)).isEqualTo("Miss from bulwark");
    assertThat(primary.lastRequest().header("range")).isNull();
    HttpResponse<String> hit = edge.get("/obj");
    assertThat(xCache(hit)).isEqualTo("Hit from bulwark");
    assertThat(hit.body()).isEqualTo(BODY);
    assertThat(primary.requestCount("/obj")).isEqualTo(1);
  }

  @Test
  void aRangeOfAnObjectTooLargeToCacheIsPassedThrough() throws Exception {
    String big = "x".repeat(2 * 1024 * 1024);
    primary.handle(
        "/big",
        r ->
            r.header("range") == null
                ? Response.ok(big)
                : Response.of(206, "xxxx").header("Content-Range", "bytes 0-3/" + big.length()));
    HttpResponse<String> r = edge.get("/big", "Range", "bytes=0-3");
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.body()).isEqualTo("xxxx");
    assertThat(primary.lastRequest().header("range")).isEqualTo("bytes=0-3");
  }
}
