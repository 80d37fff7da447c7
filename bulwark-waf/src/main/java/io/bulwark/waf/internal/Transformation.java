package io.bulwark.waf.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The AWS WAF text transformations, applied to a byte string (see {@link Text}) before a statement
 * inspects it. Each is total: malformed input is left as it is rather than failing, so an attacker
 * cannot make a transformation throw. Every transformation is linear in its input.
 */
public enum Transformation {
  NONE {
    @Override
    String apply(String s) {
      return s;
    }
  },
  LOWERCASE {
    @Override
    String apply(String s) {
      return Text.asciiLower(s);
    }
  },
  COMPRESS_WHITE_SPACE {
    @Override
    String apply(String s) {
      boolean change = false;
      for (int i = 0; i < s.length() && !change; i++) {
        char c = s.charAt(i);
        change = isSpace(c) && (c != ' ' || i + 1 < s.length() && isSpace(s.charAt(i + 1)));
      }
      if (!change) {
        return s;
      }
      StringBuilder sb = new StringBuilder(s.length());
      boolean inSpace = false;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (isSpace(c)) {
          if (!inSpace) {
            sb.append(' ');
          }
          inSpace = true;
        } else {
          sb.append(c);
          inSpace = false;
        }
      }
      return sb.toString();
    }
  },
  HTML_ENTITY_DECODE {
    @Override
    String apply(String s) {
      if (s.indexOf('&') < 0) {
        return s;
      }
      StringBuilder sb = new StringBuilder(s.length());
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != '&') {
          sb.append(c);
          i++;
          continue;
        }
        int consumed = decodeEntity(s, i, sb);
        if (consumed == 0) {
          sb.append(c);
          i++;
        } else {
          i += consumed;
        }
      }
      return sb.toString();
    }
  },
  URL_DECODE {
    @Override
    String apply(String s) {
      return urlDecode(s, false);
    }
  },
  URL_DECODE_UNI {
    @Override
    String apply(String s) {
      return urlDecode(s, true);
    }
  },
  CMD_LINE {
    @Override
    String apply(String s) {
      // The ModSecurity/AWS cmdLine rules: drop \ " ' ^, drop spaces before / and (, turn , and ;
      // into spaces, collapse white space, lower-case. Defeats c^a"t /e't'c/pa\ss\wd.
      StringBuilder sb = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = Text.lower(s.charAt(i));
        switch (c) {
          case '\\', '"', '\'', '^' -> {}
          case ',', ';', ' ', '\t', '\n', '\r', '\f', 0x0b -> {
            if (sb.length() == 0 || sb.charAt(sb.length() - 1) != ' ') {
              sb.append(' ');
            }
          }
          case '/', '(' -> {
            while (sb.length() > 0 && sb.charAt(sb.length() - 1) == ' ') {
              sb.setLength(sb.length() - 1);
            }
            sb.append(c);
          }
          default -> sb.append(c);
        }
      }
      return sb.toString();
    }
  },
  BASE64_DECODE {
    @Override
    String apply(String s) {
      return base64(s, false);
    }
  },
  BASE64_DECODE_EXT {
    @Override
    String apply(String s) {
      return base64(s, true);
    }
  },
  HEX_DECODE {
    @Override
    String apply(String s) {
      if (s.isEmpty() || s.length() % 2 != 0) {
        return s;
      }
      StringBuilder sb = new StringBuilder(s.length() / 2);
      for (int i = 0; i < s.length(); i += 2) {
        int hi = Text.hex(s.charAt(i));
        int lo = Text.hex(s.charAt(i + 1));
        if (hi < 0 || lo < 0) {
          return s;
        }
        sb.append((char) (hi * 16 + lo));
      }
      return sb.toString();
    }
  },
  JS_DECODE {
    @Override
    String apply(String s) {
      return escapes(s, true);
    }
  },
  CSS_DECODE {
    @Override
    String apply(String s) {
      if (s.indexOf('\\') < 0) {
        return s;
      }
      StringBuilder sb = new StringBuilder(s.length());
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != '\\' || i + 1 >= s.length()) {
          sb.append(c);
          i++;
          continue;
        }
        int j = i + 1;
        int cp = 0;
        while (j < s.length() && j - i - 1 < 6 && Text.hex(s.charAt(j)) >= 0) {
          cp = cp * 16 + Text.hex(s.charAt(j));
          j++;
        }
        if (j > i + 1) {
          Text.appendUtf8(sb, cp == 0 || cp > 0x10ffff ? 0xfffd : cp);
          if (j < s.length() && isSpace(s.charAt(j))) {
            j++;
          }
          i = j;
        } else if (s.charAt(i + 1) == '\n') {
          i += 2; // an escaped newline is a line continuation
        } else {
          sb.append(s.charAt(i + 1));
          i += 2;
        }
      }
      return sb.toString();
    }
  },
  ESCAPE_SEQ_DECODE {
    @Override
    String apply(String s) {
      return escapes(s, false);
    }
  },
  SQL_HEX_DECODE {
    @Override
    String apply(String s) {
      int x = indexOfHexLiteral(s, 0);
      if (x < 0) {
        return s;
      }
      StringBuilder sb = new StringBuilder(s.length());
      int i = 0;
      while (x >= 0) {
        sb.append(s, i, x);
        int j = x + 2;
        while (j + 1 < s.length() && Text.hex(s.charAt(j)) >= 0 && Text.hex(s.charAt(j + 1)) >= 0) {
          sb.append((char) (Text.hex(s.charAt(j)) * 16 + Text.hex(s.charAt(j + 1))));
          j += 2;
        }
        i = j;
        x = indexOfHexLiteral(s, i);
      }
      sb.append(s, i, s.length());
      return sb.toString();
    }
  },
  REPLACE_COMMENTS {
    @Override
    String apply(String s) {
      int start = s.indexOf("/*");
      if (start < 0) {
        return s;
      }
      StringBuilder sb = new StringBuilder(s.length());
      int i = 0;
      while (start >= 0) {
        sb.append(s, i, start).append(' ');
        int end = s.indexOf("*/", start + 2);
        if (end < 0) {
          return sb.toString();
        }
        i = end + 2;
        start = s.indexOf("/*", i);
      }
      sb.append(s, i, s.length());
      return sb.toString();
    }
  },
  REMOVE_NULLS {
    @Override
    String apply(String s) {
      return s.indexOf('\0') < 0 ? s : s.replace("\0", "");
    }
  },
  REPLACE_NULLS {
    @Override
    String apply(String s) {
      return s.replace('\0', ' ');
    }
  },
  NORMALIZE_PATH {
    @Override
    String apply(String s) {
      return normalizePath(s);
    }
  },
  NORMALIZE_PATH_WIN {
    @Override
    String apply(String s) {
      return normalizePath(s.replace('\\', '/'));
    }
  },
  UTF8_TO_UNICODE {
    @Override
    String apply(String s) {
      StringBuilder sb = null;
      int i = 0;
      while (i < s.length()) {
        char c = s.charAt(i);
        int len = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 1;
        if (c < 0x80 || len == 1 || i + len > s.length()) {
          if (sb != null) {
            sb.append(c);
          }
          i++;
          continue;
        }
        int cp = len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
        boolean ok = true;
        for (int k = 1; k < len; k++) {
          char d = s.charAt(i + k);
          if ((d & 0xc0) != 0x80) {
            ok = false;
            break;
          }
          cp = (cp << 6) | (d & 0x3f);
        }
        if (sb == null) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        if (!ok) {
          sb.append(c);
          i++;
          continue;
        }
        sb.append("%u").append(String.format("%04x", cp));
        i += len;
      }
      return sb == null ? s : sb.toString();
    }
  },
  MD5 {
    @Override
    String apply(String s) {
      try {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.ISO_8859_1));
        return new String(d, StandardCharsets.ISO_8859_1);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has MD5", e);
      }
    }
  };

  abstract String apply(String s);

  /** Applies this transformation to a byte string. */
  public String transform(String s) {
    return apply(s);
  }

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b || c == 0xa0;
  }

  private static final Map<String, Integer> NAMED =
      Map.ofEntries(
          Map.entry("quot", 34),
          Map.entry("amp", 38),
          Map.entry("apos", 39),
          Map.entry("lt", 60),
          Map.entry("gt", 62),
          Map.entry("nbsp", 160),
          Map.entry("lpar", 40),
          Map.entry("rpar", 41),
          Map.entry("colon", 58),
          Map.entry("sol", 47),
          Map.entry("bsol", 92),
          Map.entry("semi", 59),
          Map.entry("equals", 61),
          Map.entry("comma", 44),
          Map.entry("period", 46),
          Map.entry("excl", 33),
          Map.entry("num", 35),
          Map.entry("tab", 9),
          Map.entry("newline", 10),
          Map.entry("grave", 96),
          Map.entry("plus", 43),
          Map.entry("lsqb", 91),
          Map.entry("rsqb", 93),
          Map.entry("lcub", 123),
          Map.entry("rcub", 125));

  /** Decodes an entity at {@code s[i] == '&'}; returns chars consumed, 0 when not an entity. */
  private static int decodeEntity(String s, int i, StringBuilder out) {
    int n = s.length();
    if (i + 2 < n && s.charAt(i + 1) == '#') {
      boolean hexForm = s.charAt(i + 2) == 'x' || s.charAt(i + 2) == 'X';
      int j = i + (hexForm ? 3 : 2);
      int start = j;
      long cp = 0;
      while (j < n && j - start < 8) {
        int d = hexForm ? Text.hex(s.charAt(j)) : Character.digit(s.charAt(j), 10);
        if (d < 0 || s.charAt(j) > 0x7f) {
          break;
        }
        cp = cp * (hexForm ? 16 : 10) + d;
        j++;
      }
      if (j == start) {
        return 0;
      }
      // Zero-padded forms such as &#0000060 carry more digits than the loop reads; skip them.
      while (j < n && (hexForm ? Text.hex(s.charAt(j)) >= 0 : Character.isDigit(s.charAt(j)))) {
        j++;
      }
      if (j < n && s.charAt(j) == ';') {
        j++;
      }
      Text.appendUtf8(out, cp > 0x10ffff ? 0xfffd : (int) cp);
      return j - i;
    }
    int j = i + 1;
    while (j < n && j - i <= 8 && Character.isLetter(s.charAt(j)) && s.charAt(j) < 0x80) {
      j++;
    }
    if (j == i + 1) {
      return 0;
    }
    Integer cp = NAMED.get(Text.asciiLower(s.substring(i + 1, j)));
    if (cp == null) {
      return 0;
    }
    if (j < n && s.charAt(j) == ';') {
      j++;
    }
    Text.appendUtf8(out, cp);
    return j - i;
  }

  private static String urlDecode(String s, boolean unicode) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '+') {
        sb.append(' ');
        i++;
      } else if (c == '%'
          && unicode
          && i + 5 < n
          && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
          && Text.hex(s.charAt(i + 2)) >= 0
          && Text.hex(s.charAt(i + 3)) >= 0
          && Text.hex(s.charAt(i + 4)) >= 0
          && Text.hex(s.charAt(i + 5)) >= 0) {
        int cp = Integer.parseInt(s.substring(i + 2, i + 6), 16);
        if (cp >= 0xff01 && cp <= 0xff5e) {
          cp -= 0xfee0; // full-width forms to ASCII, as IIS does
        }
        Text.appendUtf8(sb, cp);
        i += 6;
      } else if (c == '%'
          && i + 2 < n
          && Text.hex(s.charAt(i + 1)) >= 0
          && Text.hex(s.charAt(i + 2)) >= 0) {
        sb.append((char) (Text.hex(s.charAt(i + 1)) * 16 + Text.hex(s.charAt(i + 2))));
        i += 3;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  private static int b64(char c, boolean ext) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '+' || (ext && c == '-')) {
      return 62;
    }
    if (c == '/' || (ext && c == '_')) {
      return 63;
    }
    return -1;
  }

  /**
   * Base64 decoding. The strict form decodes only input made of the base64 alphabet (with optional
   * '=' padding) and leaves anything else unchanged; the extended form skips characters outside the
   * alphabet and accepts the URL-safe alphabet.
   */
  private static String base64(String s, boolean ext) {
    StringBuilder sb = new StringBuilder(s.length() * 3 / 4 + 2);
    int acc = 0;
    int bits = 0;
    int digits = 0;
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '=') {
      end--;
    }
    for (int i = 0; i < end; i++) {
      int v = b64(s.charAt(i), ext);
      if (v < 0) {
        if (ext) {
          continue;
        }
        return s;
      }
      digits++;
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        sb.append((char) ((acc >> bits) & 0xff));
      }
    }
    if (digits == 0 || (!ext && digits % 4 == 1)) {
      return s;
    }
    return sb.toString();
  }

  private static String escapes(String s, boolean js) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= n) {
        sb.append(c);
        i++;
        continue;
      }
      char e = s.charAt(i + 1);
      if (js && (e == 'u' || e == 'U') && i + 5 < n && hex4(s, i + 2)) {
        int cp = Integer.parseInt(s.substring(i + 2, i + 6), 16);
        if (cp >= 0xff01 && cp <= 0xff5e) {
          cp -= 0xfee0;
        }
        Text.appendUtf8(sb, cp);
        i += 6;
      } else if ((e == 'x' || e == 'X')
          && i + 3 < n
          && Text.hex(s.charAt(i + 2)) >= 0
          && Text.hex(s.charAt(i + 3)) >= 0) {
        sb.append((char) (Text.hex(s.charAt(i + 2)) * 16 + Text.hex(s.charAt(i + 3))));
        i += 4;
      } else if (e >= '0' && e <= '7') {
        int j = i + 1;
        int v = 0;
        while (j < n && j - i <= 3 && s.charAt(j) >= '0' && s.charAt(j) <= '7') {
          v = v * 8 + (s.charAt(j) - '0');
          j++;
        }
        sb.append((char) (v & 0xff));
        i = j;
      } else {
        switch (e) {
          case 'a' -> sb.append((char) 7);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'v' -> sb.append((char) 0x0b);
          default -> sb.append(e);
        }
        i += 2;
      }
    }
    return sb.toString();
  }

  private static boolean hex4(String s, int at) {
    for (int k = 0; k < 4; k++) {
      if (Text.hex(s.charAt(at + k)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static int indexOfHexLiteral(String s, int from) {
    for (int i = from; i + 3 < s.length(); i++) {
      if (s.charAt(i) == '0'
          && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
          && Text.hex(s.charAt(i + 2)) >= 0
          && Text.hex(s.charAt(i + 3)) >= 0
          && (i == 0 || !Text.isWordChar(s.charAt(i - 1)))) {
        return i;
      }
    }
    return -1;
  }

  private static String normalizePath(String s) {
    if (s.indexOf('/') < 0 && s.indexOf('.') < 0) {
      return s;
    }
    boolean absolute = s.startsWith("/");
    boolean trailing = s.endsWith("/") || s.endsWith("/.") || s.endsWith("/..");
    Deque<String> out = new ArrayDeque<>();
    for (String seg : s.split("/", -1)) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        if (!out.isEmpty() && !out.peekLast().equals("..")) {
          out.pollLast();
        } else if (!absolute) {
          out.addLast("..");
        }
        continue;
      }
      out.addLast(seg);
    }
    String joined = String.join("/", out);
    StringBuilder sb = new StringBuilder(joined.length() + 2);
    if (absolute) {
      sb.append('/');
    }
    sb.append(joined);
    if (trailing && !joined.isEmpty()) {
      sb.append('/');
    }
    return sb.toString();
  }
}
