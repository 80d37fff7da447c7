package io.bulwark.cache;

import io.bulwark.cache.internal.HttpDates;
import java.time.Instant;
import java.util.List;

/**
 * Validation, both ways: the conditional request the edge sends to revalidate a stored response
 * (RFC 9111 4.3.1), the header update a 304 brings (RFC 9111 4.3.4), and the viewer's own
 * conditional request answered from the cache (RFC 9111 4.3.2, RFC 9110 13.1.1, 13.1.3, 13.2.2).
 * Pure functions; no clock.
 */
public final class Validation {
  private Validation() {}

  /** Whether the stored response can be revalidated: it has an ETag or a Last-Modified. */
  public static boolean hasValidator(ResponseHeaders stored) {
    return stored.contains("etag") || stored.contains("last-modified");
  }

  /**
   * The If-None-Match value to revalidate with (RFC 9111 4.3.1: the stored entity tag), or null.
   */
  public static String ifNoneMatchFor(ResponseHeaders stored) {
    return stored.get("etag");
  }

  /**
   * The If-Modified-Since value to revalidate with (RFC 9111 4.3.1: the stored Last-Modified), or
   * null. Sent alongside If-None-Match, for origins that only understand dates; an origin that
   * knows both evaluates If-None-Match first (RFC 9110 13.2.2).
   */
  public static String ifModifiedSinceFor(ResponseHeaders stored) {
    return stored.get("last-modified");
  }

  /**
   * Whether a 304 answering our conditional request selects the stored response for update (RFC
   * 9111 4.3.4): its entity tag, when it has one, must equal the stored one (compared by opaque
   * tag: the weak form when either side is weak, RFC 9110 8.8.3.2); without one, a Last-Modified it
   * carries must equal the stored one. A 304 with no validator selects the only stored response we
   * asked about.
   */
  public static boolean selects(ResponseHeaders stored, ResponseHeaders notModified) {
    String newTag = notModified.get("etag");
    if (newTag != null) {
      String storedTag = stored.get("etag");
      return storedTag != null && weakMatch(newTag.trim(), storedTag.trim());
    }
    String newLm = notModified.get("last-modified");
    if (newLm != null) {
      String storedLm = stored.get("last-modified");
      return storedLm == null || storedLm.trim().equals(newLm.trim());
    }
    return true;
  }

  /**
   * The stored headers updated from a 304 (RFC 9111 4.3.4, 3.2): each field the 304 carries
   * replaces every stored line of that name; the others stay. Not taken from the 304: hop-by-hop
   * fields and those named in its Connection (3.1), Content-Length (3.2: it describes the 304's
   * empty body), and the fields the stored bytes depend on (Content-Encoding, which the edge may
   * have applied itself, and Content-Range) so the headers keep describing the bytes stored.
   */
  public static ResponseHeaders updatedHeaders(
      ResponseHeaders stored, ResponseHeaders notModified) {
    ResponseHeaders update = HopByHop.strip(notModified);
    ResponseHeaders.Builder b = ResponseHeaders.builder();
    for (int i = 0, n = stored.size(); i < n; i++) {
      String name = stored.name(i);
      if (!updatable(name) || !update.contains(name)) {
        b.add(name, stored.value(i));
      }
    }
    for (int i = 0, n = update.size(); i < n; i++) {
      String name = update.name(i);
      if (updatable(name)) {
        b.add(name, update.value(i));
      }
    }
    return b.build();
  }

  private static boolean updatable(String name) {
    return !(name.equalsIgnoreCase("content-length")
        || name.equalsIgnoreCase("content-encoding")
        || name.equalsIgnoreCase("content-range"));
  }

  /**
   * Whether a viewer's conditional GET or HEAD is answered 304 from the stored response (RFC 9111
   * 4.3.2). Preconditions apply only to a 2xx stored response (RFC 9110 13.2.1). If-None-Match,
   * when present, decides alone (13.2.2, If-Modified-Since is then ignored): 304 when any listed
   * entity tag matches the stored ETag by weak comparison (13.1.2, 8.8.3.2), or the list is {@code
   * *}. Otherwise If-Modified-Since (13.1.3): 304 when the stored Last-Modified (else Date, else
   * the time it was stored, RFC 9111 4.3.2) is not later than the given date; an invalid date is
   * ignored.
   *
   * @param ifNoneMatch every If-None-Match field line (empty when absent)
   * @param ifModifiedSince the If-Modified-Since value, or null
   */
  public static boolean viewerNotModified(
      String method,
      List<String> ifNoneMatch,
      String ifModifiedSince,
      int storedStatus,
      ResponseHeaders stored,
      Instant storedAt) {
    if (storedStatus < 200 || storedStatus > 299) {
      return false;
    }
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return false;
    }
    if (!ifNoneMatch.isEmpty()) {
      return ifNoneMatchMatches(ifNoneMatch, stored.get("etag"));
    }
    if (ifModifiedSince == null) {
      return false;
    }
    Instant since = HttpDates.parse(ifModifiedSince, storedAt);
    if (since == null) {
      return false;
    }
    Instant modified = HttpDates.parse(stored.get("last-modified"), storedAt);
    if (modified == null) {
      modified = HttpDates.parse(stored.get("date"), storedAt);
    }
    if (modified == null) {
      modified = storedAt;
    }
    return !modified.isAfter(since);
  }

  /**
   * Whether an If-None-Match list (RFC 9110 13.1.2) matches {@code etag} by weak comparison: {@code
   * *} matches any current representation; entity tags are read with their quotes (a comma inside a
   * quoted tag does not split it); malformed members are skipped.
   */
  static boolean ifNoneMatchMatches(List<String> lines, String etag) {
    String stored = etag == null ? null : etag.trim();
    for (int l = 0, nl = lines.size(); l < nl; l++) {
      String s = lines.get(l);
      int i = 0;
      int n = s.length();
      while (i < n) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == ',') {
          i++;
          continue;
        }
        if (c == '*') {
          return true;
        }
        int start = i;
        if (c == 'W' && i + 1 < n && s.charAt(i + 1) == '/') {
          i += 2;
        }
        if (i >= n || s.charAt(i) != '"') {
          while (i < n && s.charAt(i) != ',') {
            i++; // not an entity-tag: skip the member
          }
          continue;
        }
        int close = s.indexOf('"', i + 1);
        if (close < 0) {
          break;
        }
        String tag = s.substring(start, close + 1);
        if (stored != null && weakMatch(tag, stored)) {
          return true;
        }
        i = close + 1;
      }
    }
    return false;
  }

  /** Weak comparison (RFC 9110 8.8.3.2): the opaque tags are equal, either or both may be weak. */
  static boolean weakMatch(String a, String b) {
    String x = a.startsWith("W/") ? a.substring(2) : a;
    String y = b.startsWith("W/") ? b.substring(2) : b;
    return x.equals(y);
  }

  /**
   * Whether a stored field is sent with a 304 answered from the cache (RFC 9110 15.4.5: the fields
   * a 200 would have carried among Content-Location, Date, ETag, Vary, Cache-Control and Expires,
   * plus Last-Modified, which guides the viewer's cache update). Takes a lower-case name.
   */
  public static boolean sentWithNotModified(String lowerCaseName) {
    switch (lowerCaseName) {
      case "cache-control":
      case "content-location":
      case "date":
      case "etag":
      case "expires":
      case "vary":
      case "last-modified":
        return true;
      default:
        return false;
    }
  }
}
