package io.bulwark.cache.internal;

import io.bulwark.cache.HeaderSource;
import io.bulwark.config.KeyFields;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Appends the selected parts of a request to a cache key being built. One {@link StringBuilder} per
 * key and no other allocation on the common paths (whitelists of plain names); the rare paths
 * (percent-encoded parameter names, all-headers policies) allocate what they need.
 *
 * <p>Encoding, chosen so that no two different selections produce the same string: host and path
 * are separated by a space (neither may contain one in a valid request), the query by {@code ?};
 * each header and cookie is a line {@code "\nh name=LEN:value"} / {@code "\nc name=LEN:value"},
 * where LEN is the value's length, so a value cannot forge a following field whatever it contains;
 * the Accept-Encoding token is last ({@code "\nae br"}).
 */
public final class KeyEncoder {
  private KeyEncoder() {}

  /** Appends the lower-cased host (ASCII case-folded without allocating). */
  public static void appendLowerCase(StringBuilder sb, String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
  }

  /**
   * Appends the selected query parameters in the viewer's order and raw encoding. Parameters are
   * separated by {@code &} only. A parameter's name is compared with the policy's names after
   * percent-decoding ({@code %70age} is {@code page}, {@code +} is a space): otherwise a viewer
   * could send a parameter the origin decodes and reads but the key ignores, and poison the object
   * every other viewer gets. Empty segments ({@code a=1&&b=2}) are dropped.
   */
  public static void appendQuery(StringBuilder sb, KeyFields fields, String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return;
    }
    KeyFields.Behavior behavior = fields.behavior();
    if (behavior == KeyFields.Behavior.NONE) {
      return;
    }
    if (behavior == KeyFields.Behavior.ALL) {
      sb.append('?').append(rawQuery);
      return;
    }
    boolean whitelist = behavior == KeyFields.Behavior.WHITELIST;
    boolean first = true;
    int n = rawQuery.length();
    int start = 0;
    while (start <= n) {
      int end = rawQuery.indexOf('&', start);
      if (end < 0) {
        end = n;
      }
      if (end > start) {
        int eq = rawQuery.indexOf('=', start);
        int nameEnd = eq < 0 || eq > end ? end : eq;
        // WHITELIST keeps listed names, ALL_EXCEPT keeps the others.
        if (whitelist == listed(fields.items(), rawQuery, start, nameEnd)) {
          sb.append(first ? '?' : '&').append(rawQuery, start, end);
          first = false;
        }
      }
      start = end + 1;
    }
  }

  private static boolean listed(List<String> names, String s, int from, int to) {
    boolean encoded = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+') {
        encoded = true;
        break;
      }
    }
    if (encoded) {
      return names.contains(percentDecode(s, from, to));
    }
    int len = to - from;
    for (int i = 0, k = names.size(); i < k; i++) {
      String name = names.get(i);
      if (name.length() == len && s.regionMatches(from, name, 0, len)) {
        return true;
      }
    }
    return false;
  }

  /** Decodes %XX (UTF-8) and '+'; a malformed escape is kept literally. */
  static String percentDecode(String s, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%' && i + 2 < to && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /**
   * Appends the selected headers. A whitelist is read in the policy's order; all / all-except read
   * every name the viewer sent, lower-cased and sorted, so the order of header lines does not split
   * the cache. {@code cookie} and {@code accept-encoding} are never taken here: cookies have their
   * own dimension and Accept-Encoding is always keyed in normalised form.
   */
  public static void appendHeaders(StringBuilder sb, KeyFields fields, HeaderSource headers) {
    KeyFields.Behavior behavior = fields.behavior();
    if (behavior == KeyFields.Behavior.NONE) {
      return;
    }
    if (behavior == KeyFields.Behavior.WHITELIST) {
      List<String> items = fields.items();
      for (int i = 0, k = items.size(); i < k; i++) {
        appendHeader(sb, items.get(i), headers);
      }
      return;
    }
    TreeSet<String> names = new TreeSet<>();
    for (String name : headers.names()) {
      names.add(name.toLowerCase(Locale.ROOT));
    }
    for (String name : names) {
      if (fields.includes(name)) {
        appendHeader(sb, name, headers);
      }
    }
  }

  private static void appendHeader(StringBuilder sb, String name, HeaderSource headers) {
    if (name.equals("cookie") || name.equals("accept-encoding") || name.startsWith(":")) {
      return;
    }
    List<String> values = headers.getAll(name);
    if (values == null) {
      return;
    }
    for (int i = 0, k = values.size(); i < k; i++) {
      String v = values.get(i);
      sb.append("\nh ").append(name).append('=').append(v.length()).append(':').append(v);
    }
  }

  /**
   * Appends the selected cookies, parsed from every Cookie header (RFC 6265 5.4 syntax, read
   * leniently as browsers send it): pairs split on {@code ;}, whitespace trimmed, the name up to
   * the first {@code =}; a pair without {@code =} has an empty name (RFC 6265bis 5.6). Names match
   * case-sensitively; cookies are kept in the viewer's order, duplicates included.
   */
  public static void appendCookies(StringBuilder sb, KeyFields fields, HeaderSource headers) {
    if (fields.behavior() == KeyFields.Behavior.NONE) {
      return;
    }
    List<String> cookieHeaders = headers.getAll("cookie");
    if (cookieHeaders == null) {
      return;
    }
    for (int h = 0, nh = cookieHeaders.size(); h < nh; h++) {
      String s = cookieHeaders.get(h);
      int n = s.length();
      int start = 0;
      while (start < n) {
        int end = s.indexOf(';', start);
        if (end < 0) {
          end = n;
        }
        int eq = s.indexOf('=', start);
        if (eq > end) {
          eq = -1;
        }
        int nameFrom = start;
        int nameTo = eq < 0 ? start : eq;
        int valueFrom = eq < 0 ? start : eq + 1;
        int valueTo = end;
        nameFrom = skipOws(s, nameFrom, nameTo);
        nameTo = trimOws(s, nameFrom, nameTo);
        valueFrom = skipOws(s, valueFrom, valueTo);
        valueTo = trimOws(s, valueFrom, valueTo);
        if ((nameTo > nameFrom || valueTo > valueFrom) && included(fields, s, nameFrom, nameTo)) {
          sb.append("\nc ")
              .append(s, nameFrom, nameTo)
              .append('=')
              .append(valueTo - valueFrom)
              .append(':')
              .append(s, valueFrom, valueTo);
        }
        start = end + 1;
      }
    }
  }

  private static boolean included(KeyFields fields, String s, int from, int to) {
    return switch (fields.behavior()) {
      case ALL -> true;
      case WHITELIST -> contains(fields.items(), s, from, to);
      case ALL_EXCEPT -> !contains(fields.items(), s, from, to);
      case NONE -> false;
    };
  }

  private static boolean contains(List<String> names, String s, int from, int to) {
    int len = to - from;
    for (int i = 0, k = names.size(); i < k; i++) {
      String name = names.get(i);
      if (name.length() == len && s.regionMatches(from, name, 0, len)) {
        return true;
      }
    }
    return false;
  }

  private static int skipOws(String s, int from, int to) {
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    return from;
  }

  private static int trimOws(String s, int from, int to) {
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return to;
  }
}
