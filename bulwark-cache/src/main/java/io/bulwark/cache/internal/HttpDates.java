package io.bulwark.cache.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * Parses HTTP-date values (RFC 9110 5.6.7): the preferred IMF-fixdate ({@code Sun, 06 Nov 1994
 * 08:49:37 GMT}) and the two obsolete forms recipients must accept, rfc850-date ({@code Sunday,
 * 06-Nov-94 08:49:37 GMT}) and asctime-date ({@code Sun Nov 6 08:49:37 1994}).
 *
 * <p>An unparseable value gives null, never an exception: an invalid Expires is an ordinary input
 * (RFC 9111 5.3 says it means "already expired"), not an error. The weekday is not checked against
 * the date; runs of spaces are accepted.
 */
public final class HttpDates {
  private static final String[] MONTHS = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
  };

  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] MONTH_NAMES = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private HttpDates() {}

  /**
   * The instant as an IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}, RFC 9110 5.6.7), the only
   * form a sender may generate. Whole seconds; years before 1000 or after 9999 are not expected.
   */
  public static String format(Instant instant) {
    java.time.OffsetDateTime t = instant.atOffset(ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(29);
    sb.append(DAYS[t.getDayOfWeek().getValue() - 1]).append(", ");
    two(sb, t.getDayOfMonth()).append(' ');
    sb.append(MONTH_NAMES[t.getMonthValue() - 1]).append(' ');
    sb.append(t.getYear()).append(' ');
    two(sb, t.getHour()).append(':');
    two(sb, t.getMinute()).append(':');
    two(sb, t.getSecond()).append(" GMT");
    return sb.toString();
  }

  private static StringBuilder two(StringBuilder sb, int v) {
    return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  /**
   * The instant, or null when {@code value} is not an HTTP-date.
   *
   * @param reference the time the message was received: a two-digit rfc850 year that would be more
   *     than 50 years after it is read as the most recent past year with those digits (RFC 9110
   *     5.6.7)
   */
  public static Instant parse(String value, Instant reference) {
    if (value == null) {
      return null;
    }
    String[] t = value.trim().split("[ \t]+");
    if (t.length == 6 && t[0].endsWith(",") && isZone(t[5])) {
      return build(year4(t[3]), month(t[2]), number(t[1], 1, 2), t[4]);
    }
    if (t.length == 4 && t[0].endsWith(",") && isZone(t[3])) {
      String[] d = t[1].split("-");
      if (d.length != 3 || d[2].length() != 2) {
        return null;
      }
      int yy = number(d[2], 2, 2);
      if (yy < 0) {
        return null;
      }
      int refYear = reference.atOffset(ZoneOffset.UTC).getYear();
      int year = (refYear / 100) * 100 + yy;
      if (year > refYear + 50) {
        year -= 100;
      }
      return build(year, month(d[1]), number(d[0], 1, 2), t[2]);
    }
    if (t.length == 5) {
      return build(year4(t[4]), month(t[1]), number(t[2], 1, 2), t[3]);
    }
    return null;
  }

  private static boolean isZone(String z) {
    return z.equals("GMT") || z.equals("UTC");
  }

  private static Instant build(int year, int month, int day, String time) {
    if (year < 0 || month < 0 || day < 1) {
      return null;
    }
    String[] hms = time.split(":");
    if (hms.length != 3) {
      return null;
    }
    int h = number(hms[0], 2, 2);
    int m = number(hms[1], 2, 2);
    int s = number(hms[2], 2, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) {
      return null;
    }
    if (year < Year.MIN_VALUE || day > YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    return LocalDateTime.of(year, month, day, h, m, Math.min(s, 59)).toInstant(ZoneOffset.UTC);
  }

  private static int year4(String s) {
    return number(s, 4, 4);
  }

  /** 1-based month from a case-insensitive three-letter name, or -1. */
  private static int month(String s) {
    if (s.length() != 3) {
      return -1;
    }
    for (int i = 0; i < MONTHS.length; i++) {
      if (MONTHS[i].equalsIgnoreCase(s)) {
        return i + 1;
      }
    }
    return -1;
  }

  /** A non-negative decimal of minDigits..maxDigits digits, or -1. */
  private static int number(String s, int minDigits, int maxDigits) {
    if (s.length() < minDigits || s.length() > maxDigits) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
