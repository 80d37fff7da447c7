package io.bulwark.waf.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
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
      // The first white space that changes: one that is not a plain space, or a run's first.
      int n = s.length();
      int first = 0;
      while (first < n) {
        char c = s.charAt(first);
        if ((c <= ' ' || c == 0xa0)
            && isSpace(c)
            && (c != ' ' || first + 1 < n && isSpace(s.charAt(first + 1)))) {
          break;
        }
        first++;
      }
      if (first == n) {
        return s;
      }
      // The char before it is no white space (else that one would have been first).
      StringBuilder sb = new StringBuilder(n).append(s, 0, first);
      boolean inSpace = false;
      for (int i = first; i < n; i++) {
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
      int i = s.indexOf('&');
      if (i < 0) {
        return s;
      }
      // Built only once an entity decodes: a query string's "&name=" is no entity.
      StringBuilder sb = null;
      int copied = 0;
      while (i >= 0) {
        long entity = entity(s, i);
        if (entity == 0) {
          i = s.indexOf('&', i + 1);
          continue;
        }
        if (sb == null) {
          sb = new StringBuilder(s.length());
        }
        sb.append(s, copied, i);
        Text.appendUtf8(sb, (int) entity);
        i += (int) (entity >>> 32);
        copied = i;
        i = s.indexOf('&', i);
      }
      if (sb == null) {
        return s;
      }
      return sb.append(s, copied, s.length()).toString();
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
      if (cmdLineLeavesAlone(s)) {
        return s;
      }
      char[] out = new char[s.length()];
      int len = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = Text.lower(s.charAt(i));
        switch (c) {
          case '\\', '"', '\'', '^' -> {}
          case ',', ';', ' ', '\t', '\n', '\r', '\f', 0x0b -> {
            if (len == 0 || out[len - 1] != ' ') {
              out[len++] = ' ';
            }
          }
          case '/', '(' -> {
            while (len > 0 && out[len - 1] == ' ') {
              len--;
            }
            out[len++] = c;
          }
          default -> out[len++] = c;
        }
      }
      return new String(out, 0, len);
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
      for (int i = 0; i < s.length(); i++) {
        if (Text.hex(s.charAt(i)) < 0) {
          return s;
        }
      }
      StringBuilder sb = new StringBuilder(s.length() / 2);
      for (int i = 0; i < s.length(); i += 2) {
        sb.append((char) (Text.hex(s.charAt(i)) * 16 + Text.hex(s.charAt(i + 1))));
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
      // replace returns s itself when there is no '\\'
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
        String hex = Integer.toHexString(cp); // as "%04x" formats it
        sb.append("%u");
        for (int k = hex.length(); k < 4; k++) {
          sb.append('0');
        }
        sb.append(hex);
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

  /**
   * Applies this transformation to a byte string. When that changes nothing the result is {@code s}
   * itself, not an equal copy: the evaluation shares the work on a value between transformation
   * chains by string identity (see {@link ValueEval}), so chains that differ only in steps with
   * nothing to do share one string. Most transformations see that with a cheap scan before they
   * allocate anything; for the rest an equal result is replaced by {@code s} here.
   */
  public String transform(String s) {
    String r = apply(s);
    return r != s && r.equals(s) ? s : r;
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

  /** {@link #NAMED} as arrays, looked up without building a key (names are lower case). */
  private static final String[] NAMES = NAMED.keySet().toArray(new String[0]);

  private static final int[] NAMED_CPS = namedCodePoints();

  private static int[] namedCodePoints() {
    int[] cps = new int[NAMES.length];
    for (int k = 0; k < NAMES.length; k++) {
      cps[k] = NAMED.get(NAMES[k]);
    }
    return cps;
  }

  /**
   * The entity at {@code s[i] == '&'}: 0 when there is none, else the chars it takes in the high
   * half and its code point in the low half.
   */
  private static long entity(String s, int i) {
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
      return entity(j - i, cp > 0x10ffff ? 0xfffd : (int) cp);
    }
    int j = i + 1;
    while (j < n && j - i <= 8 && Character.isLetter(s.charAt(j)) && s.charAt(j) < 0x80) {
      j++;
    }
    if (j == i + 1) {
      return 0;
    }
    int cp = named(s, i + 1, j - i - 1);
    if (cp < 0) {
      return 0;
    }
    if (j < n && s.charAt(j) == ';') {
      j++;
    }
    return entity(j - i, cp);
  }

  private static long entity(int consumed, int cp) {
    return (long) consumed << 32 | cp;
  }

  /** The code point of the named entity {@code s[at, at + len)} (ASCII letters), or -1. */
  private static int named(String s, int at, int len) {
    char first = Text.lower(s.charAt(at));
    for (int k = 0; k < NAMES.length; k++) {
      String name = NAMES[k];
      if (name.length() == len
          && name.charAt(0) == first
          && s.regionMatches(true, at, name, 0, len)) {
        return NAMED_CPS[k];
      }
    }
    return -1;
  }

  private static String urlDecode(String s, boolean unicode) {
    int percent = s.indexOf('%');
    int plus = s.indexOf('+');
    if (percent < 0 && plus < 0) {
      return s;
    }
    int n = s.length();
    int i = percent < 0 ? plus : plus < 0 ? percent : Math.min(percent, plus);
    // Built only once something decodes ("100%" has nothing to); the chars in between are copied
    // in one go.
    StringBuilder sb = null;
    int copied = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c != '+' && c != '%') {
        i++;
        continue;
      }
      int from = i;
      if (c == '+') {
        sb = copy(sb, s, copied, from).append(' ');
        i++;
      } else if (unicode
          && i + 5 < n
          && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
          && hex4(s, i + 2)) {
        int cp =
            Text.hex(s.charAt(i + 2)) << 12
                | Text.hex(s.charAt(i + 3)) << 8
                | Text.hex(s.charAt(i + 4)) << 4
                | Text.hex(s.charAt(i + 5));
        if (cp >= 0xff01 && cp <= 0xff5e) {
          cp -= 0xfee0; // full-width forms to ASCII, as IIS does
        }
        sb = copy(sb, s, copied, from);
        Text.appendUtf8(sb, cp);
        i += 6;
      } else if (i + 2 < n && Text.hex(s.charAt(i + 1)) >= 0 && Text.hex(s.charAt(i + 2)) >= 0) {
        sb =
            copy(sb, s, copied, from)
                .append((char) (Text.hex(s.charAt(i + 1)) * 16 + Text.hex(s.charAt(i + 2))));
        i += 3;
      } else {
        i++;
        continue;
      }
      copied = i;
    }
    if (sb == null) {
      return s;
    }
    return sb.append(s, copied, n).toString();
  }

  /** {@code sb}, or a new builder when null, with {@code s[from, to)} appended. */
  private static StringBuilder copy(StringBuilder sb, String s, int from, int to) {
    if (sb == null) {
      sb = new StringBuilder(s.length());
    }
    return sb.append(s, from, to);
  }

  /**
   * Whether CMD_LINE leaves {@code s} as it is: nothing to lower-case, drop or turn into a space,
   * and no space that collapses into the one before it or is dropped before '/' or '('.
   */
  private static boolean cmdLineLeavesAlone(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c > '^') {
        continue; // '_', '`', the lower-case letters, '{' .. and the high bytes: kept as they are
      }
      switch (c) {
        case '\\', '"', '\'', '^', ',', ';', '\t', '\n', '\r', '\f', 0x0b:
          return false;
        case ' ':
          if (i + 1 < n) {
            char d = s.charAt(i + 1);
            if (d == ' ' || d == '/' || d == '(') {
              return false;
            }
          }
          break;
        default:
          if (c >= 'A' && c <= 'Z') {
            return false;
          }
      }
    }
    return true;
  }

  /** A char's base64 digit, -1 outside the alphabet: the standard one, and with "-" and "_". */
  private static final byte[] B64 = b64Table(false);

  private static final byte[] B64_EXT = b64Table(true);

  private static byte[] b64Table(boolean ext) {
    byte[] t = new byte[128];
    Arrays.fill(t, (byte) -1);
    for (int c = 'A'; c <= 'Z'; c++) {
      t[c] = (byte) (c - 'A');
    }
    for (int c = 'a'; c <= 'z'; c++) {
      t[c] = (byte) (c - 'a' + 26);
    }
    for (int c = '0'; c <= '9'; c++) {
      t[c] = (byte) (c - '0' + 52);
    }
    t['+'] = 62;
    t['/'] = 63;
    if (ext) {
      t['-'] = 62;
      t['_'] = 63;
    }
    return t;
  }

  private static int b64(char c, boolean ext) {
    return c < 128 ? (ext ? B64_EXT : B64)[c] : -1;
  }

  /**
   * Base64 decoding. The strict form decodes only input made of the base64 alphabet (with optional
   * '=' padding) and leaves anything else unchanged; the extended form skips characters outside the
   * alphabet and accepts the URL-safe alphabet.
   */
  private static String base64(String s, boolean ext) {
    // Nothing allocated for what is left unchanged: in the strict form any char outside the
    // alphabet, or a length that cannot be base64; in either form no base64 digit at all.
    int n = s.length();
    int last = n;
    while (last > 0 && s.charAt(last - 1) == '=') {
      last--;
    }
    int valid = 0;
    for (int i = 0; i < last; i++) {
      if (b64(s.charAt(i), ext) >= 0) {
        valid++;
      } else if (!ext) {
        return s;
      }
    }
    if (valid == 0 || (!ext && valid % 4 == 1)) {
      return s;
    }
    // Every digit valid from here on (the others skipped in the extended form).
    byte[] out = new byte[valid * 6 / 8];
    int len = 0;
    int acc = 0;
    int bits = 0;
    for (int i = 0; i < last; i++) {
      int v = b64(s.charAt(i), ext);
      if (v < 0) {
        continue;
      }
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[len++] = (byte) (acc >> bits);
      }
    }
    return Text.of(out, len);
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

  /**
   * Whether {@link #normalizePath} gives {@code s} back as it is: no "." or ".." segment and no
   * empty one but the first (before a leading '/') and the last (after a trailing '/').
   */
  private static boolean isNormalPath(String s) {
    int n = s.length();
    int start = 0;
    while (true) {
      int end = s.indexOf('/', start);
      if (end < 0) {
        end = n;
      }
      int len = end - start;
      if (len == 0 ? start != 0 && end != n : len <= 2 && isDots(s, start, len)) {
        return false;
      }
      if (end == n) {
        return true;
      }
      start = end + 1;
    }
  }

  private static boolean isDots(String s, int at, int len) {
    return s.charAt(at) == '.' && (len == 1 || s.charAt(at + 1) == '.');
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
    if (s.indexOf('/') < 0 && s.indexOf('.') < 0 || isNormalPath(s)) {
      return s;
    }
    int n = s.length();
    boolean absolute = s.startsWith("/");
    boolean trailing = s.endsWith("/") || s.endsWith("/.") || s.endsWith("/..");
    // The kept segments, joined by '/' after the leading '/' if any, as a stack: the d-th kept
    // segment starts at out[starts[d]].
    char[] out = new char[n + 2];
    int[] starts = new int[n / 2 + 2];
    int base = absolute ? 1 : 0;
    out[0] = '/';
    int len = base;
    int depth = 0;
    for (int a = 0; ; ) {
      int b = s.indexOf('/', a);
      if (b < 0) {
        b = n;
      }
      int segment = b - a;
      if (segment == 2 && s.charAt(a) == '.' && s.charAt(a + 1) == '.') {
        boolean lastIsUp =
            depth > 0
                && len - starts[depth - 1] == 2
                && out[starts[depth - 1]] == '.'
                && out[starts[depth - 1] + 1] == '.';
        if (depth > 0 && !lastIsUp) {
          depth--;
          len = depth > 0 ? starts[depth] - 1 : base;
        } else if (!absolute) {
          len = push(out, len, depth > 0, s, a, b);
          starts[depth++] = len - 2;
        }
      } else if (segment > 0 && !(segment == 1 && s.charAt(a) == '.')) {
        len = push(out, len, depth > 0, s, a, b);
        starts[depth++] = len - segment;
      }
      if (b == n) {
        break;
      }
      a = b + 1;
    }
    if (trailing && depth > 0) {
      out[len++] = '/';
    }
    return new String(out, 0, len);
  }

  /**
   * Appends '/' (when not the first) and {@code s[a, b)} to {@code out[0, len)}; the new length.
   */
  private static int push(char[] out, int len, boolean separator, String s, int a, int b) {
    if (separator) {
      out[len++] = '/';
    }
    s.getChars(a, b, out, len);
    return len + b - a;
  }
}
