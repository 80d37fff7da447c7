package io.bulwark.testing;

import java.nio.charset.StandardCharsets;

/**
 * One request as the fake origin read it off the wire.
 *
 * @param method the request method, as sent
 * @param target the request target, as sent (path and query, or an absolute form)
 * @param version the protocol version from the request line, e.g. {@code HTTP/1.1}
 * @param headers the header fields in order, case-insensitive lookup
 * @param body the decoded body (Content-Length or chunked), empty when there was none
 * @param connectionId which accepted connection carried it, starting at 1; equal ids mean the
 *     client reused a keep-alive connection
 * @param sequence the order in which the origin received it, starting at 1
 */
public record RecordedRequest(
    String method,
    String target,
    String version,
    Headers headers,
    byte[] body,
    int connectionId,
    int sequence) {

  /** The path of the target, without the query. */
  public String path() {
    return pathOf(target);
  }

  /** The query of the target without the '?', or null when there is none. */
  public String query() {
    int q = target.indexOf('?');
    return q < 0 ? null : target.substring(q + 1);
  }

  /** The first value of a header (case-insensitive), or null. */
  public String header(String name) {
    return headers.get(name);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  static String pathOf(String target) {
    String path = target;
    int scheme = path.indexOf("://");
    if (scheme >= 0) {
      int slash = path.indexOf('/', scheme + 3);
      path = slash < 0 ? "/" : path.substring(slash);
    }
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  @Override
  public String toString() {
    return "#" + sequence + " conn " + connectionId + ": " + method + " " + target;
  }
}
