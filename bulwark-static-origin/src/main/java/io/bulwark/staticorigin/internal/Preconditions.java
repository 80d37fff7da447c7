package io.bulwark.staticorigin.internal;

import io.netty.handler.codec.DateFormatter;
import java.time.Instant;
import java.util.Date;

/**
 * Conditional requests (RFC 9110 section 13) for a file with a strong entity tag and a modification
 * time, evaluated in the order of section 13.2.2: If-Match, else If-Unmodified-Since; then
 * If-None-Match, else If-Modified-Since; and, for a range request, If-Range. Pure: header values
 * in, outcome out.
 */
public final class Preconditions {

  public enum Outcome {
    /** Send the representation (or the range). */
    PROCEED,
    /** 304 Not Modified. */
    NOT_MODIFIED,
    /** 412 Precondition Failed. */
    PRECONDITION_FAILED
  }

  private Preconditions() {}

  /**
   * The entity tag of a file: strong (the bytes change whenever it changes, because a file that is
   * rewritten changes size, modification time or inode), quoted, from size, modification time in
   * nanoseconds and the file key (device and inode on Linux, when available).
   */
  public static String entityTag(long size, Instant modified, Object fileKey) {
    long nanos = modified.getEpochSecond() * 1_000_000_000L + modified.getNano();
    String tag = Long.toHexString(size) + "-" + Long.toHexString(nanos);
    if (fileKey != null) {
      tag += "-" + Integer.toHexString(fileKey.hashCode());
    }
    return '"' + tag + '"';
  }

  /**
   * @param getOrHead whether the method is GET or HEAD (a failed If-None-Match is then 304)
   * @param etag the file's strong entity tag, quoted
   * @param modified the file's modification time
   * @param ifMatch header values or null, likewise below
   */
  public static Outcome evaluate(
      boolean getOrHead,
      String etag,
      Instant modified,
      String ifMatch,
      String ifUnmodifiedSince,
      String ifNoneMatch,
      String ifModifiedSince) {
    long modifiedSecond = modified.getEpochSecond();
    if (ifMatch != null) {
      if (!matchesAny(ifMatch, etag, true)) {
        return Outcome.PRECONDITION_FAILED;
      }
    } else if (ifUnmodifiedSince != null) {
      Instant since = parseDate(ifUnmodifiedSince);
      if (since != null && modifiedSecond > since.getEpochSecond()) {
        return Outcome.PRECONDITION_FAILED;
      }
    }
    if (ifNoneMatch != null) {
      if (matchesAny(ifNoneMatch, etag, false)) {
        return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
      }
    } else if (ifModifiedSince != null && getOrHead) {
      Instant since = parseDate(ifModifiedSince);
      if (since != null && modifiedSecond <= since.getEpochSecond()) {
        return Outcome.NOT_MODIFIED;
      }
    }
    return Outcome.PROCEED;
  }

  /**
   * Whether a Range may be honoured under If-Range (section 13.1.5): an entity tag must match
   * strongly; a date must equal the modification time exactly (to the second). Anything else,
   * including a weak tag or an unparseable date, means "send the whole representation".
   */
  public static boolean ifRangeHolds(String ifRange, String etag, Instant modified) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.trim();
    if (value.startsWith("\"") || value.startsWith("W/")) {
      return value.equals(etag) && !etag.startsWith("W/");
    }
    Instant date = parseDate(value);
    return date != null && date.getEpochSecond() == modified.getEpochSecond();
  }

  /**
   * Whether a list of entity tags ({@code "*"} or comma-separated, possibly weak) matches {@code
   * etag}, by strong or weak comparison (section 8.8.3.2). A malformed list matches what was parsed
   * before the error.
   */
  public static boolean matchesAny(String list, String etag, boolean strong) {
    String value = list.trim();
    if (value.equals("*")) {
      return true;
    }
    boolean ourWeak = etag.startsWith("W/");
    String ourOpaque = ourWeak ? etag.substring(2) : etag;
    int i = 0;
    int n = value.length();
    while (i < n) {
      char c = value.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
        continue;
      }
      boolean weak = false;
      if (c == 'W' && i + 1 < n && value.charAt(i + 1) == '/') {
        weak = true;
        i += 2;
      }
      if (i >= n || value.charAt(i) != '"') {
        return false;
      }
      int close = value.indexOf('"', i + 1);
      if (close < 0) {
        return false;
      }
      String opaque = value.substring(i, close + 1);
      if (opaque.equals(ourOpaque) && (!strong || (!weak && !ourWeak))) {
        return true;
      }
      i = close + 1;
    }
    return false;
  }

  /** An HTTP-date in any of the three formats of RFC 9110 section 5.6.7, or null. */
  public static Instant parseDate(String value) {
    Date date = DateFormatter.parseHttpDate(value.trim());
    return date == null ? null : date.toInstant();
  }

  /** The IMF-fixdate form of an instant (seconds precision). */
  public static String formatDate(Instant instant) {
    return DateFormatter.format(Date.from(instant));
  }
}
