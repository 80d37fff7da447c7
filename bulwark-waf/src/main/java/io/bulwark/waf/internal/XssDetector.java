package io.bulwark.waf.internal;

import java.util.Set;

/**
 * Cross-site scripting detection by reading the value as HTML, the way a browser would if the
 * application echoed it, rather than grepping for "script".
 *
 * <p>A value is XSS when, placed in a page, it would run script:
 *
 * <ol>
 *   <li><b>In text</b>: it opens a tag. A tag whose name runs script by itself (script, iframe,
 *       object, embed, applet, frameset, base, import) is enough. Any tag carrying an event-handler
 *       attribute ({@code on...=}), a script URL in a URL attribute ({@code href}, {@code src},
 *       {@code action}, {@code formaction}, {@code data}, ...), a script-capable style ({@code
 *       expression(}, {@code javascript:}, {@code -moz-binding}) or a meta refresh to a script URL
 *       is XSS. Harmless markup ({@code <b>}, {@code <p class="x">}) and prose with '<' ({@code a <
 *       b}) is not.
 *   <li><b>In an attribute value</b>: it closes the quote and adds an event handler ({@code "
 *       onmouseover="alert(1)}).
 *   <li><b>As a URL</b>: it is a {@code javascript:} or {@code vbscript:} URL whose body is code
 *       (an identifier then '(' or '=' or a backtick, or a comment trick), not prose such as
 *       "javascript: the good parts".
 *   <li><b>In a script string</b>: it closes the string and calls a sink ({@code ';alert(1)//}).
 * </ol>
 *
 * Entities and escapes are the text transformations' job; rules decode before they call this.
 * Linear in the input.
 */
public final class XssDetector {
  private XssDetector() {}

  private static final Set<String> SCRIPT_TAGS =
      Set.of(
          "script",
          "iframe",
          "frame",
          "frameset",
          "object",
          "embed",
          "applet",
          "base",
          "import",
          "isindex",
          "xss",
          "portal");
  private static final Set<String> URL_ATTRIBUTES =
      Set.of(
          "href",
          "src",
          "action",
          "formaction",
          "data",
          "xlink:href",
          "background",
          "dynsrc",
          "lowsrc",
          "poster",
          "code",
          "codebase",
          "srcdoc",
          "content",
          "to",
          "from",
          "values",
          "by",
          "attributename",
          "folder",
          "style",
          "http-equiv",
          "ping",
          "cite",
          "longdesc",
          "usemap",
          "profile",
          "classid");
  private static final String[] SINKS = {
    "alert",
    "prompt",
    "confirm",
    "eval",
    "document.",
    "window.",
    "fetch",
    "settimeout",
    "setinterval",
    "location",
    "top.",
    "self.",
    "parent.",
    "function(",
    "constructor",
    "import(",
    "xmlhttprequest",
    "atob(",
    "string.fromcharcode"
  };

  /** True when {@code value} (a byte string) would run script if echoed into a page. */
  public static boolean isXss(String value) {
    if (value.isEmpty()) {
      return false;
    }
    // Every shape needs '<', a quote or backtick, or the ':' of a URL scheme.
    if (value.indexOf('<') < 0
        && value.indexOf(':') < 0
        && value.indexOf('"') < 0
        && value.indexOf('\'') < 0
        && value.indexOf('`') < 0) {
      return false;
    }
    String s = Text.asciiLower(stripNulls(value));
    return tagInjection(s) || attributeBreakout(s) || scriptUrl(s, 0) || stringBreakout(s);
  }

  private static String stripNulls(String v) {
    return v.indexOf('\0') < 0 ? v : v.replace("\0", "");
  }

  // ---- 1. tags -----------------------------------------------------------------------------

