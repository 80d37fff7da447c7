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
      List<String> need = required(branch, 0);
      if (need == null) {
        return null;
      }
      for (String l : need) {
        if (!out.contains(l)) {
          out.add(l);
        }
      }
    }
    return out.isEmpty() ? null : new Prefilter(out.toArray(new String[0]));
  }

  /** At most this many strings in a set built by expanding groups. */
  private static final int MAX_SET = 64;

  /**
   * Strings one of which every match of {@code seq} (a sequence without top-level '|') contains,
   * each at least {@value #MIN} chars, or null when none can be proven. Literal runs are joined
   * with the groups next to them when every alternative of the group is itself a plain literal
   * ({@code \.(?:log|ini)} needs ".log" or ".ini"); a group with other alternatives is a set of its
   * own (each alternative's own required strings); anything else (a class, an optional or repeated
   * item, an anchor) ends a run. Of all the sets found, the one with the longest shortest string is
   * kept.
   */
  private static List<String> required(String seq, int depth) {
    if (depth > 8) {
      return null;
    }
    List<List<String>> candidates = new ArrayList<>();
    List<String> run = new ArrayList<>(List.of(""));
    int i = 0;
    int n = seq.length();
    while (i < n) {
      char c = seq.charAt(i);
      int next = i + 1;
      List<String> exact = null; // a set this item adds by concatenation
      List<String> alone = null; // a required set that cannot be concatenated
      boolean brk = false;
      if (c == '(') {
        int close = closeParen(seq, i);
        if (close < 0) {
          return null;
        }
        String inner = seq.substring(i + 1, close);
        next = close + 1;
        if (inner.startsWith("?:")) {
          inner = inner.substring(2);
        } else if (inner.startsWith("?")) {
          return null; // flags or look-around: not analysed
        }
        List<String> alts = topLevelBranches(inner);
        List<String> lits = new ArrayList<>();
        for (String alt : alts) {
          String lit = plainLiteral(alt);
          if (lit == null) {
            lits = null;
            break;
          }
          lits.add(lit);
        }
        if (lits != null && !lits.contains("")) {
          exact = lits;
        } else {
          List<String> set = new ArrayList<>();
          for (String alt : alts) {
            List<String> r = required(alt, depth + 1);
            if (r == null) {
              set = null;
              break;
            }
            set.addAll(r);
          }
          alone = set;
          brk = true;
        }
      } else if (c == '[') {
        next = skipClass(seq, i);
        brk = true;
      } else if (c == '\\' && i + 1 < n) {
        char e = seq.charAt(i + 1);
        next = i + 2;
        if ("\\.$^{}()[]|*+?/-\"'&#:;=@!%,<>`~_ ".indexOf(e) >= 0) {
          exact = List.of(String.valueOf(e));
        } else if (e == 'x'
            && i + 3 < n
            && Text.hex(seq.charAt(i + 2)) >= 0
            && Text.hex(seq.charAt(i + 3)) >= 0) {
          exact =
              List.of(
                  String.valueOf(
                      (char) (Text.hex(seq.charAt(i + 2)) * 16 + Text.hex(seq.charAt(i + 3)))));
          next = i + 4;
        } else if (e == 'n') {
          exact = List.of("\n");
        } else if (e == 't') {
          exact = List.of("\t");
        } else {
          brk = true; // \s, \d, \b, ...
        }
      } else if (".^$".indexOf(c) >= 0 || isQuantifier(c)) {
        brk = true;
      } else {
        exact = List.of(String.valueOf(c));
      }
      // a quantifier on the item: optional or repeated items end the run
      if (next < n && isQuantifier(seq.charAt(next))) {
        char q = seq.charAt(next);
        next = skipQuantifier(seq, next);
        if (q == '+' && exact != null) {
          // x+ : the run up to the first x, and the last x with what follows, are both required
          List<String> upTo = product(run, exact);
          if (upTo != null) {
            candidates.add(upTo);
          }
          run = new ArrayList<>(exact);
          exact = null;
          alone = null;
        } else {
          if (q != '+') {
            alone = null; // optional or counted: nothing required
          }
          exact = null;
          brk = true;
        }
      }
      if (exact != null) {
        List<String> joined = product(run, exact);
        if (joined == null) {
          candidates.add(run);
          run = new ArrayList<>(exact);
        } else {
          run = joined;
        }
      }
      if (brk) {
        candidates.add(run);
        run = new ArrayList<>(List.of(""));
      }
      if (alone != null) {
        candidates.add(alone);
      }
      i = next;
    }
    candidates.add(run);
    List<String> best = null;
    int bestMin = MIN - 1;
    for (List<String> cand : candidates) {
      if (cand.isEmpty()) {
        continue;
      }
      int min = cand.stream().mapToInt(String::length).min().orElse(0);
      if (min > bestMin || min == bestMin && best != null && cand.size() < best.size()) {
        best = cand;
        bestMin = min;
      }
    }
    return best;
  }

  private static List<String> product(List<String> a, List<String> b) {
    if ((long) a.size() * b.size() > MAX_SET) {
      return null;
    }
    List<String> out = new ArrayList<>(a.size() * b.size());
    for (String x : a) {
      for (String y : b) {
        out.add(x + y);
      }
    }
    return out;
  }

  /** The text an alternative matches when it is a plain literal (escapes allowed), else null. */
  private static String plainLiteral(String alt) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < alt.length(); i++) {
      char c = alt.charAt(i);
      if (c == '\\' && i + 1 < alt.length()) {
        char e = alt.charAt(++i);
        if ("\\.$^{}()[]|*+?/-\"'&#:;=@!%,<>`~_ ".indexOf(e) < 0) {
          return null;
        }
        sb.append(e);
      } else if ("()[].^$|*+?{".indexOf(c) >= 0) {
        return null;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static int closeParen(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        i = skipClass(s, i) - 1;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
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
