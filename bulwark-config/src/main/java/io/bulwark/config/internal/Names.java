package io.bulwark.config.internal;

import java.util.regex.Pattern;

/**
 * Syntax of the names a configuration holds: ids and host names (header names: {@link
 * io.bulwark.config.HeaderNames}).
 */
public final class Names {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  private Names() {}

  /** An id: a letter or digit, then letters, digits, '.', '_' or '-'; at most 128 characters. */
  public static boolean isId(String s) {
    return ID.matcher(s).matches();
  }

  /** A lower-case DNS name or IPv4 address (labels of letters, digits, '-', '_'). */
  public static boolean isHostName(String s) {
    if (s.isEmpty() || s.length() > 253 || s.endsWith(".")) {
      return false;
    }
    for (String label : s.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /** An IPv6 literal without brackets (syntax check only: hex digits, ':' and '.'). */
  public static boolean isIpv6(String s) {
    return IPV6.matcher(s).matches() && s.indexOf(':') >= 0;
  }
}
