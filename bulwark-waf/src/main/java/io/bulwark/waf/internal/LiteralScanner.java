package io.bulwark.waf.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
 */
public final class LiteralScanner {
  private final List<String> literals;
  private final int[] classOf = new int[256];
  private final int classes;
  private final int[] delta;
  private final long[][] out;
  private final int words;

  private LiteralScanner(List<String> literals) {
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

    // The trie, state 0 the root.
    List<Map<Integer, Integer>> go = new ArrayList<>();
    List<long[]> outs = new ArrayList<>();
    go.add(new HashMap<>());
    outs.add(null);
    for (int id = 0; id < literals.size(); id++) {
      String l = literals.get(id);
      int s = 0;
      for (int i = 0; i < l.length(); i++) {
        int cls = classOf[l.charAt(i)];
        Integer t = go.get(s).get(cls);
        if (t == null) {
          t = go.size();
          go.add(new HashMap<>());
          outs.add(null);
          go.get(s).put(cls, t);
        }
        s = t;
      }
      long[] o = outs.get(s);
      if (o == null) {
        o = new long[words];
        outs.set(s, o);
      }
      o[id >>> 6] |= 1L << (id & 63);
    }

    // Breadth first: failure links, folded into a complete transition table, and each state's
    // output joined with its failure state's (whose depth is smaller, so already complete).
    int n = go.size();
    int[] table = new int[n * classes];
    int[] fail = new int[n];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int cls = 0; cls < classes; cls++) {
      Integer t = go.get(0).get(cls);
      if (t != null) {
        table[cls] = t;
        fail[t] = 0;
        queue.add(t);
      }
    }
    while (!queue.isEmpty()) {
      int s = queue.poll();
      long[] fo = outs.get(fail[s]);
      if (fo != null) {
        long[] o = outs.get(s);
        if (o == null) {
          outs.set(s, fo);
        } else {
          long[] joined = o.clone();
          for (int w = 0; w < words; w++) {
            joined[w] |= fo[w];
          }
          outs.set(s, joined);
        }
      }
      for (int cls = 0; cls < classes; cls++) {
        Integer t = go.get(s).get(cls);
        if (t != null) {
          table[s * classes + cls] = t;
          fail[t] = table[fail[s] * classes + cls];
          queue.add(t);
        } else {
          table[s * classes + cls] = table[fail[s] * classes + cls];
        }
      }
    }
    this.delta = table;
    this.out = outs.toArray(new long[0][]);
  }

  /** A scanner for these literals (none empty); a literal's id is its index in the list. */
  public static LiteralScanner of(List<String> literals) {
    for (String l : literals) {
      if (l.isEmpty()) {
        throw new IllegalArgumentException("an empty literal occurs everywhere; test it apart");
      }
    }
    return new LiteralScanner(literals);
  }

  public List<String> literals() {
    return literals;
  }

  /** The length of the bit sets {@link #scan} returns. */
  public int words() {
    return words;
  }

  /** The ids of the literals that occur in {@code value}, as a bit set. */
  public long[] scan(String value) {
    long[] found = new long[words];
    int s = 0;
    int[] d = delta;
    int[] cls = classOf;
    int k = classes;
    long[][] o = out;
    for (int i = 0, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      s = d[s * k + (c < 256 ? cls[c] : 0)];
      long[] hit = o[s];
      if (hit != null) {
        for (int w = 0; w < hit.length; w++) {
          found[w] |= hit[w];
        }
      }
    }
    return found;
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
        + out.length
        + " states, "
        + classes
        + " input classes]";
  }
}
