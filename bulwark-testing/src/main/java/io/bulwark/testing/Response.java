package io.bulwark.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the fake origin answers. Immutable: every method returns a changed copy, so one instance can
 * be shared between handlers and threads.
 *
 * <p>Framing is added when the response is written: {@code Content-Length} for the body, unless the
 * response is {@link #chunked()} (then {@code Transfer-Encoding: chunked}) or the script already
 * set a {@code Content-Length} itself (then it is sent as given, even if it lies, so tests can
 * lie). A response to HEAD, a 204 and a 304 are written without a body.
 */
public final class Response {
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(200, "OK"),
          Map.entry(201, "Created"),
          Map.entry(204, "No Content"),
          Map.entry(206, "Partial Content"),
          Map.entry(301, "Moved Permanently"),
          Map.entry(302, "Found"),
          Map.entry(304, "Not Modified"),
          Map.entry(400, "Bad Request"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(408, "Request Timeout"),
          Map.entry(416, "Range Not Satisfiable"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Timeout"));

  private final int status;
  private final String reason;
  private final Headers headers;
  private final byte[] body;
  private final boolean chunked;
  private final int chunkSize;
  private final boolean closeConnection;

  /** Interim 1xx responses written ahead of this one: status and fields, in order. */
  private final List<Map.Entry<Integer, Headers>> interim;

  private Response(
      int status,
      String reason,
      Headers headers,
      byte[] body,
      boolean chunked,
      int chunkSize,
      boolean closeConnection,
      List<Map.Entry<Integer, Headers>> interim) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("a status code has three digits, got " + status);
    }
    this.status = status;
    this.reason = reason;
    this.headers = headers;
    this.body = body;
    this.chunked = chunked;
    this.chunkSize = chunkSize;
    this.closeConnection = closeConnection;
    this.interim = interim;
  }

  /** 200 with a UTF-8 text body. */
  public static Response ok(String text) {
    return of(200, text);
  }

  /** A status with a UTF-8 text body ({@code Content-Type: text/plain; charset=utf-8}). */
  public static Response of(int status, String text) {
    return new Response(
            status, reasonFor(status), Headers.empty(), new byte[0], false, 0, false, List.of())
        .header("Content-Type", "text/plain; charset=utf-8")
        .body(text);
  }

  /** A status with no headers and an empty body. */
  public static Response of(int status) {
    return new Response(
        status, reasonFor(status), Headers.empty(), new byte[0], false, 0, false, List.of());
  }

  public static Response notFound() {
    return of(404, "not found");
  }

  /** The standard reason phrase for a status, or "Status" when this class does not know it. */
  public static String reasonFor(int status) {
    return REASONS.getOrDefault(status, "Status");
  }

  public Response status(int newStatus) {
    return new Response(
        newStatus,
        reasonFor(newStatus),
        headers,
        body,
        chunked,
        chunkSize,
        closeConnection,
        interim);
  }

  public Response reason(String newReason) {
    return new Response(
        status, newReason, headers, body, chunked, chunkSize, closeConnection, interim);
  }

  /** Adds a header field (an existing one of the same name is kept: fields may repeat). */
  public Response header(String name, String value) {
    return new Response(
        status,
        reason,
        headers.plus(name, value),
        body,
        chunked,
        chunkSize,
        closeConnection,
        interim);
  }

  /** Replaces every field of this name with one. */
  public Response setHeader(String name, String value) {
    return withoutHeader(name).header(name, value);
  }

  public Response withoutHeader(String name) {
    return new Response(
        status, reason, headers.minus(name), body, chunked, chunkSize, closeConnection, interim);
  }

  public Response body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8));
  }

  public Response body(byte[] bytes) {
    return new Response(
        status, reason, headers, bytes.clone(), chunked, chunkSize, closeConnection, interim);
  }

  /** Sends the body with {@code Transfer-Encoding: chunked}, in one chunk. */
  public Response chunked() {
    return chunked(Integer.MAX_VALUE);
  }

  /** Sends the body with {@code Transfer-Encoding: chunked}, in chunks of at most this size. */
  public Response chunked(int maxChunkSize) {
    if (maxChunkSize < 1) {
      throw new IllegalArgumentException("a chunk holds at least one byte");
    }
    return new Response(
        status, reason, headers, body, true, maxChunkSize, closeConnection, interim);
  }

  /** Adds {@code Connection: close} and closes the connection after this response. */
  public Response closeConnection() {
    return new Response(
        status,
        reason,
        headers.plus("Connection", "close"),
        body,
        chunked,
        chunkSize,
        true,
        interim);
  }

  /**
   * Sends an interim response (a 1xx other than 101, RFC 9110 15.2) with these fields before this
   * one: {@code Response.ok("x").interim(103, "Link", "</a.css>; rel=preload")}. Repeatable.
   */
  public Response interim(int interimStatus, String... namesAndValues) {
    if (interimStatus < 100 || interimStatus > 199 || interimStatus == 101) {
      throw new IllegalArgumentException("an interim response is a 1xx other than 101");
    }
    List<Map.Entry<Integer, Headers>> more = new java.util.ArrayList<>(interim);
    more.add(Map.entry(interimStatus, Headers.of(namesAndValues)));
    return new Response(
        status, reason, headers, body, chunked, chunkSize, closeConnection, List.copyOf(more));
  }

  /** The interim responses sent ahead of this one, in order. */
  public List<Map.Entry<Integer, Headers>> interimResponses() {
    return interim;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public Headers headers() {
    return headers;
  }

  public byte[] body() {
    return body.clone();
  }

  byte[] bodyNoCopy() {
    return body;
  }

  public boolean isChunked() {
    return chunked;
  }

  int chunkSize() {
    return chunkSize;
  }

  public boolean closesConnection() {
    return closeConnection;
  }

  @Override
  public String toString() {
    return status
        + " "
        + reason
        + " ("
        + body.length
        + " bytes"
        + (chunked ? ", chunked" : "")
        + ")";
  }
}
