package io.bulwark.staticorigin.internal;

import java.util.Locale;

/**
 * The decision for a {@code Range} header over a representation of a known length (RFC 9110 section
 * 14). Only single byte ranges are served as 206: a request for several ranges gets the whole
 * representation as 200, which section 14.2 allows ("a server MAY ignore the Range header field")
 * and which spares every client a multipart/byteranges parser. A syntactically invalid Range is
 * ignored the same way; a well-formed one that selects nothing is 416.
 */
public final class ByteRanges {

  public enum Kind {
    /** Serve the whole representation (no Range, ignored, or several ranges). */
    FULL,
    /** Serve bytes first..last (inclusive) as 206. */
    PARTIAL,
    /** 416 with {@code Content-Range: bytes *}{@code /length}. */
    UNSATISFIABLE
  }

  /** A decision; {@code first} and {@code last} are inclusive and only meaningful for PARTIAL. */
  public record Decision(Kind kind, long first, long last) {
    public long length() {
      return last - first + 1;
    }

    /** The Content-Range value: {@code bytes 0-99/1000}, or {@code bytes *}{@code /1000}. */
    public String contentRange(long total) {
      return kind == Kind.PARTIAL
          ? "bytes " + first + "-" + last + "/" + total
          : "bytes */" + total;
    }
  }

  private static final Decision FULL = new Decision(Kind.FULL, 0, -1);
  private static final Decision UNSATISFIABLE = new Decision(Kind.UNSATISFIABLE, 0, -1);

  private ByteRanges() {}

  /**
   * @param range the Range header value, or null
   * @param length the representation's length in bytes
   */
  public static Decision decide(String range, long length) {
    if (range == null) {
      return FULL;
    }
    String value = range.trim();
    int equals = value.indexOf('=');
    if (equals < 0 || !value.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
      return FULL; // an unknown range unit is ignored
    }
    String set = value.substring(equals + 1);
    String spec = null;
    for (String part : set.split(",", -1)) {
      if (part.isBlank()) {
        continue; // RFC 9110 section 5.6.1: empty list elements are ignored
      }
      if (spec != null) {
        return FULL; // several ranges: answer the whole representation
      }
      spec = part.trim();
    }
    if (spec == null) {
      return FULL;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return FULL;
    }
    String firstText = spec.substring(0, dash);
    String lastText = spec.substring(dash + 1);
    if (firstText.isEmpty()) {
      long suffix = digits(lastText);
      if (suffix < 0) {
        return FULL;
      }
      if (suffix == 0 || length == 0) {
        return UNSATISFIABLE;
      }
      return new Decision(Kind.PARTIAL, Math.max(0, length - suffix), length - 1);
    }
    long first = digits(firstText);
    if (first < 0) {
      return FULL;
    }
    long last;
    if (lastText.isEmpty()) {
      last = Long.MAX_VALUE;
    } else {
      last = digits(lastText);
      if (last < 0 || last < first) {
        return FULL; // invalid: ignored, not unsatisfiable
      }
    }
    if (first >= length) {
      return UNSATISFIABLE;
    }
    return new Decision(Kind.PARTIAL, first, Math.min(last, length - 1));
  }

  /** Parses 1*DIGIT, saturating at Long.MAX_VALUE; -1 when not all digits. */
  private static long digits(String text) {
    if (text.isEmpty()) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      if (value > (Long.MAX_VALUE - (c - '0')) / 10) {
        value = Long.MAX_VALUE;
      } else {
        value = value * 10 + (c - '0');
      }
    }
    return value;
  }
}
