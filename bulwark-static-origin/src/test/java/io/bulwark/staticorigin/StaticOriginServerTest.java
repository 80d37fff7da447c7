package io.bulwark.staticorigin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.testing.RawHttp;
import io.bulwark.testing.TempSite;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file-serving side, end to end over loopback TCP with the JDK client and raw sockets. */
class StaticOriginServerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Instant MODIFIED = Instant.parse("2025-06-01T12:00:00Z");
  private static final String SECRET = "top secret outside the root";

  private TempSite outer;
  private Path siteRoot;
  private StaticOriginServer server;
  private HttpClient client;
  private byte[] big;

  @BeforeEach
  void start() throws IOException {
    big = new byte[1 << 20];
    new Random(42).nextBytes(big);
    // The served root is a subfolder, so there is something outside it to try to escape to.
    outer =
        TempSite.create()
            .file("secret.txt", SECRET)
            .file("site/index.html", "<h1>home</h1>")
            .file("site/hello.txt", "hello, world")
            .file("site/docs/index.html", "<h1>docs</h1>")
            .file("site/app.js", "console.log(1)")
            .file("site/digits.txt", "0123456789")
            .file("site/empty.txt", "")
            .file("site/big.bin", big)
            .file("site/space name.txt", "spaced")
            .modified("site/hello.txt", MODIFIED)
            .symlink("site/escape.txt", Path.of("../secret.txt"))
            .symlink("site/escape-abs.txt", Path.of("/etc/hostname"))
            .symlink("site/alias.txt", Path.of("hello.txt"));
    siteRoot = outer.path("site");
    server = StaticOriginServer.start("primary", siteRoot, "127.0.0.1", 0, "index.html");
    client = HttpClient.newBuilder().connectTimeout(WAIT).build();
  }

  @AfterEach
  void stop() {
    server.close();
    outer.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(WAIT);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private RawHttp.Reply raw(String requestHead) throws IOException {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(requestHead);
      return raw.readResponse();
    }
  }

  @Test
  void servesAFileWithValidatorsAndNoCacheControl() throws Exception {
    HttpResponse<String> response = get("/hello.txt");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello, world");
    var headers = response.headers();
    assertThat(headers.firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    assertThat(headers.firstValue("content-length")).hasValue("12");
    assertThat(headers.firstValue("etag").orElseThrow()).matches("\"[0-9a-f-]+\"");
    assertThat(headers.firstValue("last-modified")).hasValue("Sun, 01 Jun 2025 12:00:00 GMT");
    assertThat(headers.firstValue("accept-ranges")).hasValue("bytes");
    assertThat(headers.firstValue("server")).hasValue("bulwark-static/primary");
    assertThat(headers.firstValue("date")).isPresent();
    assertThat(headers.firstValue("cache-control")).isEmpty();
    assertThat(get("/app.js").headers().firstValue("content-type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(get("/big.bin").headers().firstValue("content-type"))
        .hasValue("application/octet-stream");
  }

  @Test
  void servesALargeFileWholeAndARangeOfIt() throws Exception {
    HttpResponse<byte[]> whole =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/big.bin"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> part =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/big.bin"))
                .header("Range", "bytes=1000-500999")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(whole.body()).isEqualTo(big);
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("content-range")).hasValue("bytes 1000-500999/1048576");
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(big, 1000, 501000));
  }

  @Test
  void theEtagIsStableAndChangesWhenTheFileChanges() throws Exception {
    String first = get("/digits.txt").headers().firstValue("etag").orElseThrow();
    assertThat(get("/digits.txt").headers().firstValue("etag")).hasValue(first);

    Files.writeString(siteRoot.resolve("digits.txt"), "01234567890");

    assertThat(get("/digits.txt").headers().firstValue("etag").orElseThrow()).isNotEqualTo(first);
  }

  @Test
  void servesTheIndexDocumentAndRedirectsAFolderToItsSlash() throws Exception {
    assertThat(get("/").body()).isEqualTo("<h1>home</h1>");
    assertThat(get("/").headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(get("/docs/").body()).isEqualTo("<h1>docs</h1>");

    RawHttp.Reply redirect = raw("GET /docs?x=1 HTTP/1.1\r\nHost: o\r\n\r\n");
    assertThat(redirect.status()).isEqualTo(301);
    assertThat(redirect.header("Location")).isEqualTo("/docs/?x=1");
  }

  @Test
  void decodesPercentEncodedPaths() throws Exception {
    assertThat(get("/space%20name.txt").body()).isEqualTo("spaced");
    assertThat(get("/%68ello.txt").body()).isEqualTo("hello, world");
  }

  @Test
  void headSendsTheHeadersOnlyAndKeepsTheConnection() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("HEAD /hello.txt HTTP/1.1\r\nHost: o\r\n\r\n");
      String head = raw.readHead();
      assertThat(head).startsWith("HTTP/1.1 200 OK").contains("content-length: 12\r\n");

      raw.send("GET /digits.txt HTTP/1.1\r\nHost: o\r\n\r\n");
      assertThat(raw.readResponse().bodyText()).isEqualTo("0123456789");
    }
  }

  @Test
  void keepsConnectionsAliveAndClosesWhenAsked() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      for (int i = 0; i < 3; i++) {
        raw.send("GET /digits.txt HTTP/1.1\r\nHost: o\r\n\r\n");
        assertThat(raw.readResponse().bodyText()).isEqualTo("0123456789");
      }
      raw.send("GET /digits.txt HTTP/1.1\r\nHost: o\r\nConnection: close\r\n\r\n");
      RawHttp.Reply last = raw.readResponse();
      assertThat(last.header("Connection")).isEqualTo("close");
      assertThat(raw.readToEnd()).isEmpty();
    }
  }

  @Test
  void http10ClosesUnlessKeepAliveWasAskedFor() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("GET /digits.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      RawHttp.Reply kept = raw.readResponse();
      assertThat(kept.header("Connection")).isEqualToIgnoringCase("keep-alive");
      raw.send("GET /digits.txt HTTP/1.0\r\n\r\n");
      assertThat(raw.readResponse().bodyText()).isEqualTo("0123456789");
      assertThat(raw.readToEnd()).isEmpty();
    }
  }

  @Test
  void answersPipelinedRequestsInOrder() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(
          "GET /digits.txt HTTP/1.1\r\nHost: o\r\n\r\n"
              + "GET /hello.txt HTTP/1.1\r\nHost: o\r\n\r\n"
              + "GET /missing HTTP/1.1\r\nHost: o\r\n\r\n");
      assertThat(raw.readResponse().bodyText()).isEqualTo("0123456789");
      assertThat(raw.readResponse().bodyText()).isEqualTo("hello, world");
      assertThat(raw.readResponse().status()).isEqualTo(404);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
  void otherMethodsAre405WithAllow(String method) throws Exception {
    RawHttp.Reply reply =
        raw(method + " /hello.txt HTTP/1.1\r\nHost: o\r\nContent-Length: 0\r\n\r\n");

    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.header("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void missingFilesAre404() throws Exception {
    assertThat(get("/nope.html").statusCode()).isEqualTo(404);
    assertThat(get("/docs/nope/").statusCode()).isEqualTo(404);
    assertThat(get("/hello.txt/").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../secret.txt",
        "/docs/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/docs/..%2F..%2Fsecret.txt",
        "/..%5Csecret.txt",
        "/hello.txt%00.html",
        "/escape.txt",
        "/escape-abs.txt",
        "http://o/../secret.txt"
      })
  void neverServesAnythingOutsideTheRoot(String target) throws Exception {
    RawHttp.Reply reply = raw("GET " + target + " HTTP/1.1\r\nHost: o\r\n\r\n");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.bodyText()).doesNotContain(SECRET);
  }

  @Test
  void followsSymlinksThatStayInsideTheRoot() throws Exception {
    assertThat(get("/alias.txt").body()).isEqualTo("hello, world");
  }

  @Test
  void malformedTargetsAre400() throws Exception {
    assertThat(raw("GET /%zz HTTP/1.1\r\nHost: o\r\n\r\n").status()).isEqualTo(400);
    assertThat(raw("GET relative HTTP/1.1\r\nHost: o\r\n\r\n").status()).isEqualTo(400);
  }

  @Test
  void oversizedHeadersAre431AndCloseTheConnection() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send("GET /hello.txt HTTP/1.1\r\nHost: o\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");
      RawHttp.Reply reply = raw.readResponse();
      assertThat(reply.status()).isEqualTo(431);
      assertThat(raw.readToEnd()).isEmpty();
    }
    assertThat(get("/hello.txt").statusCode()).isEqualTo(200); // and it keeps serving others
  }

  @Test
  void overlongRequestLinesAre414() throws Exception {
    RawHttp.Reply reply = raw("GET /" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: o\r\n\r\n");

    assertThat(reply.status()).isEqualTo(414);
  }

  @Test
  void ifNoneMatchGives304ForAMatchingTagInAListOrWeakForm() throws Exception {
    String etag = get("/hello.txt").headers().firstValue("etag").orElseThrow();

    HttpResponse<String> exact = get("/hello.txt", "If-None-Match", etag);
    assertThat(exact.statusCode()).isEqualTo(304);
    assertThat(exact.body()).isEmpty();
    assertThat(exact.headers().firstValue("etag")).hasValue(etag);
    assertThat(get("/hello.txt", "If-None-Match", "\"other\", W/" + etag).statusCode())
        .isEqualTo(304);
    assertThat(get("/hello.txt", "If-None-Match", "*").statusCode()).isEqualTo(304);
    assertThat(get("/hello.txt", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
  }

  @Test
  void ifModifiedSinceGives304UnlessChangedAfter() throws Exception {
    assertThat(get("/hello.txt", "If-Modified-Since", "Sun, 01 Jun 2025 12:00:00 GMT").statusCode())
        .isEqualTo(304);
    assertThat(get("/hello.txt", "If-Modified-Since", "Sun, 01 Jun 2025 11:00:00 GMT").statusCode())
        .isEqualTo(200);
    // If-None-Match takes precedence: a non-matching tag means 200 even if not modified since.
    assertThat(
            get(
                    "/hello.txt",
                    "If-None-Match",
                    "\"other\"",
                    "If-Modified-Since",
                    "Sun, 01 Jun 2025 12:00:00 GMT")
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void ifMatchFailureIs412() throws Exception {
    assertThat(get("/hello.txt", "If-Match", "\"other\"").statusCode()).isEqualTo(412);
  }

  @Test
  void singleRangesAre206() throws Exception {
    HttpResponse<String> first = get("/digits.txt", "Range", "bytes=2-4");
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.body()).isEqualTo("234");
    assertThat(first.headers().firstValue("content-range")).hasValue("bytes 2-4/10");
    assertThat(first.headers().firstValue("content-length")).hasValue("3");

    assertThat(get("/digits.txt", "Range", "bytes=7-").body()).isEqualTo("789");
    assertThat(get("/digits.txt", "Range", "bytes=-2").body()).isEqualTo("89");
    assertThat(get("/digits.txt", "Range", "bytes=8-100").body()).isEqualTo("89");
  }

  @Test
  void unsatisfiableRangesAre416WithTheLength() throws Exception {
    HttpResponse<String> response = get("/digits.txt", "Range", "bytes=10-");

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("content-range")).hasValue("bytes */10");
    assertThat(get("/empty.txt", "Range", "bytes=0-").statusCode()).isEqualTo(416);
  }

  @Test
  void multipleOrInvalidRangesGetTheWholeFile() throws Exception {
    HttpResponse<String> multiple = get("/digits.txt", "Range", "bytes=0-1,4-5");
    assertThat(multiple.statusCode()).isEqualTo(200);
    assertThat(multiple.body()).isEqualTo("0123456789");
    assertThat(multiple.headers().firstValue("content-range")).isEmpty();
    assertThat(get("/digits.txt", "Range", "bytes=5-2").statusCode()).isEqualTo(200);
  }

  @Test
  void ifRangeHonoursTheRangeOnlyForTheCurrentVersion() throws Exception {
    String etag = get("/hello.txt").headers().firstValue("etag").orElseThrow();

    assertThat(get("/hello.txt", "Range", "bytes=0-4", "If-Range", etag).statusCode())
        .isEqualTo(206);
    assertThat(get("/hello.txt", "Range", "bytes=0-4", "If-Range", "\"old\"").statusCode())
        .isEqualTo(200);
    assertThat(
            get("/hello.txt", "Range", "bytes=0-4", "If-Range", "Sun, 01 Jun 2025 12:00:00 GMT")
                .statusCode())
        .isEqualTo(206);
    HttpResponse<String> stale =
        get("/hello.txt", "Range", "bytes=0-4", "If-Range", "Sat, 31 May 2025 12:00:00 GMT");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("hello, world");
  }

  @Test
  void emptyFilesAreServed() throws Exception {
    HttpResponse<String> response = get("/empty.txt");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("content-length")).hasValue("0");
  }

  @Test
  void describesWhatItServes() {
    assertThat(server.id()).isEqualTo("primary");
    assertThat(server.port()).isPositive();
    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(server.indexDocument()).isEqualTo("index.html");
    assertThat(server.fault()).isEqualTo(Fault.NONE);
    assertThat(server.root()).isEqualTo(siteRoot);
  }

  @Test
  void refusesABadRootOrIndexDocumentOrABusyPort() {
    assertThatThrownBy(
            () ->
                StaticOriginServer.start("x", outer.path("missing"), "127.0.0.1", 0, "index.html"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a folder");
    assertThatThrownBy(
            () -> StaticOriginServer.start("x", siteRoot, "127.0.0.1", 0, "a/index.html"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> StaticOriginServer.start("x", siteRoot, "127.0.0.1", server.port(), "index.html"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot bind 127.0.0.1:" + server.port());
  }
}
