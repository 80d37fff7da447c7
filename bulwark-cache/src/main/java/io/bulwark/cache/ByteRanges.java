package io.bulwark.cache;

import io.bulwark.cache.internal.HttpDates;
import java.time.Instant;

/**
 * Range requests answered from a stored full response (RFC 9110 14): one byte range is served as a
 * 206; several ranges, another unit or a malformed header are ignored (the whole object is sent,
 * which RFC 9110 14.2 permits); a range that starts past the end is 416. Pure.
 */
public final class ByteRanges {
  private ByteRanges() {}

  /** What to answer. */
  public enum Kind {
    /** Ignore the Range header: send the whole object with 200. */
    FULL,
    /** Send {@link Range#first()}..{@link Range#last()} with 206. */
    PARTIAL,
    /** 416 with {@code Content-Range: bytes *}{@code /length}. */
    UNSATISFIABLE
  }

  /**
   * The answer to a Range header over an object of {@code length} bytes.
   *
   * @param first the first byte served (PARTIAL only)
   * @param last the last byte served, inclusive (PARTIAL only)
   */
  public record Range(Kind kind, long first, long last) {
    static final Range FULL = new Range(Kind.FULL, 0, -1);
    static final Range UNSATISFIABLE = new Range(Kind.UNSATISFIABLE, 0, -1);

    /** Bytes served. */
    public long length() {
      return last - first + 1;
    }

    /** The Content-Range value (RFC 9110 14.4). */
    public String contentRange(long completeLength) {
      return kind == Kind.PARTIAL
          ? "bytes " + first + "-" + last + "/" + completeLength
          : "bytes */" + completeLength;
    }
  }

  /**
   * Reads a Range header (RFC 9110 14.1.2): {@code bytes=first-last}, {@code bytes=first-} or the
   * suffix {@code bytes=-n}; the unit is case-insensitive, whitespace around the range is allowed.
   * A last position past the end is cut to the end; a first position at or past the end, or a
   * suffix of zero bytes, is unsatisfiable (14.1.1); last before first is invalid and ignored.
   *
   * @param value the Range header, or null
   */
  public static Range parse(String value, long length) {
    if (value == null) {
      return Range.FULL;
    }
    String v = value.trim();
    int eq = v.indexOf('=');
    if (eq < 0 || !v.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
      return Range.FULL;
    }
    String spec = v.substring(eq + 1).trim();
    if (spec.indexOf(',') >= 0) {
      return Range.FULL; // several ranges: the whole object instead of multipart/byteranges
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return Range.FULL;
    }
    long first = digits(spec.substring(0, dash).trim());
    String lastText = spec.substring(dash + 1).trim();
    if (dash == 0 || spec.substring(0, dash).isBlank()) {
      long suffix = digits(lastText);
      if (suffix < 0) {
        return Range.FULL;
      }
      if (suffix == 0 || length == 0) {
        return Range.UNSATISFIABLE;
      }
      return new Range(Kind.PARTIAL, Math.max(0, length - suffix), length - 1);
    }
    if (first < 0) {
      return Range.FULL;
    }
    long last;
    if (lastText.isEmpty()) {
      last = length - 1;
    } else {
      last = digits(lastText);
      if (last < 0 || last < first) {
        return Range.FULL; // invalid: ignored (RFC 9110 14.1.1)
      }
    }
    if (first >= length) {
      return Range.UNSATISFIABLE;
    }
    return new Range(Kind.PARTIAL, first, Math.min(last, length - 1));
  }

  /** 1*DIGIT as a long; -1 when empty, not digits, or too long to matter. */
  private static long digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /**
   * Whether an If-Range condition holds for the stored response (RFC 9110 13.1.5): an entity tag
   * must match the stored ETag by strong comparison (a weak tag never matches); a date must equal
   * the stored Last-Modified exactly. When it does not hold, the Range is ignored and the whole
   * object sent. No If-Range: true.
   */
  public static boolean ifRangeHolds(String ifRange, ResponseHeaders stored, Instant reference) {
    if (ifRange == null) {
      return true;
    }
    String v = ifRange.trim();
    if (v.startsWith("\"") || v.startsWith("W/")) {
      String etag = stored.get("etag");
      return !v.startsWith("W/")
          && etag != null
          && !etag.trim().startsWith("W/")
          && etag.trim().equals(v);
    }
    Instant date = HttpDates.parse(v, reference);
    Instant lastModified = HttpDates.parse(stored.get("last-modified"), reference);
    return date != null && date.equals(lastModified);
  }
}
