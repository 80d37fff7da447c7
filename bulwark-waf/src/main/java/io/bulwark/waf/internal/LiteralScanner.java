package io.bulwark.waf.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every literal that the statements on one field look for, found in one pass over a value (an
 * Aho-Corasick automaton, compiled to a dense transition table when the web ACL is loaded).
 *
 * <p>A web ACL asks the same value dozens of questions: does it contain {@code <script}, {@code
 * ../}, {@code jndi:}, and does any of a regex's required literals occur in it. Asked one by one
 * those are dozens of substring searches per value; here one scan answers all of them, as a bit set
 * of the literal ids that occur somewhere in the value. Statements then decide from the bits
 * (CONTAINS), or run their exact test only on values that hold their literal (the other positional
 * constraints, regular expressions behind their {@link Prefilter}).
 *
 * <p>Values are byte strings (one char per byte, see {@link Text}); chars the literals never use
 * share one input class, so the table has a column per distinct literal char plus one. The scan is
 * linear in the value and allocates nothing but the result.
 *
 * <p>The table is laid out for the cache, since a scan is one dependent table load per byte:
 *
 * <ul>
 *   <li>Entries are {@code char}s when the automaton has at most 32,768 states (every web ACL seen
 *       so far: a default ACL's largest field has about 1,600), {@code int}s otherwise; half the
 *       bytes of an int table for the same lookups.
 *   <li>An entry's top bit says whether the state it leads to completes a literal, so a step that
 *       finds nothing, nearly every step, is that one load and a compare; the literal ids found at
 *       a state are read only on the steps that reach such a state.
 *   <li>States are numbered breadth first, so the root and the shallow states, where a scan spends
 *       most of its steps, have adjacent rows at the start of the table.
 *   <li>Steps at the root (two thirds of them on typical values) run in a loop of their own that
 *       reads the root's row by char: each step's address is known from its char alone, so they do
 *       not wait on each other's loads as the steps below the root do.
 *   <li>Rows are padded to a power of two, so a row is found with a shift rather than a multiply in
 *       the chain of dependent steps (57 classes take 64 columns, for instance).
 *   <li>The ids each state completes (its own and those of the states its failure links lead to)
 *       are one flat {@code int} array, a few ids per state, rather than a bit set per state.
 * </ul>
 */
public final class LiteralScanner {
  /** The most states a char table holds: the top bit of an entry is the output flag. */
  static final int MAX_NARROW_STATES = 1 << 15;

  private static final int NARROW_OUT = 1 << 15;
  private static final int NARROW_STATE = NARROW_OUT - 1;

  private final List<String> literals;
  private final int[] classOf = new int[256];
  private final int classes;

  /** log2 of a row's length: {@link #classes} rounded up to a power of two. */
  private final int shift;

  private final int states;
  private final int words;

  /**
   * Transitions, {@code [state << shift | class]}: the next state, top bit set if it has output.
   */
  private final char[] narrow;

  /** The same as {@link #narrow} when there are too many states for chars; sign bit the flag. */
  private final int[] wide;

  /**
   * The root's row by char rather than by class, as entries of the table in use: [256] for the
   * chars above 0xff.
   */
  private final int[] root = new int[257];

  /** The ids state {@code s} completes: {@code outIds[outStart[s] .. outStart[s + 1])}. */
  private final int[] outStart;

  private final int[] outIds;

  private LiteralScanner(List<String> literals, boolean forceWide) {
    this.literals = List.copyOf(literals);
    this.words = Math.max(1, (literals.size() + 63) >>> 6);
    int next = 1;
    for (String l : literals) {
      for (int i = 0; i < l.length(); i++) {
        int c = l.charAt(i);
        if (c > 0xff) {
          throw new IllegalArgumentException("not a byte string: " + l);
        }
        if (classOf[c] == 0) {
          classOf[c] = next++;
        }
      }
    }
    this.classes = next;
    int shift = 32 - Integer.numberOfLeadingZeros(next - 1);
    this.shift = shift;
    int k = 1 << shift; // columns past the last class are never read

    // The trie, state 0 the root, numbered in order of creation.
    List<Map<Integer, Integer>> go = new ArrayList<>();
    List<List<Integer>> own = new ArrayList<>();
    go.add(new HashMap<>());
    own.add(null);
    for (int id = 0; id < literals.size(); id++) {
      String l = literals.get(id);
      int s = 0;
      for (int i = 0; i < l.length(); i++) {
        int cls = classOf[l.charAt(i)];
        Integer t = go.get(s).get(cls);
        if (t == null) {
          t = go.size();
          go.add(new HashMap<>());
          own.add(null);
          go.get(s).put(cls, t);
        }
        s = t;
      }
      if (own.get(s) == null) {
        own.set(s, new ArrayList<>(1));
      }
      own.get(s).add(id);
    }
    int n = go.size();
    this.states = n;
    if ((long) n * k > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("too many literals for one scanner: " + n + " states");
    }

    // Breadth-first numbering: order[new] = old.
    int[] order = new int[n];
    int[] rank = new int[n];
    int tail = 1;
    for (int head = 0; head < tail; head++) {
      Map<Integer, Integer> children = go.get(order[head]);
      for (int cls = 0; cls < classes; cls++) {
        Integer t = children.get(cls);
        if (t != null) {
          rank[t] = tail;
          order[tail++] = t;
        }
      }
    }

    // Failure links folded into a complete transition table, in breadth-first order (a state's
    // failure state is shallower, so its row and its outputs are complete when they are read).
    // Each state's outputs are its own literals then its failure state's outputs: disjoint, as its
    // own are exactly as long as its depth and the others shorter.
    int[] table = new int[n * k];
    int[] fail = new int[n];
    int[] start = new int[n + 1];
    int[] ids = new int[Math.max(8, literals.size())];
    int count = 0;
    for (int u = 0; u < n; u++) {
      Map<Integer, Integer> children = go.get(order[u]);
      for (int cls = 0; cls < classes; cls++) {
        Integer t = children.get(cls);
        int via = u == 0 ? 0 : table[fail[u] * k + cls];
        if (t != null) {
          int v = rank[t];
          table[u * k + cls] = v;
          fail[v] = u == 0 ? 0 : via;
        } else {
          table[u * k + cls] = via;
        }
      }
      start[u] = count;
      List<Integer> mine = own.get(order[u]);
      int f = fail[u];
      int inherited = u == 0 ? 0 : start[f + 1] - start[f];
      int need = count + (mine == null ? 0 : mine.size()) + inherited;
      if (need > ids.length) {
        ids = Arrays.copyOf(ids, Math.max(need, ids.length * 2));
      }
      if (mine != null) {
        for (int id : mine) {
          ids[count++] = id;
        }
      }
      if (inherited > 0) {
        System.arraycopy(ids, start[f], ids, count, inherited);
        count += inherited;
      }
    }
    start[n] = count;
    this.outStart = start;
    this.outIds = Arrays.copyOf(ids, count);

    if (n <= MAX_NARROW_STATES && !forceWide) {
      char[] t = new char[table.length];
      for (int i = 0; i < table.length; i++) {
        int v = table[i];
        t[i] = (char) (hasOutput(v) ? v | NARROW_OUT : v);
      }
      this.narrow = t;
      this.wide = null;
      for (int c = 0; c <= 256; c++) {
        root[c] = t[c < 256 ? classOf[c] : 0];
      }
    } else {
      for (int i = 0; i < table.length; i++) {
        int v = table[i];
        table[i] = hasOutput(v) ? v | Integer.MIN_VALUE : v;
      }
      this.narrow = null;
      this.wide = table;
      for (int c = 0; c <= 256; c++) {
        root[c] = table[c < 256 ? classOf[c] : 0];
      }
    }
  }

  private boolean hasOutput(int state) {
    return outStart[state + 1] > outStart[state];
  }

  /** A scanner for these literals (none empty); a literal's id is its index in the list. */
  public static LiteralScanner of(List<String> literals) {
    return of(literals, false);
  }

  /** As {@link #of(List)}; {@code wide} forces the int table (for tests of that path). */
  static LiteralScanner of(List<String> literals, boolean wide) {
    for (String l : literals) {
      if (l.isEmpty()) {
        throw new IllegalArgumentException("an empty literal occurs everywhere; test it apart");
      }
    }
    return new LiteralScanner(literals, wide);
  }

  public List<String> literals() {
    return literals;
  }

  /** The length of the bit sets {@link #scan} returns. */
  public int words() {
    return words;
  }

  /** Whether the table has int entries (too many states for chars, or forced). */
  boolean wide() {
    return wide != null;
  }

  int states() {
    return states;
  }

  /** The ids of the literals that occur in {@code value}, as a bit set. */
  public long[] scan(String value) {
    long[] found = new long[words];
    if (narrow != null) {
      scanNarrow(value, found);
    } else {
      scanWide(value, found);
    }
    return found;
  }

  // Two loops each: one at the root, where every step's row is known before its char is read, so
  // steps do not wait on each other's loads (the CPU runs several at once; two thirds of the steps
  // on typical values are at the root), and one below it, until a step leads back to the root.
  // scanNarrow and scanWide are the same loop over a char[] and an int[] table; they are kept apart
  // rather than behind a common accessor so that each compiles to plain array loads.

  private void scanNarrow(String value, long[] found) {
    char[] d = narrow;
    int[] cls = classOf;
    int[] root = this.root;
    int rootOther = root[256];
    int shift = this.shift;
    int n = value.length();
    int i = 0;
    while (i < n) {
      char c = value.charAt(i++);
      int e = c < 256 ? root[c] : rootOther;
      while (e != 0) {
        int s = e;
        if (e >= NARROW_OUT) {
          s = e & NARROW_STATE;
          mark(s, found);
        }
        if (i == n) {
          return;
        }
        c = value.charAt(i++);
        e = d[(s << shift) + (c < 256 ? cls[c] : 0)];
      }
    }
  }

  private void scanWide(String value, long[] found) {
    int[] d = wide;
    int[] cls = classOf;
    int[] root = this.root;
    int rootOther = root[256];
    int shift = this.shift;
    int n = value.length();
    int i = 0;
    while (i < n) {
      char c = value.charAt(i++);
      int e = c < 256 ? root[c] : rootOther;
      while (e != 0) {
        int s = e;
        if (e < 0) {
          s = e & Integer.MAX_VALUE;
          mark(s, found);
        }
        if (i == n) {
          return;
        }
        c = value.charAt(i++);
        e = d[(s << shift) + (c < 256 ? cls[c] : 0)];
      }
    }
  }

  private void mark(int state, long[] found) {
    int[] ids = outIds;
    for (int j = outStart[state], end = outStart[state + 1]; j < end; j++) {
      int id = ids[j];
      found[id >>> 6] |= 1L << id;
    }
  }

  static boolean has(long[] bits, int id) {
    return (bits[id >>> 6] & (1L << (id & 63))) != 0;
  }

  static boolean intersects(long[] a, long[] b) {
    for (int w = 0; w < a.length; w++) {
      if ((a[w] & b[w]) != 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "LiteralScanner["
        + literals.size()
        + " literals, "
        + states
        + " states, "
        + classes
        + " input classes]";
  }
}
