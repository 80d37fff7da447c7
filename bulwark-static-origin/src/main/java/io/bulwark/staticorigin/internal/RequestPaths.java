package io.bulwark.staticorigin.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a request target into the path segments to look up under the site's root, or refuses it.
 *
 * <p>Safety is by construction, not by cleaning up: the path is percent-decoded first (so {@code
 * %2e%2e} and {@code %2f} are seen for what they are), then any NUL, backslash or {@code ..}
 * segment refuses the whole request. Normalising {@code a/../b} instead would be correct too, but
 * every normaliser bug in the history of web servers is a path traversal; refusing is simpler and
 * no legitimate link needs it. The caller still checks that the resolved real path (symlinks
 * followed) lies under the root.
 */
public final class RequestPaths {

  /** The outcome of {@link #parse}. */
  public enum Status {
    OK,
    /** Malformed: not a path, bad percent-encoding or not UTF-8. Answered 400. */
    MALFORMED,
    /** Well-formed but names nothing we may serve (NUL, backslash, {@code ..}). Answered 404. */
    FORBIDDEN
  }

  /**
   * @param status whether the target may be looked up
   * @param segments the decoded, non-empty segments, without {@code .} segments
   * @param directory true when the decoded path ends in '/' (the index document is meant)
   * @param rawPath the path as sent, still encoded, without the query (for redirects)
   * @param query the raw query, or null
   */
  public record Parsed(
      Status status, List<String> segments, boolean directory, String rawPath, String query) {}

  private RequestPaths() {}

  public static Parsed parse(String target) {
    String rest = target;
    int scheme = rest.indexOf("://");
    if (scheme > 0 && !rest.startsWith("/")) {
      int slash = rest.indexOf('/', scheme + 3);
      rest = slash < 0 ? "/" : rest.substring(slash);
    }
    int fragment = rest.indexOf('#');
    if (fragment >= 0) {
      rest = rest.substring(0, fragment);
    }
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    if (!rest.startsWith("/")) {
      return new Parsed(Status.MALFORMED, List.of(), false, rest, query);
    }
    String decoded = percentDecode(rest);
    if (decoded == null) {
      return new Parsed(Status.MALFORMED, List.of(), false, rest, query);
    }
    if (decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0) {
      return new Parsed(Status.FORBIDDEN, List.of(), false, rest, query);
    }
    List<String> segments = new ArrayList<>();
    for (String segment : decoded.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        return new Parsed(Status.FORBIDDEN, List.of(), false, rest, query);
      }
      segments.add(segment);
    }
    boolean directory = decoded.endsWith("/") || decoded.endsWith("/.");
    return new Parsed(Status.OK, List.copyOf(segments), directory, rest, query);
  }

  /** Decodes %XX escapes as UTF-8 ('+' stays '+': it means space only in forms). Null if bad. */
  static String percentDecode(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%') {
        if (i + 2 >= path.length()) {
          return null;
        }
        int hi = Character.digit(path.charAt(i + 1), 16);
        int lo = Character.digit(path.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else if (c > 0x7f) {
        byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
