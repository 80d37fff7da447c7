package io.bulwark.waf.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Byte strings. The engine inspects bytes, as AWS WAF does, but keeps them in Java strings where
 * each char is one byte (0-255): ISO-8859-1 round-trips every byte, transformations work on bytes,
 * and search strings are turned into the same form (their UTF-8 bytes) when a rule is loaded.
 */
public final class Text {
  private Text() {}

  /** The UTF-8 bytes of {@code s}, one char per byte. */
  public static String bytesOf(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return s;
    }
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** Bytes as a byte string. */
  public static String of(byte[] bytes, int len) {
    return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
  }

  /** Appends a code point as UTF-8 bytes (one char per byte). */
  static void appendUtf8(StringBuilder sb, int cp) {
    if (cp < 0x80) {
      sb.append((char) cp);
    } else if (cp < 0x800) {
      sb.append((char) (0xc0 | (cp >> 6)));
      sb.append((char) (0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      sb.append((char) (0xe0 | (cp >> 12)));
      sb.append((char) (0x80 | ((cp >> 6) & 0x3f)));
      sb.append((char) (0x80 | (cp & 0x3f)));
    } else if (cp <= 0x10ffff) {
      sb.append((char) (0xf0 | (cp >> 18)));
      sb.append((char) (0x80 | ((cp >> 12) & 0x3f)));
      sb.append((char) (0x80 | ((cp >> 6) & 0x3f)));
      sb.append((char) (0x80 | (cp & 0x3f)));
    }
  }

  static int hex(char c) {
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

  static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }

  static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }

  /** {@code s} with A-Z lower-cased; {@code s} itself when it has none. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * A 64-bit hash of every char of a byte string, read eight at a time (about twice as fast as
   * {@link String#hashCode} on header values). A char above 0xff counts as '?': equal hashes are
   * always confirmed by comparing the strings.
   */
  static long hash(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    int n = b.length;
    long h = n * 0x9E3779B97F4A7C15L;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      h = (h ^ (long) LONGS.get(b, i)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 29;
    }
    long tail = 0;
    for (; i < n; i++) {
      tail = (tail << 8) | (b[i] & 0xff);
    }
    h = (h ^ tail) * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }

  static String asciiLower(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return lowerFrom(s, i);
      }
    }
    return s;
  }

  private static String lowerFrom(String s, int first) {
    int n = s.length();
    byte[] b = new byte[n]; // a byte string's chars are bytes; else chars, below
    for (int j = 0; j < n; j++) {
      char c = s.charAt(j);
      if (c > 0xff) {
        char[] a = s.toCharArray();
        for (int k = first; k < n; k++) {
          a[k] = lower(a[k]);
        }
        return new String(a);
      }
      b[j] = (byte) lower(c);
    }
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