  private static boolean tagInjection(String s) {
    int n = s.length();
    int i = s.indexOf('<');
    while (i >= 0 && i + 1 < n) {
      int j = i + 1;
      if (s.charAt(j) == '/') {
        j++;
      }
      int nameStart = j;
      while (j < n && isNameChar(s.charAt(j))) {
        j++;
      }
      if (j > nameStart && Character.isLetter(s.charAt(nameStart))) {
        String name = s.substring(nameStart, j);
        boolean boundary =
            j == n || s.charAt(j) == '>' || s.charAt(j) == '/' || isSpace(s.charAt(j));
        if (boundary) {
          if (SCRIPT_TAGS.contains(name)
              && (!name.equals("base") && !name.equals("frame") || hasAttributes(s, j))) {
            return true;
          }
          if (dangerousAttributes(s, j, name)) {
            return true;
          }
        }
      }
      i = s.indexOf('<', i + 1);
    }
    return false;
  }

  private static boolean hasAttributes(String s, int from) {
    int j = from;
    while (j < s.length() && (isSpace(s.charAt(j)) || s.charAt(j) == '/')) {
      j++;
    }
    return j < s.length() && s.charAt(j) != '>';
  }

  /** Reads attributes from {@code from} to the end of the tag; true on a script-capable one. */
  private static boolean dangerousAttributes(String s, int from, String tag) {
    int n = s.length();
    int j = from;
    int attributes = 0;
    while (j < n && attributes < 64) {
      char c = s.charAt(j);
      if (c == '>') {
        return false;
      }
      if (isSpace(c) || c == '/' || c == '"' || c == '\'') {
        j++;
        continue;
      }
      int nameStart = j;
      while (j < n && !isSpace(s.charAt(j)) && "/>=".indexOf(s.charAt(j)) < 0) {
        j++;
      }
      String name = s.substring(nameStart, j);
      attributes++;
      while (j < n && isSpace(s.charAt(j))) {
        j++;
      }
      String val = null;
      if (j < n && s.charAt(j) == '=') {
        j++;
        while (j < n && isSpace(s.charAt(j))) {
          j++;
        }
        if (j < n && (s.charAt(j) == '"' || s.charAt(j) == '\'' || s.charAt(j) == '`')) {
          char q = s.charAt(j);
          int end = s.indexOf(q, j + 1);
          end = end < 0 ? n : end;
          val = s.substring(j + 1, end);
          j = Math.min(n, end + 1);
        } else {
          int vs = j;
          while (j < n && !isSpace(s.charAt(j)) && s.charAt(j) != '>') {
            j++;
          }
          val = s.substring(vs, j);
        }
      }
      if (isEventHandler(name) && val != null) {
        return true;
      }
      if (val != null && URL_ATTRIBUTES.contains(name)) {
        if (scriptUrl(val, 0) || name.equals("style") && dangerousStyle(val)) {
          return true;
        }
        if (name.equals("srcdoc") && val.indexOf('<') >= 0 && tagInjection(val)) {
          return true;
        }
        if (tag.equals("meta")
            && name.equals("content")
            && val.contains("url=")
            && scriptUrl(val.substring(val.indexOf("url=") + 4), 0)) {
          return true;
        }
      }
    }
    if (tag.equals("style")) {
      return dangerousStyle(s.substring(Math.min(from, n)));
    }
    return false;
  }

  private static boolean isEventHandler(String name) {
    if (name.length() < 5 || !name.startsWith("on")) {
      return false;
    }
    for (int k = 2; k < name.length(); k++) {
      char c = name.charAt(k);
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return true;
  }

  private static boolean dangerousStyle(String v) {
    String t = removeSpaceAndComments(v);
    return t.contains("expression(")
        || t.contains("javascript:")
        || t.contains("vbscript:")
        || t.contains("-moz-binding")
        || t.contains("behavior:url(");
  }

  // ---- 2. attribute break-out -------------------------------------------------------------

  private static boolean attributeBreakout(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char q = s.charAt(i);
      if (q != '"' && q != '\'' && q != '`') {
        continue;
      }
      int j = i + 1;
      boolean sep = false;
      while (j < n && (isSpace(s.charAt(j)) || s.charAt(j) == '/')) {
        j++;
        sep = true;
      }
      if (!sep && !(j < n && s.charAt(j) == 'o')) {
        continue;
      }
      // optional harmless attributes before the handler: " autofocus onfocus=..."
      int guard = 0;
      while (j < n && guard++ < 4) {
        int ns = j;
        while (j < n && Character.isLetter(s.charAt(j))) {
          j++;
        }
        String name = s.substring(ns, j);
        int k = j;
        while (k < n && isSpace(s.charAt(k))) {
          k++;
        }
        if (isEventHandler(name) && k < n && s.charAt(k) == '=') {
          return true;
        }
        if (name.equals("style") && k < n && s.charAt(k) == '=' && dangerousStyle(s.substring(k))) {
          return true;
        }
        if (name.isEmpty() || k < n && s.charAt(k) == '=') {
          break;
        }
        j = k;
      }
    }
    return false;
  }

