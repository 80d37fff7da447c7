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
 * (RFC 9111 5.3 says it means "already expired"), not an error.
 *
 * <p>The grammar is followed exactly, because a value read "generously" can make an Expires the
 * origin meant as invalid (so already expired) into a date in the future, and the response is then
 * served from the cache for years: one space between the parts (a run of spaces is invalid), the
 * zone {@code GMT} only ({@code UTC} or any other zone is invalid), a four-digit year in an
 * IMF-fixdate, two-digit hours, minutes and seconds, a weekday name of the right form (short in
 * IMF-fixdate and asctime, long in rfc850). Two tolerances remain, as most recipients have them:
 * weekday, month and zone names are compared ignoring case, and the day of the month may have one
 * digit. The weekday is not checked against the date.
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
    String v = value.trim();
    int comma = v.indexOf(',');
    if (comma < 0) {
      return asctime(v);
    }
    // IMF-fixdate or rfc850-date: exactly one space after the comma and between the parts.
    if (comma + 1 >= v.length() || v.charAt(comma + 1) != ' ') {
      return null;
    }
    String dayName = v.substring(0, comma);
    String[] t = v.substring(comma + 2).split(" ", -1);
    if (t.length == 5 && isShortDay(dayName) && isGmt(t[4])) {
      return build(year4(t[2]), month(t[1]), number(t[0], 1, 2), t[3]);
    }
    if (t.length == 3 && isLongDay(dayName) && isGmt(t[2])) {
      String[] d = t[0].split("-", -1);
      if (d.length != 3) {
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
      return build(year, month(d[1]), number(d[0], 1, 2), t[1]);
    }
    return null;
  }

  /**
   * asctime-date: {@code Sun Nov 6 08:49:37 1994}, the day of the month two digits or a space and
   * one digit ({@code Nov 16}, {@code Nov 6}); {@code Nov 6} is taken too.
   */
  private static Instant asctime(String v) {
    String[] t = v.split(" ", -1);
    String day;
    if (t.length == 6 && t[2].isEmpty() && t[3].length() == 1) {
      day = t[3];
      t = new String[] {t[0], t[1], day, t[4], t[5]};
    } else if (t.length != 5) {
      return null;
    }
    if (!isShortDay(t[0])) {
      return null;
    }
    return build(year4(t[4]), month(t[1]), number(t[2], 1, 2), t[3]);
  }

  private static final String[] LONG_DAYS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
  };

  private static boolean isShortDay(String s) {
    for (String d : DAYS) {
      if (d.equalsIgnoreCase(s)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLongDay(String s) {
    for (String d : LONG_DAYS) {
      if (d.equalsIgnoreCase(s)) {
        return true;
      }
    }
    return false;
  }

  /** RFC 9110 5.6.7: {@code GMT} (case aside); UTC, +0000 and other zones are invalid. */
  private static boolean isGmt(String z) {
    return z.equalsIgnoreCase("GMT");
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
