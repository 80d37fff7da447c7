package io.bulwark.waf.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP literal parsing that never resolves a name (InetAddress.getByName would query DNS). */
public final class Ips {
  private Ips() {}

  /** The address written in {@code s}, or null when it is not an IPv4 or IPv6 literal. */
  public static InetAddress parseLiteral(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    if (t.isEmpty() || t.length() > 45) {
      return null;
    }
    if (t.indexOf(':') < 0) {
      byte[] b = parseV4(t);
      if (b == null) {
        return null;
      }
      try {
        return InetAddress.getByAddress(b);
      } catch (UnknownHostException e) {
        return null;
      }
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!(Text.hex(c) >= 0 || c == ':' || c == '.')) {
        return null;
      }
    }
    try {
      // Only hex digits, ':' and '.': getByName parses this as a literal and never looks it up.
      return InetAddress.getByName(t);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static byte[] parseV4(String t) {
    String[] parts = t.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) {
        return null;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      b[i] = (byte) v;
    }
    return b;
  }
}
