package io.bulwark.waf.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A necessary condition for a regular expression to match, checked with plain substring searches
 * (in the engine, one {@link LiteralScanner} pass) before the RE2 automaton runs. RE2/J is linear
 * in its input but its cost per byte grows with the size of the pattern, and a WAF pattern is
 * usually a long alternation; most values contain none of its literals.
 *
 * <p>The condition is an OR of branches, each an AND of literal sets, a set meaning "one of these
 * strings occurs": {@code ://(?:[^@]*@)?(?:localhost|127\.)} needs "://" and one of "://l", "://1",
 * "@l", "@1"... The analysis parses the pattern and computes, per node, the finite set of strings
 * it matches when that is small (exact), else the strings every non-empty match starts and ends
 * with (prefix and suffix sets) and the condition its match implies; a concatenation adds the set
 * of its parts' suffixes joined to the next part's prefixes (the code search trigram method, with
 * literals of any length). It is sound by construction: each step keeps only conditions that hold
 * of every match, and when something is too large or not understood it drops information (weakening
 * the condition) rather than guessing. Anything the parser does not know (a case-insensitive flag,
 * \Q, octal or back-reference escapes) yields no prefilter, and the regex always runs.
 */
public final class Prefilter {
  /** The shortest string a literal set may hold (but see {@link #RARE}). */
  static final int MIN = 2;

  /** Single chars rare enough in benign values to be worth a literal of their own. */
  private static final String RARE = ";|`$<>{}\\\n\r\t";

  /** At most this many strings in an exact set, a prefix or suffix set, or a literal set. */
  static final int MAX_SET = 64;

  /** At most this many branches in a condition, and literal sets in a branch. */
  static final int MAX_BRANCHES = 6;

  static final int MAX_SETS = 4;

  /** Repeats {@code x{n,m}} are analysed as {@code x{min(n, MAX_REPEAT),}}. */
  private static final int MAX_REPEAT = 3;

  /** Classes of at most this many chars are expanded to their chars. */
  private static final int MAX_CLASS = 12;

  private final List<List<List<String>>> branches;

  private Prefilter(List<List<List<String>>> branches) {
    this.branches = branches;
  }

  /** Derived prefilters by pattern (an ACL repeats its patterns across rules); bounded. */
  private static final java.util.Map<String, java.util.Optional<Prefilter>> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The prefilter for a pattern, or null when none can be derived. */
  public static Prefilter of(String pattern) {
    java.util.Optional<Prefilter> known = CACHE.get(pattern);
    if (known == null) {
      if (CACHE.size() >= 4096) {
        CACHE.clear();
      }
      known = java.util.Optional.ofNullable(derive(pattern));
      CACHE.put(pattern, known);
    }
    return known.orElse(null);
  }

  private static Prefilter derive(String pattern) {
    Info root;
    try {
      Parser p = new Parser(pattern);
      root = p.alternation(0);
      if (p.i != pattern.length()) {
        return null;
      }
    } catch (Unsupported e) {
      return null;
    }
    if (root.empty()) {
      return null; // matches the empty string, so every value
    }
    List<List<Set<String>>> d = normal(full(root));
    if (isTrue(d)) {
      return null;
    }
    List<List<List<String>>> out = new ArrayList<>();
    for (List<Set<String>> term : d) {
      List<List<String>> t = new ArrayList<>();
      for (Set<String> s : term) {
        t.add(List.copyOf(s));
      }
      out.add(List.copyOf(t));
    }
    return new Prefilter(List.copyOf(out));
  }

  /**
   * The condition: a value can match only if, for some branch, each of the branch's sets has a
   * string that occurs in the value.
   */
  public List<List<List<String>>> branches() {
    return branches;
  }

  /** Every string of every set. */
  List<String> literals() {
    Set<String> all = new TreeSet<>();
    for (List<List<String>> b : branches) {
      for (List<String> s : b) {
        all.addAll(s);
      }
    }
    return List.copyOf(all);
  }

  /** False only when the value cannot match. */
  public boolean mayMatch(String value) {
    for (List<List<String>> b : branches) {
      if (holds(b, value)) {
        return true;
      }
    }
    return false;
  }

