package io.bulwark.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One accepted connection of a {@link FakeOrigin}: reads requests one after another (RFC 9112
 * message framing), answers each as the origin's script and faults say, and keeps the connection
 * open between them unless a side asked to close it.
 */
final class OriginConnection {
  /** Request line plus header fields; larger heads are answered 431 and the connection closed. */
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  private final FakeOrigin origin;
  private final Socket tcp;
  private final int id;
  private final SSLContext tls;
  private final String[] tlsProtocols;
  private volatile boolean closed;

  /** The socket HTTP is spoken on: {@link #tcp} itself, or a TLS socket layered on it. */
  private Socket socket;

  OriginConnection(FakeOrigin origin, Socket tcp, int id, SSLContext tls, String[] tlsProtocols) {
    this.origin = origin;
    this.tcp = tcp;
    this.socket = tcp;
    this.id = id;
    this.tls = tls;
    this.tlsProtocols = tlsProtocols;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Closes the TCP connection from any thread (no TLS close_notify: another thread may be inside
   * the TLS engine); the connection's thread then finds its stream closed and ends.
   */
  void close() {
    closed = true;
    try {
      tcp.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  /** Closes from the connection's own thread: TLS close_notify (if TLS), then FIN. */
  private void closeGracefully() {
    closed = true;
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
    close();
  }

  void run() {
    try {
      if (tls != null) {
        SSLSocket secure =
            (SSLSocket) tls.getSocketFactory().createSocket(tcp, null, tcp.getPort(), true);
        secure.setUseClientMode(false);
        if (tlsProtocols.length > 0) {
          secure.setEnabledProtocols(tlsProtocols);
        }
        socket = secure;
      }
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      while (!closed && serveOne(in, out)) {
        // next request on the same connection
      }
    } catch (IOException | InterruptedException e) {
      // The peer went away, or the origin was closed: the connection simply ends.
    } finally {
      closeGracefully();
      origin.connectionClosed(this);
    }
  }

  /** Reads and answers one request; false when the connection is to be closed. */
  private boolean serveOne(InputStream in, OutputStream out)
      throws IOException, InterruptedException {
    String requestLine = readLine(in, new int[] {MAX_HEAD_BYTES}, true);
    if (requestLine == null) {
      return false; // clean end of stream between requests
    }
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3
        || parts[0].isEmpty()
        || parts[1].isEmpty()
        || !parts[2].startsWith("HTTP/1.")) {
      writeError(out, 400, "bad request line");
      return false;
    }
    String method = parts[0];
    String target = parts[1];
    String version = parts[2];
    int[] budget = {MAX_HEAD_BYTES - requestLine.length()};
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    while (true) {
      String line = readLine(in, budget, false);
      if (line == null) {
        if (budget[0] <= 0) {
          writeError(out, 431, "request header fields too large");
        }
        return false;
      }
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        writeError(out, 400, "bad header field");
        return false;
      }
      fields.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
    }
    Headers headers = Headers.copyOf(fields);

    if (headers.hasToken("Expect", "100-continue") && version.equals("HTTP/1.1")) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }
    byte[] body;
    if (headers.contains("Transfer-Encoding")) {
      if (!headers.hasToken("Transfer-Encoding", "chunked")) {
        writeError(out, 501, "only chunked transfer coding is understood");
        return false;
      }
      body = readChunked(in);
      if (body == null) {
        writeError(out, 400, "bad chunked body");
        return false;
      }
    } else if (headers.contains("Content-Length")) {
      long length;
      try {
        length = Long.parseLong(headers.get("Content-Length").trim());
      } catch (NumberFormatException e) {
        length = -1;
      }
      if (length < 0 || length > MAX_BODY_BYTES || headers.all("Content-Length").size() > 1) {
        writeError(out, 400, "bad Content-Length");
        return false;
      }
      body = in.readNBytes((int) length);
      if (body.length != length) {
        return false; // the client went away mid-body
      }
    } else {
      body = new byte[0];
    }

    RecordedRequest request = origin.record(method, target, version, headers, body, id);
    boolean keepAlive =
        version.equals("HTTP/1.1")
            ? !headers.hasToken("Connection", "close")
            : headers.hasToken("Connection", "keep-alive");

    Fault fault = origin.awaitTurn(this, request.path());
    if (fault != null) {
      switch (fault.kind()) {
        case RESET -> {
          // SO_LINGER 0 makes close() send a RST instead of a FIN: the peer reads ECONNRESET.
          tcp.setSoLinger(true, 0);
          close();
          return false;
        }
        case CLOSE, REFUSE -> {
          closeGracefully();
          return false;
        }
        case STATUS -> {
          Response response = Response.of(fault.status(), "fault: " + fault.status());
          return write(out, request, response, null, keepAlive);
        }
        case TRUNCATE, SLOW -> {
          return write(out, request, respond(request), fault, keepAlive);
        }
        case HANG -> throw new IllegalStateException("awaitTurn never returns HANG");
      }
    }
    return write(out, request, respond(request), null, keepAlive);
  }