  // ---- 3. script URLs ---------------------------------------------------------------------

  /** A javascript:/vbscript:/data:text/html URL at or after {@code from}, with code after it. */
  static boolean scriptUrl(String s, int from) {
    if (s.indexOf(':', from) < 0) {
      return false;
    }
    String t = removeSpaceAndComments(from == 0 ? s : s.substring(from));
    for (String scheme : new String[] {"javascript:", "vbscript:", "livescript:"}) {
      int idx = t.indexOf(scheme);
      while (idx >= 0) {
        if (idx == 0 || !Character.isLetterOrDigit(t.charAt(idx - 1))) {
          if (looksLikeCode(t, idx + scheme.length())) {
            return true;
          }
        }
        idx = t.indexOf(scheme, idx + 1);
      }
    }
    int d = t.indexOf("data:text/html");
    if (d < 0) {
      d = t.indexOf("data:image/svg+xml");
    }
    if (d >= 0 && (t.indexOf("base64,", d) > 0 || t.indexOf('<', d) > 0)) {
      return d == 0 || !Character.isLetterOrDigit(t.charAt(d - 1));
    }
    return false;
  }

  /** After a scheme: an identifier called, assigned or tagged, or a comment trick. */
  private static boolean looksLikeCode(String t, int at) {
    int n = t.length();
    if (at >= n) {
      return false;
    }
    if (t.startsWith("//", at) || t.startsWith("/*", at)) {
      return true; // javascript://%0aalert(1)
    }
    int j = at;
    while (j < n
        && (Character.isLetterOrDigit(t.charAt(j)) || "_$.[]'\"".indexOf(t.charAt(j)) >= 0)) {
      j++;
    }
    if (j == at) {
      return "([{!~+-`'\"".indexOf(t.charAt(at)) >= 0;
    }
    return j < n && "(=`".indexOf(t.charAt(j)) >= 0;
  }

  // ---- 4. script string break-out ---------------------------------------------------------

  private static boolean stringBreakout(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char q = s.charAt(i);
      if (q != '"' && q != '\'' && q != '`') {
        continue;
      }
      int j = i + 1;
      while (j < n && isSpace(s.charAt(j))) {
        j++;
      }
      if (j >= n || ";+-)|&,*".indexOf(s.charAt(j)) < 0) {
        continue;
      }
      j++;
      while (j < n && (isSpace(s.charAt(j)) || s.charAt(j) == ')' || s.charAt(j) == ';')) {
        j++;
      }
      for (String sink : SINKS) {
        if (s.startsWith(sink, j)) {
          int k = j + sink.length();
          if (sink.endsWith(".") || sink.endsWith("(")) {
            return true;
          }
          while (k < n && isSpace(s.charAt(k))) {
            k++;
          }
          if (k < n && (s.charAt(k) == '(' || s.charAt(k) == '`' || s.charAt(k) == '=')) {
            return true;
          }
        }
      }
    }
    return false;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == ':' || c == '_';
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
  }

  /** Browsers ignore tabs, newlines and control characters inside a URL scheme: java\tscript. */
  private static String removeSpaceAndComments(String v) {
    StringBuilder sb = new StringBuilder(v.length());
    int i = 0;
    while (i < v.length()) {
      char c = v.charAt(i);
      if (c == '/' && i + 1 < v.length() && v.charAt(i + 1) == '*') {
        int end = v.indexOf("*/", i + 2);
        i = end < 0 ? v.length() : end + 2;
        continue;
      }
      if (c > ' ' || c == 0xa0) {
        if (c != 0xa0) {
          sb.append(c);
        }
      }
      i++;
    }
    return sb.toString();
  }
}