  private static boolean holds(List<List<String>> branch, String value) {
    for (List<String> set : branch) {
      boolean any = false;
      for (String l : set) {
        if (value.contains(l)) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  /** Branches joined by " | ", sets by " & ". */
  @Override
  public String toString() {
    List<String> bs = new ArrayList<>();
    for (List<List<String>> b : branches) {
      List<String> ss = new ArrayList<>();
      for (List<String> s : b) {
        ss.add(s.toString());
      }
      bs.add(String.join(" & ", ss));
    }
    return String.join(" | ", bs);
  }

  // ---- analysis -------------------------------------------------------------------------------

  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  /**
   * What is known of a node: {@code exact} is every string it matches (null when unknown or too
   * many); otherwise {@code pre}/{@code suf} hold a string every non-empty match starts/ends with
   * (null: unknown) and {@code cond} is implied by any match.
   */
  private record Info(
      boolean empty,
      Set<String> exact,
      Set<String> pre,
      Set<String> suf,
      List<List<Set<String>>> cond) {
    static Info exact(Set<String> strings) {
      return new Info(strings.contains(""), strings, null, null, null);
    }

    Set<String> prefixes() {
      return exact != null ? nonEmpty(exact) : pre;
    }

    Set<String> suffixes() {
      return exact != null ? nonEmpty(exact) : suf;
    }
  }

  private static final Info EMPTY = Info.exact(Set.of(""));

  /** One char of a class the analysis does not expand. */
  private static final Info ANY_CHAR = new Info(false, null, null, null, TRUE());

  private static Set<String> nonEmpty(Set<String> s) {
    if (!s.contains("")) {
      return s;
    }
    Set<String> out = new TreeSet<>(s);
    out.remove("");
    return out;
  }

  /** Everything a node's match implies: its condition and its prefix and suffix sets. */
  private static List<List<Set<String>>> full(Info x) {
    if (x.exact() != null) {
      return x.empty() ? TRUE() : set(x.exact());
    }
    if (x.empty()) {
      return TRUE();
    }
    return and(and(x.cond(), set(x.pre())), set(x.suf()));
  }

  private static Info concat(Info x, Info y) {
    if (x.exact() != null && y.exact() != null) {
      Set<String> p = product(x.exact(), y.exact(), MAX_SET);
      if (p != null) {
        return Info.exact(p);
      }
    }
    boolean empty = x.empty() && y.empty();
    // prefixes of a non-empty match: x's, or (x empty) y's; with x exact, x's strings joined to y's
    Set<String> pre = null;
    if (x.exact() != null && y.prefixes() != null) {
      Set<String> p = product(x.exact(), y.prefixes(), MAX_SET);
      if (p != null) {
        if (y.empty()) {
          p.addAll(nonEmpty(x.exact()));
        }
        pre = nonEmpty(p);
      }
    }
    if (pre == null) {
      pre = union(x.prefixes(), x.empty() ? y.prefixes() : Set.of());
    }
    Set<String> suf = null;
    if (y.exact() != null && x.suffixes() != null) {
      Set<String> p = product(x.suffixes(), y.exact(), MAX_SET);
      if (p != null) {
        if (x.empty()) {
          p.addAll(nonEmpty(y.exact()));
        }
        suf = nonEmpty(p);
      }
    }
    if (suf == null) {
      suf = union(y.suffixes(), y.empty() ? x.suffixes() : Set.of());
    }
    List<List<Set<String>>> cond = and(full(x), full(y));
    if (!empty && x.suffixes() != null && y.prefixes() != null) {
      // where x's match ends and y's begins: a suffix of one joined to a prefix of the other
      Set<String> cross = joined(x.suffixes(), y.prefixes());
      if (cross != null) {
        if (y.empty()) {
          cross.addAll(x.suffixes());
        }
        if (x.empty()) {
          cross.addAll(y.prefixes());
        }
        cond = and(cond, set(cross));
      }
    }
    return new Info(empty, null, trimPrefixes(pre), trimSuffixes(suf), cond);
  }

  /**
   * Suffixes joined to prefixes; when there are too many, the prefixes are shortened first, then
   * the suffixes.
   */
  private static Set<String> joined(Set<String> suf, Set<String> pre) {
    for (int sl = 32; sl >= 1; sl = sl > 4 ? sl / 2 : sl - 1) {
      int s = sl;
      Set<String> a = map(suf, x -> x.length() > s ? x.substring(x.length() - s) : x);
      for (int pl = 32; pl >= 1; pl = pl > 4 ? pl / 2 : pl - 1) {
        int l = pl;
        Set<String> b = map(pre, x -> x.length() > l ? x.substring(0, l) : x);
        Set<String> out = product(a, b, MAX_SET);
        if (out != null) {
          return out;
        }
      }
    }
    return null;
  }

  private static Info alternate(List<Info> alts) {
    if (alts.size() == 1) {
      return alts.get(0);
    }
    boolean empty = false;
    Set<String> exact = new TreeSet<>();
    Set<String> pre = new TreeSet<>();
    Set<String> suf = new TreeSet<>();
    List<List<Set<String>>> cond = new ArrayList<>();
    for (Info x : alts) {
      empty |= x.empty();
      exact = addAll(exact, x.exact());
      pre = addAll(pre, x.prefixes());
      suf = addAll(suf, x.suffixes());
      if (cond != null) {
        List<List<Set<String>>> c = full(x);
        if (isTrue(c)) {
          cond = null;
        } else {
          for (List<Set<String>> t : c) {
            if (!cond.contains(t)) {
              cond.add(t);
            }
          }
        }
      }
    }
    if (exact != null && exact.size() <= MAX_SET) {
      return Info.exact(exact);
    }
    if (cond == null) {
      cond = TRUE();
    } else if (cond.size() > MAX_BRANCHES) {
      cond = collapse(cond);
    }
    return new Info(empty, null, trimPrefixes(pre), trimSuffixes(suf), cond);
  }

  private static Info repeat(Info x, int min, int max) {
    if (min == 0) {
      if (max == 1 && x.exact() != null) {
        return Info.exact(union(x.exact(), Set.of("")));
      }
      // a non-empty match of x* is non-empty matches of x and empty ones
      return new Info(true, null, x.prefixes(), x.suffixes(), TRUE());
    }
    int n = Math.min(min, MAX_REPEAT);
    Info out = x;
    for (int k = 1; k < n; k++) {
      out = concat(out, x);
    }
    if (max != n) {
      out = concat(out, repeat(x, 0, -1));
    }
    return out;
  }

  private static Set<String> product(Set<String> a, Set<String> b, int limit) {
    if ((long) a.size() * b.size() > limit) {
      return null;
    }
    Set<String> out = new TreeSet<>();
    for (String x : a) {
      for (String y : b) {
        out.add(x + y);
      }
    }
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    if (a == null || b == null) {
      return null;
    }
    Set<String> out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }

  /** Adds b to a (a fresh set), or null when either is unknown or a grows past any use. */
  private static Set<String> addAll(Set<String> a, Set<String> b) {
    if (a == null || b == null || a.size() > 16 * MAX_SET) {
      return null;
    }
    a.addAll(b);
    return a;
  }

  private static Set<String> map(Set<String> a, Function<String, String> f) {
    Set<String> out = new TreeSet<>();
    for (String s : a) {
      out.add(f.apply(s));
    }
    return out;
  }

  /** A prefix set with at most {@link #MAX_SET} strings: its strings shortened, or null. */
  private static Set<String> trimPrefixes(Set<String> s) {
    for (int len = 32; s != null && s.size() > MAX_SET; len = len > 4 ? len / 2 : len - 1) {
      if (len == 0) {
        return null;
      }
      int l = len;
      s = map(s, x -> x.length() > l ? x.substring(0, l) : x);
    }
    return s;
  }

  private static Set<String> trimSuffixes(Set<String> s) {
    for (int len = 32; s != null && s.size() > MAX_SET; len = len > 4 ? len / 2 : len - 1) {
      if (len == 0) {
        return null;
      }
      int l = len;
      s = map(s, x -> x.length() > l ? x.substring(x.length() - l) : x);
    }
    return s;
  }

  // ---- conditions: an OR of terms, each an AND of literal sets -------------------------------

  private static List<List<Set<String>>> TRUE() {
    return List.of(List.of());
  }

  private static boolean isTrue(List<List<Set<String>>> d) {
    for (List<Set<String>> t : d) {
      if (t.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** "One of these occurs", reduced; true when the set cannot be used. */
  private static List<List<Set<String>>> set(Set<String> s) {
    Set<String> r = literalSet(s);
    return r == null ? TRUE() : List.of(List.of(r));
  }

  /**
   * A literal set in its smallest form (a string containing another member adds nothing), with
   * strings shortened until it is small enough; null when it holds the empty string or a string too
   * short to be worth a literal.
   */
  private static Set<String> literalSet(Set<String> s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    int longest = 0;
    for (String x : s) {
      if (x.isEmpty() || x.length() < MIN && RARE.indexOf(x.charAt(0)) < 0) {
        return null;
      }
      longest = Math.max(longest, x.length());
    }
    for (int len = longest; ; len = len > 4 ? len / 2 : len - 1) {
      int l = len;
      Set<String> t = len == longest ? s : map(s, x -> x.length() > l ? x.substring(0, l) : x);
      if (t.size() > 8 * MAX_SET) {
        continue; // too many even before dropping the strings that contain others
      }
      // shortest first: a string containing a kept one adds nothing (containment is transitive)
      List<String> byLength = new ArrayList<>(t);
      byLength.sort((x, y) -> Integer.compare(x.length(), y.length()));
      List<String> kept = new ArrayList<>();
      for (String x : byLength) {
        boolean covered = false;
        for (int k = 0; k < kept.size() && !covered; k++) {
          covered = x.contains(kept.get(k));
        }
        if (!covered) {
          kept.add(x);
        }
      }
      if (kept.size() <= MAX_SET) {
        return new TreeSet<>(kept);
      }
      if (len <= MIN) {
        return null;
      }
    }
  }

  private static List<List<Set<String>>> and(List<List<Set<String>>> a, List<List<Set<String>>> b) {
    if (isTrue(a)) {
      return b;
    }
    if (isTrue(b)) {
      return a;
    }
    if (a.size() * b.size() > MAX_BRANCHES) {
      if (a.size() >= b.size()) {
        a = collapse(a);
      } else {
        b = collapse(b);
      }
      return and(a, b);
    }
    List<List<Set<String>>> out = new ArrayList<>();
    for (List<Set<String>> x : a) {
      for (List<Set<String>> y : b) {
        List<Set<String>> t = new ArrayList<>(x);
        for (Set<String> s : y) {
          if (!t.contains(s)) {
            t.add(s);
          }
        }
        out.add(prune(t));
      }
    }
    return out;
  }

  /**
   * One term implied by a disjunction: the sets every term has, and the union of each term's
   * strongest set.
   */
  private static List<List<Set<String>>> collapse(List<List<Set<String>>> d) {
    if (d.size() <= 1 || isTrue(d)) {
      return d.size() <= 1 ? d : TRUE();
    }
    List<Set<String>> t = new ArrayList<>();
    for (Set<String> s : d.get(0)) {
      if (d.stream().allMatch(x -> x.contains(s))) {
        t.add(s);
      }
    }
    Set<String> u = new TreeSet<>();
    for (List<Set<String>> x : d) {
      u.addAll(x.get(0)); // terms are pruned: the strongest set first
    }
    u = literalSet(u);
    if (u != null && !t.contains(u)) {
      t.add(u);
    }
    return t.isEmpty() ? TRUE() : List.of(prune(t));
  }

  /** Drops sets another set of the term implies; keeps the strongest {@link #MAX_SETS}. */
  private static List<Set<String>> prune(List<Set<String>> t) {
    List<Set<String>> out = new ArrayList<>();
    for (int i = 0; i < t.size(); i++) {
      Set<String> s = t.get(i);
      boolean implied = false;
      for (int j = 0; j < t.size() && !implied; j++) {
        Set<String> o = t.get(j);
        // o implies s when each string of o contains a string of s (ties: keep the first)
        implied = j != i && implies(o, s) && (!implies(s, o) || j < i);
      }
      if (!implied) {
        out.add(s);
      }
    }
    out.sort(Prefilter::stronger);
    return out.size() > MAX_SETS ? List.copyOf(out.subList(0, MAX_SETS)) : out;
  }

  private static boolean implies(Set<String> o, Set<String> s) {
    for (String x : o) {
      boolean found = false;
      for (String y : s) {
        if (x.contains(y)) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** Longer shortest string first, then fewer strings. */
  private static int stronger(Set<String> a, Set<String> b) {
    int la = a.stream().mapToInt(String::length).min().orElse(0);
    int lb = b.stream().mapToInt(String::length).min().orElse(0);
    if (la != lb) {
      return Integer.compare(lb, la);
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Removes terms another term implies (a term with a subset of its sets). */
  private static List<List<Set<String>>> normal(List<List<Set<String>>> d) {
    if (isTrue(d)) {
      return TRUE();
    }
    List<List<Set<String>>> out = new ArrayList<>();
    for (int i = 0; i < d.size(); i++) {
      List<Set<String>> t = d.get(i);
      boolean redundant = false;
      for (int j = 0; j < d.size() && !redundant; j++) {
        List<Set<String>> o = d.get(j);
        redundant = j != i && t.containsAll(o) && (!o.containsAll(t) || j < i);
      }
      if (!redundant) {
        out.add(t);
      }
    }
    return Collections.unmodifiableList(out);
  }

  // ---- the parser (RE2 syntax; what it does not know ends the analysis) ------------------------

  private static final class Parser {
    final String p;
    int i;

    Parser(String p) {
      this.p = p;
    }

    Info alternation(int depth) {
      if (depth > 32) {
        throw new Unsupported();
      }
      List<Info> alts = new ArrayList<>();
      alts.add(concatenation(depth));
      while (i < p.length() && p.charAt(i) == '|') {
        i++;
        alts.add(concatenation(depth));
      }
      return alternate(alts);
    }

    Info concatenation(int depth) {
      Info acc = EMPTY;
      while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
        Info atom = atom(depth);
        while (i < p.length()) {
          int[] q = quantifier();
          if (q == null) {
            break;
          }
          atom = repeat(atom, q[0], q[1]);
        }
        acc = concat(acc, atom);
      }
      return acc;
    }

    /** {min, max} (max -1: unbounded) of a quantifier at i, consumed; null when none. */
    int[] quantifier() {
      char c = p.charAt(i);
      int[] q;
      if (c == '*') {
        q = new int[] {0, -1};
        i++;
      } else if (c == '+') {
        q = new int[] {1, -1};
        i++;
      } else if (c == '?') {
        q = new int[] {0, 1};
        i++;
      } else if (c == '{') {
        q = counted();
        if (q == null) {
          return null;
        }
      } else {
        return null;
      }
      if (i < p.length() && p.charAt(i) == '?') {
        i++; // non-greedy: the same strings
      }
      return q;
    }

    /** {n}, {n,} or {n,m} at i; otherwise null (and '{' is a literal). */
    int[] counted() {
      int j = i + 1;
      int a = j;
      while (j < p.length() && Character.isDigit(p.charAt(j))) {
        j++;
      }
      if (j == a || j - a > 4 || j >= p.length()) {
        return null;
      }
      int min = Integer.parseInt(p.substring(a, j));
      int max = min;
      if (p.charAt(j) == ',') {
        j++;
        int b = j;
        while (j < p.length() && Character.isDigit(p.charAt(j))) {
          j++;
        }
        if (j - b > 4) {
          return null;
        }
        max = j == b ? -1 : Integer.parseInt(p.substring(b, j));
      }
      if (j >= p.length() || p.charAt(j) != '}') {
        return null;
      }
      i = j + 1;
      return new int[] {min, max};
    }

    Info atom(int depth) {
      char c = p.charAt(i);
      if (c == '(') {
        i++;
        if (p.startsWith("?:", i)) {
          i += 2;
        } else if (p.startsWith("?P<", i) || p.startsWith("?<", i)) {
          int close = p.indexOf('>', i);
          if (close < 0) {
            throw new Unsupported();
          }
          i = close + 1;
        } else if (p.startsWith("?", i)) {
          // flags: s, m and U do not change which literals a match holds; i does
          int j = i + 1;
          while (j < p.length() && "smU-".indexOf(p.charAt(j)) >= 0) {
            j++;
          }
          if (j >= p.length()) {
            throw new Unsupported();
          }
          if (p.charAt(j) == ')') {
            i = j + 1;
            return EMPTY;
          }
          if (p.charAt(j) != ':') {
            throw new Unsupported();
          }
          i = j + 1;
        }
        Info inner = alternation(depth + 1);
        if (i >= p.length() || p.charAt(i) != ')') {
          throw new Unsupported();
        }
        i++;
        return inner;
      }
      if (c == '[') {
        return charClass();
      }
      if (c == '.') {
        i++;
        return ANY_CHAR;
      }
      if (c == '^' || c == '$') {
        i++;
        return EMPTY;
      }
      if (c == '\\') {
        Integer lit = escape(false);
        if (lit == null) {
          return ANY_CHAR;
        }
        if (lit < 0) {
          return EMPTY;
        }
        return Info.exact(Set.of(new String(Character.toChars(lit))));
      }
      if (c == '*' || c == '+' || c == '?') {
        throw new Unsupported();
      }
      int cp = p.codePointAt(i);
      i += Character.charCount(cp);
      return Info.exact(Set.of(new String(Character.toChars(cp))));
    }

    /**
     * The escape at i, consumed: its code point, -1 for an empty-width assertion (outside a class),
     * or null for a class of chars not expanded (\d, \s, \pL...).
     */
    Integer escape(boolean inClass) {
      if (i + 1 >= p.length()) {
        throw new Unsupported();
      }
      char e = p.charAt(i + 1);
      i += 2;
      if (e < 0x80 && !Character.isLetterOrDigit(e)) {
        return (int) e;
      }
      switch (e) {
        case 'n':
          return (int) '\n';
        case 't':
          return (int) '\t';
        case 'r':
          return (int) '\r';
        case 'f':
          return (int) '\f';
        case 'v':
          return 0x0b;
        case 'a':
          return 0x07;
        case 'x':
          return hex();
        case 'd':
        case 'D':
        case 's':
        case 'S':
        case 'w':
        case 'W':
          return null;
        case 'p':
        case 'P':
          if (i < p.length() && p.charAt(i) == '{') {
            int close = p.indexOf('}', i);
            if (close < 0) {
              throw new Unsupported();
            }
            i = close + 1;
          } else {
            i++;
          }
          return null;
        case 'b':
        case 'B':
        case 'A':
        case 'z':
          if (inClass) {
            throw new Unsupported();
          }
          return -1;
        default:
          throw new Unsupported(); // \Q, \C, octal, ...
      }
    }

    int hex() {
      int end;
      int start;
      if (i < p.length() && p.charAt(i) == '{') {
        start = i + 1;
        end = p.indexOf('}', i);
        if (end < 0) {
          throw new Unsupported();
        }
        i = end + 1;
      } else {
        start = i;
        end = i + 2;
        i = end;
      }
      if (end > p.length() || end == start || end - start > 6) {
        throw new Unsupported();
      }
      int v = 0;
      for (int k = start; k < end; k++) {
        int h = Character.digit(p.charAt(k), 16);
        if (h < 0) {
          throw new Unsupported();
        }
        v = v * 16 + h;
      }
      if (v > Character.MAX_CODE_POINT) {
        throw new Unsupported();
      }
      return v;
    }

    /** A bracketed class: its chars when few and plain, else one unknown char. */
    Info charClass() {
      i++;
      boolean negated = false;
      if (i < p.length() && p.charAt(i) == '^') {
        negated = true;
        i++;
      }
      boolean opaque = negated;
      Set<String> chars = new TreeSet<>();
      boolean first = true;
      while (true) {
        if (i >= p.length()) {
          throw new Unsupported();
        }
        char c = p.charAt(i);
        if (c == ']' && !first) {
          i++;
          break;
        }
        first = false;
        int lo;
        if (c == '[' && p.startsWith("[:", i) && p.indexOf(":]", i + 2) >= 0) {
          i = p.indexOf(":]", i + 2) + 2;
          opaque = true;
          continue;
        } else if (c == '\\') {
          Integer e = escape(true);
          if (e == null) {
            opaque = true;
            continue;
          }
          lo = e;
        } else {
          lo = p.codePointAt(i);
          i += Character.charCount(lo);
        }
        int hi = lo;
        if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
          i++;
          if (p.charAt(i) == '\\') {
            Integer e = escape(true);
            if (e == null) {
              throw new Unsupported();
            }
            hi = e;
          } else {
            hi = p.codePointAt(i);
            i += Character.charCount(hi);
          }
        }
        if (hi < lo) {
          throw new Unsupported();
        }
        if (hi - lo >= MAX_CLASS) {
          opaque = true;
          continue;
        }
        for (int x = lo; x <= hi; x++) {
          chars.add(new String(Character.toChars(x)));
        }
      }
      if (opaque || chars.isEmpty() || chars.size() > MAX_CLASS) {
        return ANY_CHAR;
      }
      return Info.exact(chars);
    }
  }
}
