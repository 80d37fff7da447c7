package io.bulwark.staticorigin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.bulwark.testing.RawHttp;
import io.bulwark.testing.TempSite;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fault switch, observed from a client over real TCP. */
class StaticOriginFaultTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String GET = "GET /hello.txt HTTP/1.1\r\nHost: o\r\n\r\n";

  private TempSite site;
  private StaticOriginServer server;
  private HttpClient client;

  @BeforeEach
  void start() throws IOException {
    site = TempSite.create().file("hello.txt", "hello");
    server = StaticOriginServer.start("primary", site.root(), "127.0.0.1", 0, "index.html");
    client = HttpClient.newBuilder().connectTimeout(WAIT).build();
  }

  @AfterEach
  void stop() {
    server.close();
    site.close();
  }

  private HttpResponse<String> get() throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hello.txt"))
            .timeout(WAIT)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void status503AppliesToTheNextRequestOnAnOpenConnection() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(GET);
      assertThat(raw.readResponse().status()).isEqualTo(200);

      server.setFault(Fault.STATUS_503);
      raw.send(GET);
      RawHttp.Reply failed = raw.readResponse();
      assertThat(failed.status()).isEqualTo(503);
      assertThat(failed.header("Server")).isEqualTo("bulwark-static/primary");
      assertThat(failed.bodyText()).contains("fault injected");

      server.setFault(Fault.NONE);
      raw.send(GET);
      assertThat(raw.readResponse().bodyText()).isEqualTo("hello");
    }
    assertThat(server.fault()).isEqualTo(Fault.NONE);
  }

  @Test
  void resetSendsATcpRstWhenARequestArrives() throws Exception {
    server.setFault(Fault.RESET);

    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(GET);
      assertThatThrownBy(raw::readToEnd)
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
    assertThatThrownBy(this::get).isInstanceOf(IOException.class);

    server.setFault(Fault.NONE);
    assertThat(get().body()).isEqualTo("hello");
  }

  @Test
  void hangReadsButNeverAnswersAndClearingItClosesTheHungConnections() throws Exception {
    server.setFault(Fault.HANG);

    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(GET);
      raw.socket().setSoTimeout(500);
      assertThatThrownBy(() -> raw.input().read()).isInstanceOf(SocketTimeoutException.class);

      server.setFault(Fault.NONE);

      raw.socket().setSoTimeout(10_000);
      assertThat(raw.readToEnd()).isEmpty();
    }
    assertThat(get().body()).isEqualTo("hello");
  }

  @Test
  void closingTheServerReleasesHungConnections() throws Exception {
    server.setFault(Fault.HANG);

    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(GET);
      raw.socket().setSoTimeout(300);
      assertThatThrownBy(() -> raw.input().read()).isInstanceOf(SocketTimeoutException.class);

      assertTimeoutPreemptively(WAIT, server::close);

      raw.socket().setSoTimeout(10_000);
      assertThat(raw.readToEnd()).isEmpty();
    }
  }

  @Test
  void refuseUnbindsClosesConnectionsAndNoneRebindsTheSamePort() throws Exception {
    int port = server.port();
    try (RawHttp open = new RawHttp(port)) {
      open.send(GET);
      assertThat(open.readResponse().status()).isEqualTo(200);

      server.setFault(Fault.REFUSE);

      assertThat(open.readToEnd()).isEmpty();
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(ConnectException.class);
      assertThatThrownBy(this::get).isInstanceOf(ConnectException.class);
      assertThat(server.fault()).isEqualTo(Fault.REFUSE);
    }

    server.setFault(Fault.NONE);

    assertThat(server.port()).isEqualTo(port);
    assertThat(get().body()).isEqualTo("hello");
  }

  @Test
  void faultsCanFollowEachOtherInAnyOrder() throws Exception {
    server.setFault(Fault.HANG);
    server.setFault(Fault.REFUSE);
    assertThatThrownBy(this::get).isInstanceOf(ConnectException.class);
    server.setFault(Fault.STATUS_503);
    assertThat(get().statusCode()).isEqualTo(503);
    server.setFault(Fault.RESET);
    assertThatThrownBy(this::get).isInstanceOf(IOException.class);
    server.setFault(Fault.REFUSE);
    server.setFault(Fault.REFUSE);
    server.setFault(Fault.NONE);
    assertThat(get().statusCode()).isEqualTo(200);
  }

  @Test
  void refusesToSwitchFaultsFromItsOwnEventLoop() throws Exception {
    EventLoopGroup group = StaticOriginServer.newEventLoopGroup();
    try {
      StaticOriginServer shared =
          StaticOriginServer.start("s", site.root(), "127.0.0.1", 0, "index.html", group);
      try {
        Throwable thrown = group.submit(() -> shared.setFault(Fault.REFUSE)).await().cause();
        assertThat(thrown)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("off the server's event loop");
        assertThat(shared.fault()).isEqualTo(Fault.NONE);
      } finally {
        shared.close();
      }
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void aClosedServerRefusesConnectionsAndFaultChanges() {
    int port = server.port();

    server.close();
    server.close(); // idempotent

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> server.setFault(Fault.HANG)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void serversCanShareOneEventLoopGroupWhichCloseLeavesRunning() throws Exception {
    EventLoopGroup group = StaticOriginServer.newEventLoopGroup();
    try (TempSite other = TempSite.create().file("hello.txt", "other")) {
      StaticOriginServer a =
          StaticOriginServer.start("a", site.root(), "127.0.0.1", 0, "index.html", group);
      StaticOriginServer b =
          StaticOriginServer.start("b", other.root(), "127.0.0.1", 0, "index.html", group);
      try (RawHttp raw = new RawHttp(b.port())) {
        a.close();
        assertThat(group.isShuttingDown()).isFalse();
        raw.send(GET);
        RawHttp.Reply reply = raw.readResponse();
        assertThat(reply.bodyText()).isEqualTo("other");
        assertThat(reply.header("Server")).isEqualTo("bulwark-static/b");
      } finally {
        b.close();
      }
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  @Test
  void anOwnedGroupIsShutDownByClose() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      raw.send(GET);
      raw.readResponse();
    }
    server.close();
    await()
        .atMost(WAIT)
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().startsWith("bulwark-static") && t.isAlive()));
  }

  @ParameterizedTest
  @CsvSource({
    "none, NONE",
    "off, NONE",
    "OFF, NONE",
    "503, STATUS_503",
    "status-503, STATUS_503",
    "status_503, STATUS_503",
    "reset, RESET",
    "Hang, HANG",
    "refuse, REFUSE"
  })
  void parsesFaultNames(String text, Fault fault) {
    assertThat(Fault.parse(text)).isEqualTo(fault);
  }

  @Test
  void rejectsUnknownFaultNamesListingTheKnownOnes() {
    assertThatThrownBy(() -> Fault.parse("explode"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("explode")
        .hasMessageContaining("reset, hang, refuse");
  }
}
