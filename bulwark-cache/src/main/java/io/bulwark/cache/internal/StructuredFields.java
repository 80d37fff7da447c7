package io.bulwark.cache.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser for Structured Field Dictionaries (RFC 8941 4.2.2), which is what a targeted
 * cache-control field is (RFC 9213 2.1). It answers one question: does the field parse, and what
 * type of value does each member have. Values themselves are read by {@code CacheControl}, whose
 * tolerant parser agrees with this one on every valid dictionary.
 *
 * <p>Strict because RFC 9213 2.2 says a targeted field that fails to parse is ignored, the cache
 * falling back to Cache-Control: reading {@code max-age=10000, &&&&&} generously would let a
 * malformed field override the Cache-Control the origin also sent (often {@code no-store}).
 *
 * <p>Follows RFC 8941 section 4.2 step by step: keys are lower-case ({@code MaX-AgE} is a parse
 * error), no space around {@code =}, members separated by a comma and optional whitespace, no
 * trailing comma, strings in double quotes with only {@code \"} and {@code \\} escapes. Field lines
 * are combined with commas first (RFC 8941 4.2).
 */
public final class StructuredFields {
  /** The type of a dictionary member's value (RFC 8941 3.3); a bare key is a boolean. */
  public enum Kind {
    INTEGER,
    DECIMAL,
    STRING,
    TOKEN,
    BYTES,
    BOOLEAN,
    INNER_LIST
  }

  private final String s;
  private int i;

  private StructuredFields(String s) {
    this.s = s;
  }

  /**
   * The members of the dictionary the field lines form, by key, with the type of each value (the
   * last occurrence of a key wins, RFC 8941 4.2.2); null when the lines do not parse.
   */
  public static Map<String, Kind> dictionary(List<String> fieldLines) {
    StructuredFields p = new StructuredFields(String.join(",", fieldLines));
    try {
      return p.parseField();
    } catch (Invalid e) {
      return null;
    }
  }

  /** A parse failure; a value, not an exceptional event, so no stack trace. */
  private static final class Invalid extends Exception {
    Invalid() {
      super(null, null, false, false);
    }
  }

  private static final Invalid INVALID = new Invalid();

  private Map<String, Kind> parseField() throws Invalid {
    skipSp();
    Map<String, Kind> members = parseDictionary();
    skipSp();
    if (i != s.length()) {
      throw INVALID;
    }
    return members;
  }

  private Map<String, Kind> parseDictionary() throws Invalid {
    Map<String, Kind> members = new LinkedHashMap<>();
    while (i < s.length()) {
      String key = parseKey();
      Kind kind;
      if (peek() == '=') {
        i++;
        kind = peek() == '(' ? parseInnerList() : parseItem();
      } else {
        kind = Kind.BOOLEAN;
        parseParameters();
      }
      members.remove(key);
      members.put(key, kind);
      skipOws();
      if (i == s.length()) {
        return members;
      }
      if (s.charAt(i++) != ',') {
        throw INVALID;
      }
      skipOws();
      if (i == s.length()) {
        throw INVALID; // a trailing comma
      }
    }
    return members;
  }

  private Kind parseInnerList() throws Invalid {
    i++; // (
    while (i < s.length()) {
      skipSp();
      if (peek() == ')') {
        i++;
        parseParameters();
        return Kind.INNER_LIST;
      }
      parseItem();
      char c = peek();
      if (c != ' ' && c != ')') {
        throw INVALID;
      }
    }
    throw INVALID; // the list never closed
  }

  private Kind parseItem() throws Invalid {
    Kind kind = parseBareItem();
    parseParameters();
    return kind;
  }

  private void parseParameters() throws Invalid {
    while (peek() == ';') {
      i++;
      skipSp();
      parseKey();
      if (peek() == '=') {
        i++;
        parseBareItem();
      }
    }
  }

  private String parseKey() throws Invalid {
    char c = peek();
    if (!(isLcAlpha(c) || c == '*')) {
      throw INVALID;
    }
    int start = i;
    while (i < s.length()) {
      c = s.charAt(i);
      if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*')) {
        break;
      }
      i++;
    }
    return s.substring(start, i);
  }

  private Kind parseBareItem() throws Invalid {
    char c = peek();
    if (c == '-' || isDigit(c)) {
      return parseNumber();
    }
    if (c == '"') {
      parseString();
      return Kind.STRING;
    }
    if (isAlpha(c) || c == '*') {
      parseToken();
      return Kind.TOKEN;
    }
    if (c == ':') {
      parseByteSequence();
      return Kind.BYTES;
    }
    if (c == '?') {
      i++;
      char b = peek();
      if (b != '0' && b != '1') {
        throw INVALID;
      }
      i++;
      return Kind.BOOLEAN;
    }
    throw INVALID;
  }

  private Kind parseNumber() throws Invalid {
    if (peek() == '-') {
      i++;
    }
    int intDigits = 0;
    while (isDigit(peek())) {
      i++;
      intDigits++;
    }
    if (intDigits == 0) {
      throw INVALID;
    }
    if (peek() != '.') {
      if (intDigits > 15) {
        throw INVALID;
      }
      return Kind.INTEGER;
    }
    if (intDigits > 12) {
      throw INVALID;
    }
    i++;
    int fracDigits = 0;
    while (isDigit(peek())) {
      i++;
      fracDigits++;
    }
    if (fracDigits < 1 || fracDigits > 3) {
      throw INVALID;
    }
    return Kind.DECIMAL;
  }

  private void parseString() throws Invalid {
    i++; // "
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '\\') {
        char e = peek();
        if (e != '"' && e != '\\') {
          throw INVALID;
        }
        i++;
      } else if (c == '"') {
        return;
      } else if (c < 0x20 || c > 0x7e) {
        throw INVALID;
      }
    }
    throw INVALID; // no closing quote
  }

  private void parseToken() {
    i++;
    while (i < s.length() && (isTchar(s.charAt(i)) || s.charAt(i) == ':' || s.charAt(i) == '/')) {
      i++;
    }
  }

  private void parseByteSequence() throws Invalid {
    i++; // :
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == ':') {
        return;
      }
      if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) {
        throw INVALID;
      }
    }
    throw INVALID;
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private void skipSp() {
    while (peek() == ' ') {
      i++;
    }
  }

  private void skipOws() {
    while (peek() == ' ' || peek() == '\t') {
      i++;
    }
  }

  private static boolean isLcAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isAlpha(char c) {
    return isLcAlpha(c) || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** RFC 9110 5.6.2 tchar. */
  private static boolean isTchar(char c) {
    return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
