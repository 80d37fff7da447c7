package io.bulwark.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw-socket HTTP/1.1 client for tests that need exact bytes: malformed requests, pipelining,
 * keep-alive on one known connection, or observing a reset or a close. Connects to 127.0.0.1 with a
 * 10 s read timeout (change it with {@link #socket()}).
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  public RawHttp(int port) throws IOException {
    this(Ports.LOOPBACK, port);
  }

  public RawHttp(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(10_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** The underlying socket, e.g. to change the read timeout. */
  public Socket socket() {
    return socket;
  }

  /** The raw input, for reading byte by byte. */
  public InputStream input() {
    return in;
  }

  /** Sends these characters as ISO-8859-1 bytes, exactly. */
  public RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads a status line and header block, up to and including the empty line. */
  public String readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException(
            "end of stream inside the head: '" + head.toString(StandardCharsets.ISO_8859_1) + "'");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Reads one response: the head, then a body framed by Content-Length or chunked coding (or none
   * for 1xx, 204 and 304). A body framed by the connection's close is read with {@link
   * #readToEnd()} instead. Use {@link #readHead()} alone for a response to HEAD.
   */
  public Reply readResponse() throws IOException {
    String head = readHead();
    Reply partial = Reply.parse(head, new byte[0]);
    int status = partial.status();
    if (status < 200 || status == 204 || status == 304) {
      return partial;
    }
    byte[] body;
    if (partial.headers().hasToken("Transfer-Encoding", "chunked")) {
      body = readChunked();
    } else {
      String length = partial.header("Content-Length");
      int n = length == null ? 0 : Integer.parseInt(length.trim());
      body = in.readNBytes(n);
      if (body.length != n) {
        throw new IOException("end of stream after " + body.length + " of " + n + " body bytes");
      }
    }
    return Reply.parse(head, body);
  }

  /** Reads until the peer closes. A reset surfaces as a {@link java.net.SocketException}. */
  public byte[] readToEnd() throws IOException {
    return in.readAllBytes();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine();
      int semicolon = sizeLine.indexOf(';');
      int size =
          Integer.parseInt(
              (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!readLine().isEmpty()) {
          // trailer fields are dropped
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine();
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("end of stream inside a chunked body");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  /** A response as read: the head verbatim, its parsed fields, and the body bytes. */
  public record Reply(String head, int status, Headers headers, byte[] body) {
    static Reply parse(String head, byte[] body) {
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].substring(9, 12));
      List<Map.Entry<String, String>> fields = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          fields.add(Map.entry(lines[i].substring(0, colon), lines[i].substring(colon + 1).trim()));
        }
      }
      return new Reply(head, status, Headers.copyOf(fields), body);
    }

    public String header(String name) {
      return headers.get(name);
    }

    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** True when the head has this field name at all (case-insensitive). */
    public boolean has(String name) {
      return headers.contains(name);
    }

    @Override
    public String toString() {
      return head.toLowerCase(Locale.ROOT).startsWith("http/") ? head + bodyText() : head;
    }
  }
}
