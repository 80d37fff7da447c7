package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A malformed request gets a 4xx and a closed connection, never a hung socket, and the server keeps
 * serving others. Raw sockets, so the bytes are exactly what a broken client sends.
 */
class MalformedRequestTest {
  private FakeOrigin origin;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    origin = FakeOrigin.start("origin");
    origin.defaultResponder(r -> Response.ok("fine"));
    edge = EdgeFixture.start(EdgeFixture.twoOrigins(origin.port(), origin.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    origin.close();
  }

  static java.util.stream.Stream<Arguments> cases() {
    String big = "a".repeat(20_000);
    return java.util.stream.Stream.of(
        Arguments.of("garbage request line", "GARBAGE\r\n\r\n", 400),
        Arguments.of("no HTTP version", "GET /\r\nHost: 127.0.0.1\r\n\r\n", 400),
        Arguments.of("bad version", "GET / HTTP/9.9x\r\nHost: 127.0.0.1\r\n\r\n", 400),
        Arguments.of(
            "request line too long",
            "GET /" + "b".repeat(9000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            414),
        Arguments.of(
            "headers too large",
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + big + "\r\n\r\n",
            431),
        Arguments.of(
            "non-numeric Content-Length",
            "POST /nocache/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n",
            400),
        Arguments.of(
            "negative Content-Length",
            "POST /nocache/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
            400),
        Arguments.of(
            "conflicting Content-Length",
            "POST /nocache/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            400),
        Arguments.of(
            "Content-Length with Transfer-Encoding",
            "POST /nocache/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "header without colon", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBadHeader\r\n\r\n", 400),
        Arguments.of("missing Host on HTTP/1.1", "GET / HTTP/1.1\r\n\r\n", 400),
        Arguments.of("unknown host", "GET / HTTP/1.1\r\nHost: not-served.example\r\n\r\n", 421));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("cases")
  void malformedRequestIsRefusedAndClosed(String name, String raw, int expectedStatus)
      throws Exception {
    try (Socket s = new Socket("127.0.0.1", edge.server.httpPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String response = readUntilClose(s.getInputStream());
      assertThat(response).startsWith("HTTP/1.1 " + expectedStatus + " ");
      if (expectedStatus != 421) {
        assertThat(response.toLowerCase()).contains("connection: close");
      }
    }
    // The server still serves everyone else.
    assertThat(edge.get("/nocache/after").statusCode()).isEqualTo(200);
  }

  @org.junit.jupiter.api.Test
  void slowRequestGets408AndClose() throws Exception {
    // request-header-timeout defaults to 10 s; this edge is configured with 1 s below.
    edge.close();
    edge =
        EdgeFixture.start(
            EdgeFixture.twoOrigins(origin.port(), origin.port())
                .replace(
                    "edge:\n  http: 127.0.0.1:0",
                    "edge:\n  http: 127.0.0.1:0\n  request-header-timeout: 1s"));
    try (Socket s = new Socket("127.0.0.1", edge.server.httpPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String response = readUntilClose(s.getInputStream());
      assertThat(response).startsWith("HTTP/1.1 408 ").contains("Connection: close");
    }
    assertThat(edge.get("/nocache/after").statusCode()).isEqualTo(200);
  }

  /** Reads until the server closes; a read timeout here would mean a hung socket. */
  private static String readUntilClose(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[4096];
    try {
      int n;
      while ((n = in.read(b)) >= 0) {
        buf.write(b, 0, n);
        if (buf.toString(StandardCharsets.ISO_8859_1).contains("421 ")) {
          break; // a well-formed request to an unknown host may keep its connection
        }
      }
    } catch (SocketException reset) {
      // closed with a reset after the response: also closed
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }
}
