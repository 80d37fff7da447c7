package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invalidation after unsafe methods (RFC 9111 4.4), end to end. */
class EdgeUnsafeInvalidationTest {
  private FakeOrigin primary;
  private FakeOrigin secondary;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    primary = FakeOrigin.start("primary");
    secondary = FakeOrigin.start("secondary");
    primary.defaultResponder(r -> Response.ok("primary " + r.path()));
    edge = EdgeFixture.start(EdgeFixture.twoOrigins(primary.port(), secondary.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    primary.close();
    secondary.close();
  }

  private void cache(String path) throws Exception {
    edge.get(path);
    assertThat(xCache(edge.get(path))).isEqualTo("Hit from bulwark");
  }

  @Test
  void successfulUnsafeRequestsInvalidateTheTargetUri() throws Exception {
    for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
      // A fill that started at or before a purge is refused (the fill race): move on a second.
      edge.clock.advance(java.time.Duration.ofSeconds(1));
      cache("/item");
      cache("/item?v=2");
      assertThat(edge.send(method, "/item", "x").statusCode()).isEqualTo(200);
      assertThat(xCache(edge.get("/item"))).as(method).isEqualTo("Miss from bulwark");
      assertThat(xCache(edge.get("/item?v=2"))).as(method).isEqualTo("Miss from bulwark");
    }
  }

  @Test
  void locationAndContentLocationOnTheSameHostAreInvalidated() throws Exception {
    primary.handle(
        "/items",
        r ->
            "POST".equals(r.method())
                ? Response.of(201, "created")
                    .header("Location", "/items/7")
                    .header("Content-Location", "http://127.0.0.1/items/7/view")
                : Response.ok("list"));
    cache("/items/7");
    cache("/items/7/view");
    cache("/other");
    assertThat(edge.send("POST", "/items", "new").statusCode()).isEqualTo(201);
    assertThat(xCache(edge.get("/items/7"))).isEqualTo("Miss from bulwark");
    assertThat(xCache(edge.get("/items/7/view"))).isEqualTo("Miss from bulwark");
    assertThat(xCache(edge.get("/other"))).isEqualTo("Hit from bulwark");
  }

  @Test
  void locationOnAnotherHostIsLeftAlone() throws Exception {
    primary.handle(
        "/go",
        r ->
            "POST".equals(r.method())
                ? Response.of(303, "").header("Location", "http://elsewhere.example/kept")
                : Response.ok("go"));
    cache("/kept");
    edge.send("POST", "/go", "x");
    assertThat(xCache(edge.get("/kept"))).isEqualTo("Hit from bulwark");
  }

  @Test
  void errorResponsesDoNotInvalidate() throws Exception {
    primary.handle(
        "/e", r -> "POST".equals(r.method()) ? Response.of(403, "no") : Response.ok("e"));
    cache("/e");
    assertThat(edge.send("POST", "/e", "x").statusCode()).isEqualTo(403);
    assertThat(xCache(edge.get("/e"))).isEqualTo("Hit from bulwark");
  }
}
