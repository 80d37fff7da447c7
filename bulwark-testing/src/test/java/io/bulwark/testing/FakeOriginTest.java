package io.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOriginTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private FakeOrigin origin;
  private HttpClient client;

  @BeforeEach
  void start() {
    origin = FakeOrigin.start("primary");
    client = HttpClient.newBuilder().connectTimeout(WAIT).build();
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(origin.uri(path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersScriptedResponseAndRecordsTheRequest() throws Exception {
    origin.handle("/a", Response.ok("hello").header("Cache-Control", "max-age=60"));

    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(origin.uri("/a?x=1"))
                .header("X-Test", "one")
                .header("x-test", "two")
                .POST(HttpRequest.BodyPublishers.ofString("payload"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello");
    assertThat(response.headers().firstValue("cache-control")).hasValue("max-age=60");
    RecordedRequest request = origin.lastRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.target()).isEqualTo("/a?x=1");
    assertThat(request.path()).isEqualTo("/a");
    assertThat(request.query()).isEqualTo("x=1");
    assertThat(request.headers().all("X-TEST")).containsExactly("one", "two");
    assertThat(request.header("content-length")).isEqualTo("7");
    assertThat(request.bodyText()).isEqualTo("payload");
    assertThat(origin.requestCount()).isEqualTo(1);
    assertThat(origin.requestCount("/a")).isEqualTo(1);
  }

  @Test
  void defaultResponderNamesTheOriginAndAnExactTargetWinsOverThePath() throws Exception {
    origin.handle("/p", Response.ok("path")).handle("/p?v=2", Response.ok("target"));

    assertThat(get("/nothing-scripted").body()).isEqualTo("primary GET /nothing-scripted");
    assertThat(get("/p?v=1").body()).isEqualTo("path");
    assertThat(get("/p?v=2").body()).isEqualTo("target");
  }

  @Test
  void responderFailureIsA500() throws Exception {
    origin.handle(
        "/boom",
        request -> {
          throw new IllegalStateException("scripted failure");
        });

    HttpResponse<String> response = get("/boom");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("scripted failure");
  }

  @Test
  void keepsConnectionsAliveAcrossRequests() throws Exception {
    get("/1");
    get("/2");
    get("/3");

    assertThat(origin.connectionCount()).isEqualTo(1);
    assertThat(origin.requests()).extracting(RecordedRequest::connectionId).containsOnly(1);
  }

  @Test
  void readsContentLengthAndChunkedBodiesOnOneConnection() throws Exception {
    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("POST /cl HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(raw.readResponse().status()).isEqualTo(200);
      raw.send(
          "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nTrailer: t\r\n\r\n");
      assertThat(raw.readResponse().status()).isEqualTo(200);
    }

    List<RecordedRequest> requests = origin.awaitRequestCount(2, WAIT);
    assertThat(requests.get(0).bodyText()).isEqualTo("hello");
    assertThat(requests.get(1).bodyText()).isEqualTo("abcdefg");
    assertThat(requests.get(1).connectionId()).isEqualTo(requests.get(0).connectionId());
  }

  @Test
  void answersExpectContinueBeforeReadingTheBody() throws Exception {
    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("PUT /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
      assertThat(raw.readHead()).startsWith("HTTP/1.1 100 Continue");
      raw.send("ok");
      assertThat(raw.readResponse().status()).isEqualTo(200);
    }
    assertThat(origin.lastRequest().bodyText()).isEqualTo("ok");
  }

  @Test
  void writesChunkedResponsesWhenAsked() throws Exception {
    origin.handle("/c", Response.ok("0123456789").chunked(4));

    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String all = new String(raw.readToEnd(), StandardCharsets.ISO_8859_1);
      assertThat(all)
          .contains("Transfer-Encoding: chunked\r\n")
          .doesNotContain("Content-Length")
          .endsWith("\r\n\r\n4\r\n0123\r\n4\r\n4567\r\n2\r\n89\r\n0\r\n\r\n");
    }
    assertThat(get("/c").body()).isEqualTo("0123456789");
    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Reply reply = raw.readResponse();
      assertThat(reply.header("transfer-encoding")).isEqualTo("chunked");
      assertThat(reply.bodyText()).isEqualTo("0123456789");
    }
  }

  @Test
  void headResponsesCarryTheLengthButNoBody() throws Exception {
    origin.handle("/h", Response.ok("twelve bytes"));

    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n");
      String head = raw.readHead();
      assertThat(head).contains("Content-Length: 12\r\n");
      // The connection stays usable: the next response starts right after the head.
      raw.send("GET /h HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(raw.readResponse().bodyText()).isEqualTo("twelve bytes");
    }
  }

  @Test
  void rejectsAMalformedRequestLineWith400AndCloses() throws Exception {
    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("NONSENSE\r\n\r\n");
      String all = new String(raw.readToEnd(), StandardCharsets.ISO_8859_1);
      assertThat(all).startsWith("HTTP/1.1 400 ").contains("Connection: close");
    }
    assertThat(origin.requestCount()).isZero();
  }

  @Test
  void rejectsAnOversizedHeadWith431AndCloses() throws Exception {
    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /big HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(200_000) + "\r\n\r\n");
      String all = new String(raw.readToEnd(), StandardCharsets.ISO_8859_1);
      assertThat(all).startsWith("HTTP/1.1 431 ");
    }
    assertThat(origin.requestCount()).isZero();
  }

  @Test
  void statusFaultForEveryRequestAndPerPathWithThePathWinning() throws Exception {
    origin.fault(Fault.status(503));
    assertThat(get("/any").statusCode()).isEqualTo(503);
    assertThat(get("/any").body()).isEqualTo("fault: 503");

    origin.fault("/special", Fault.status(404));
    assertThat(get("/special").statusCode()).isEqualTo(404);
    assertThat(get("/other").statusCode()).isEqualTo(503);

    origin.clearFault();
    assertThat(get("/other").statusCode()).isEqualTo(200);
    assertThat(get("/special").statusCode()).isEqualTo(404);

    origin.clearFaults();
    assertThat(get("/special").statusCode()).isEqualTo(200);
    // The faulted requests were still received and recorded.
    assertThat(origin.requestCount()).isEqualTo(7);
    assertThat(origin.connectionCount()).isEqualTo(1);
  }

  @Test
  void resetSendsARstAfterReadingTheRequest() throws Exception {
    origin.fault(Fault.RESET);

    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /r HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThatThrownBy(raw::readToEnd)
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
    assertThat(origin.requests()).extracting(RecordedRequest::path).containsExactly("/r");
    assertThatThrownBy(() -> get("/r")).isInstanceOf(IOException.class);
  }

  @Test
  void closeEndsTheConnectionCleanlyWithoutAnAnswer() throws Exception {
    origin.fault("/c", Fault.CLOSE);

    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(raw.readToEnd()).isEmpty(); // a FIN, not a RST: no exception
    }
    assertThat(origin.requestCount("/c")).isEqualTo(1);
  }

  @Test
  void hangNeverAnswersUntilTheFaultIsCleared() throws Exception {
    origin.fault(Fault.HANG);

    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /h HTTP/1.1\r\nHost: x\r\n\r\n");
      origin.awaitRequestCount(1, WAIT);
      raw.socket().setSoTimeout(300);
      assertThatThrownBy(() -> raw.input().read()).isInstanceOf(SocketTimeoutException.class);

      origin.clearFaults();
      raw.socket().setSoTimeout(10_000);
      RawHttp.Reply reply = raw.readResponse();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.bodyText()).isEqualTo("primary GET /h");
    }
  }

  @Test
  void closeDoesNotBlockOnHungOrHeldConnections() throws Exception {
    origin.fault("/hang", Fault.HANG);
    RawHttp hung = new RawHttp(origin.port());
    RawHttp held = new RawHttp(origin.port());
    try {
      hung.send("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
      origin.awaitRequestCount(1, WAIT);
      origin.hold();
      held.send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n");
      origin.awaitRequestCount(2, WAIT);

      assertTimeoutPreemptively(Duration.ofSeconds(10), origin::close);

      assertThat(hung.readToEnd()).isEmpty();
      assertThat(held.readToEnd()).isEmpty();
      assertThat(origin.openConnectionCount()).isZero();
      assertThatThrownBy(() -> new Socket("127.0.0.1", origin.port()))
          .isInstanceOf(ConnectException.class);
    } finally {
      hung.close();
      held.close();
    }
  }

  @Test
  void truncateSendsHalfOfTheAnnouncedBodyThenCloses() throws Exception {
    origin.handle("/t", Response.ok("0123456789abcdefghij")).fault("/t", Fault.TRUNCATE);

    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /t HTTP/1.1\r\nHost: x\r\n\r\n");
      String head = raw.readHead();
      assertThat(head).startsWith("HTTP/1.1 200 ").contains("Content-Length: 20\r\n");
      assertThat(new String(raw.readToEnd(), StandardCharsets.UTF_8)).isEqualTo("0123456789");
    }
    assertThatThrownBy(() -> get("/t")).isInstanceOf(IOException.class);
  }

  @Test
  void truncateOfAChunkedResponseNeverSendsTheLastChunk() throws Exception {
    origin.handle("/tc", Response.ok("abcdefgh").chunked(2)).fault(Fault.TRUNCATE);

    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /tc HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(raw.readHead()).contains("Transfer-Encoding: chunked");
      assertThat(new String(raw.readToEnd(), StandardCharsets.US_ASCII))
          .isEqualTo("2\r\nab\r\n2\r\ncd\r\n");
    }
  }

  @Test
  void slowSendsTheBodyInPiecesButWhole() throws Exception {
    String body = "0123456789abcdefghijklmnopqrstuv";
    origin.handle("/s", Response.ok(body)).fault("/s", Fault.slow(4, Duration.ofMillis(100)));

    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /s HTTP/1.1\r\nHost: x\r\n\r\n");
      raw.readHead();
      List<Integer> reads = new ArrayList<>();
      StringBuilder received = new StringBuilder();
      byte[] buffer = new byte[1024];
      while (received.length() < body.length()) {
        int n = raw.input().read(buffer);
        assertThat(n).isPositive();
        reads.add(n);
        received.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
      }
      assertThat(received.toString()).isEqualTo(body);
      assertThat(reads).hasSizeGreaterThan(1);
    }
    assertThat(get("/s").body()).isEqualTo(body);
  }

  @Test
  void refuseClosesTheListenerAndExistingConnectionsThenRebindsTheSamePort() throws Exception {
    int port = origin.port();
    try (RawHttp existing = new RawHttp(port)) {
      existing.send("GET /before HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(existing.readResponse().status()).isEqualTo(200);

      origin.fault(Fault.REFUSE);

      assertThat(existing.readToEnd()).isEmpty();
      assertThatThrownBy(() -> new Socket("127.0.0.1", port)).isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> get("/during")).isInstanceOf(ConnectException.class);
    }

    origin.clearFaults();

    assertThat(origin.port()).isEqualTo(port);
    assertThat(get("/after").statusCode()).isEqualTo(200);
    assertThat(origin.requests())
        .extracting(RecordedRequest::path)
        .containsExactly("/before", "/after");
  }

  @Test
  void refuseIsNotAPathFault() {
    assertThatThrownBy(() -> origin.fault("/x", Fault.REFUSE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("every request");
  }

  @Test
  void holdMakesAnswersWaitUntilReleased() throws Exception {
    origin.hold();
    List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pending.add(
          client.sendAsync(
              HttpRequest.newBuilder(origin.uri("/held/" + i)).build(),
              HttpResponse.BodyHandlers.ofString()));
    }

    origin.awaitRequestCount(4, WAIT);
    assertThat(pending).noneMatch(CompletableFuture::isDone);

    origin.release();

    await().atMost(WAIT).until(() -> pending.stream().allMatch(CompletableFuture::isDone));
    for (CompletableFuture<HttpResponse<String>> future : pending) {
      assertThat(future.get().statusCode()).isEqualTo(200);
    }
  }

  @Test
  void awaitRequestCountFailsWithWhatArrived() throws Exception {
    get("/only");

    assertThatThrownBy(() -> origin.awaitRequestCount(2, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected 2")
        .hasMessageContaining("got 1")
        .hasMessageContaining("/only");
  }

  @Test
  void connectionCloseFromTheClientIsHonoured() throws Exception {
    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      String all = new String(raw.readToEnd(), StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 200 ").contains("Connection: close\r\n");
    }
    await().atMost(WAIT).until(() -> origin.openConnectionCount() == 0);
  }

  @Test
  void http10KeepsAliveOnlyWhenAsked() throws Exception {
    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      assertThat(raw.readResponse().header("Connection")).isEqualTo("keep-alive");
      raw.send("GET /b HTTP/1.0\r\n\r\n");
      assertThat(raw.readResponse().header("Connection")).isEqualTo("close");
      assertThat(raw.readToEnd()).isEmpty();
    }
    assertThat(origin.requests()).extracting(RecordedRequest::version).containsOnly("HTTP/1.0");
  }

  @Test
  void closeConnectionsMakesPooledConnectionsStale() throws Exception {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", origin.port()));
    try (RawHttp raw = new RawHttp(origin.port())) {
      raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
      raw.readResponse();
      await().atMost(WAIT).until(() -> origin.openConnectionCount() == 2);

      origin.closeConnections();

      assertThat(raw.readToEnd()).isEmpty();
      await().atMost(WAIT).until(() -> origin.openConnectionCount() == 0);
    } finally {
      socket.close();
    }
  }
}
