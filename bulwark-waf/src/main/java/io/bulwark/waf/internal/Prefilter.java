package io.bulwark.waf.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A necessary condition for a regular expression to match, checked with plain substring searches
 * before the RE2 automaton runs. RE2/J is linear in its input but its cost per byte grows with the
 * size of the pattern, and a WAF pattern is usually a long alternation; most values contain none of
 * its literals, and a few {@code indexOf} calls settle that far faster.
 *
 * <p>The analysis is deliberately small and conservative: the pattern is split into its top-level
 * alternatives; in each, the longest run of literal characters outside any group, class or
 * quantifier is a string every match of that alternative contains. When every alternative has such
 * a run (of at least {@value #MIN} characters), a value that contains none of them cannot match.
 * Anything the analysis does not understand (case-insensitive flags, a branch made only of groups)
 * yields no prefilter, and the regex always runs.
 */
public final class Prefilter {
  static final int MIN = 2;
  private final String[] literals;

  private Prefilter(String[] literals) {
    this.literals = literals;
  }

  /** The prefilter for a pattern, or null when none can be derived. */
  public static Prefilter of(String pattern) {
    if (pattern.contains("(?")) {
      // flags such as (?i) or (?s) change what a literal means; (?: groups are fine
      String p = pattern.replace("(?:", "");
      if (p.contains("(?")) {
        return null;
      }
    }
    List<String> out = new ArrayList<>();
    for (String branch : topLevelBranches(pattern)) {
      String lit = longestLiteral(branch);
      if (lit == null || lit.length() < MIN) {
        return null;
      }
      out.add(lit);
    }
    return out.isEmpty() ? null : new Prefilter(out.toArray(new String[0]));
  }

  /** False only when the value cannot match. */
  public boolean mayMatch(String value) {
    for (String l : literals) {
      if (value.contains(l)) {
        return true;
      }
    }
    return false;
  }

  List<String> literals() {
    return List.of(literals);
  }

  private static List<String> topLevelBranches(String p) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    boolean inClass = false;
    int start = 0;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        i++;
        continue;
      }
      if (inClass) {
        if (c == ']') {
          inClass = false;
        }
        continue;
      }
      if (c == '[') {
        inClass = true;
        if (i + 1 < p.length() && p.charAt(i + 1) == ']') {
          i++;
        }
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        out.add(p.substring(start, i));
        start = i + 1;
      }
    }
    out.add(p.substring(start));
    return out;
  }

  /** The longest literal run at depth 0 that is not made optional by a quantifier. */
  private static String longestLiteral(String b) {
    String best = "";
    StringBuilder run = new StringBuilder();
    int depth = 0;
    int i = 0;
    int n = b.length();
    while (i < n) {
      char c = b.charAt(i);
      if (depth > 0) {
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '[') {
          i = skipClass(b, i);
          continue;
        }
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth == 0 && i + 1 < n && isQuantifier(b.charAt(i + 1))) {
            i++; // the group's quantifier
          }
        }
        i++;
        continue;
      }
      int litChar = -1;
      int next = i + 1;
      if (c == '\\' && i + 1 < n) {
        char e = b.charAt(i + 1);
        next = i + 2;
        if ("\\.$^{}()[]|*+?/-\"'&#:;=@!%,<>`~_ ".indexOf(e) >= 0) {
          litChar = e;
        } else if (e == 'x'
            && i + 3 < n
            && Text.hex(b.charAt(i + 2)) >= 0
            && Text.hex(b.charAt(i + 3)) >= 0) {
          litChar = Text.hex(b.charAt(i + 2)) * 16 + Text.hex(b.charAt(i + 3));
          next = i + 4;
        }
      } else if (c == '(') {
        depth++;
      } else if (c == '[') {
        next = skipClass(b, i);
      } else if (".^$".indexOf(c) < 0 && !isQuantifier(c)) {
        litChar = c;
      }
      boolean quantified = next < n && isQuantifier(b.charAt(next));
      if (litChar >= 0 && !quantified) {
        run.append((char) litChar);
      } else {
        if (run.length() > best.length()) {
          best = run.toString();
        }
        run.setLength(0);
        if (quantified && next < n) {
          next = skipQuantifier(b, next);
        }
      }
      i = next;
    }
    if (run.length() > best.length()) {
      best = run.toString();
    }
    return depth != 0 ? null : best;
  }

  private static boolean isQuantifier(char c) {
    return c == '?' || c == '*' || c == '+' || c == '{';
  }

  private static int skipQuantifier(String b, int i) {
    if (b.charAt(i) == '{') {
      int end = b.indexOf('}', i);
      i = end < 0 ? b.length() : end + 1;
    } else {
      i++;
    }
    if (i < b.length() && (b.charAt(i) == '?' || b.charAt(i) == '+')) {
      i++;
    }
    return i;
  }

  private static int skipClass(String b, int i) {
    int j = i + 1;
    if (j < b.length() && b.charAt(j) == '^') {
      j++;
    }
    if (j < b.length() && b.charAt(j) == ']') {
      j++;
    }
    while (j < b.length() && b.charAt(j) != ']') {
      if (b.charAt(j) == '\\') {
        j++;
      }
      j++;
    }
    return Math.min(b.length(), j + 1);
  }
}