  private Response respond(RecordedRequest request) {
    try {
      Response response = origin.responderFor(request).respond(request);
      if (response == null) {
        return Response.of(500, "the responder returned null");
      }
      return response;
    } catch (Exception e) {
      return Response.of(500, "responder failed: " + e);
    }
  }

  /**
   * Writes a response, applying a TRUNCATE or SLOW fault to its body. Returns whether the
   * connection stays open.
   */
  private boolean write(
      OutputStream out, RecordedRequest request, Response response, Fault fault, boolean keepAlive)
      throws IOException, InterruptedException {
    int status = response.status();
    boolean truncate = fault != null && fault.kind() == Fault.Kind.TRUNCATE;
    boolean slow = fault != null && fault.kind() == Fault.Kind.SLOW;
    boolean noBodyStatus = status < 200 || status == 204 || status == 304;
    boolean sendBody = !noBodyStatus && !request.method().equals("HEAD");
    byte[] body = response.bodyNoCopy();
    if (truncate && body.length < 2) {
      // Half of nothing is nothing: give the truncation something to cut.
      body = new byte[64];
      Arrays.fill(body, (byte) 'x');
    }
    boolean close = !keepAlive || response.closesConnection();

    for (Map.Entry<Integer, Headers> interim : response.interimResponses()) {
      StringBuilder h = new StringBuilder();
      h.append("HTTP/1.1 ").append(interim.getKey()).append(" Interim\r\n");
      for (Map.Entry<String, String> field : interim.getValue().asList()) {
        h.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
      }
      out.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(status).append(' ').append(response.reason()).append("\r\n");
    Headers headers = response.headers();
    if (truncate) {
      headers = headers.minus("Content-Length");
    }
    for (Map.Entry<String, String> field : headers.asList()) {
      head.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
    }
    boolean chunked = response.isChunked() && !noBodyStatus;
    if (chunked) {
      if (!headers.contains("Transfer-Encoding")) {
        head.append("Transfer-Encoding: chunked\r\n");
      }
    } else if (!noBodyStatus && !headers.contains("Content-Length")) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (close && !headers.hasToken("Connection", "close")) {
      head.append("Connection: close\r\n");
    } else if (!close && request.version().equals("HTTP/1.0")) {
      // An HTTP/1.0 client assumes close unless told otherwise (RFC 9112 section 9.3).
      head.append("Connection: keep-alive\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();

    if (sendBody) {
      int end = truncate ? body.length / 2 : body.length;
      int piece = chunked ? response.chunkSize() : Integer.MAX_VALUE;
      if (slow) {
        piece = Math.min(piece, fault.pieceSize());
      }
      for (int offset = 0; offset < end; ) {
        int n = Math.min(piece, end - offset);
        if (slow) {
          out.flush();
          Thread.sleep(fault.pause().toMillis());
        }
        if (chunked) {
          out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(body, offset, n);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
          out.write(body, offset, n);
        }
        offset += n;
      }
      if (chunked && !truncate) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.flush();
    }
    if (truncate) {
      closeGracefully();
      return false;
    }
    return !close;
  }

  private void writeError(OutputStream out, int status, String message) throws IOException {
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + Response.reasonFor(status)
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    drainBeforeClose();
  }

  /**
   * A lingering close (RFC 9112 section 9.6): after an error answer to a request that was not read
   * whole, half-close and discard what the client is still sending. Closing with unread bytes makes
   * the kernel send a RST, which can destroy the error answer before the client reads it.
   */
  private void drainBeforeClose() {
    if (socket != tcp) {
      return; // a TLS socket cannot half-close
    }
    try {
      tcp.shutdownOutput();
      tcp.setSoTimeout(1_000);
      InputStream in = tcp.getInputStream();
      byte[] discard = new byte[8192];
      while (in.read(discard) >= 0) {
        // discard until the client closes or a second passes without data
      }
    } catch (IOException ignored) {
      // Timed out or reset: close anyway.
    }
  }

  /** Decodes a chunked body (RFC 9112 section 7.1); trailer fields are read and dropped. */
  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int[] budget = {MAX_HEAD_BYTES};
    while (true) {
      String sizeLine = readLine(in, budget, false);
      if (sizeLine == null) {
        return null;
      }
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        return null;
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY_BYTES) {
        return null;
      }
      if (size == 0) {
        String trailer;
        do {
          trailer = readLine(in, budget, false);
          if (trailer == null) {
            return null;
          }
        } while (!trailer.isEmpty());
        return body.toByteArray();
      }
      byte[] data = in.readNBytes(size);
      if (data.length != size) {
        return null;
      }
      body.write(data);
      if (!"".equals(readLine(in, budget, false))) {
        return null;
      }
    }
  }

  /**
   * Reads one line ending in CRLF (a bare LF is accepted), without the terminator. Returns null at
   * the end of the stream or when the line would exceed the remaining budget. Before a request
   * line, empty lines are skipped (RFC 9112 section 2.2).
   */
  private static String readLine(InputStream in, int[] budget, boolean skipEmpty)
      throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (--budget[0] < 0) {
        return null;
      }
      if (b == '\n') {
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
          line.setLength(length - 1);
        }
        if (line.length() == 0 && skipEmpty) {
          continue;
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }
}
