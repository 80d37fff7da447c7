package io.bulwark.waf.internal;

import java.util.Arrays;

/**
 * The work on one field value while a web ACL's leaf statements are answered for it. The value
 * through each site's chain is kept per site; every string met on the way (the value and each
 * transformation's output) gets a node that keeps its transformations' outputs, its literal bits
 * and its detector results, so each is computed once per string object. Transformations return
 * their input when they change nothing, so chains that differ only in steps with nothing to do
 * reach the same string object and share everything after that.
 */
final class ValueEval {
  private static final int TRANSFORMATIONS = Transformation.values().length;

  private final String[] bySite;
  private Node[] nodes = new Node[8];
  private int count;

  /** One string met while answering: what was computed from it. */
  private static final class Node {
    final String value;
    String[] next;
    long[] bits;
    Object[] tests; // (key, Boolean)*
    int testCount;

    Node(String value) {
      this.value = value;
    }
  }

  private final boolean[] batched;

  ValueEval(int sites) {
    this.bySite = new String[sites];
    this.batched = new boolean[sites];
  }

  /** True the first time it is asked for a site: its cheap leaves are then decided together. */
  boolean firstBatch(ScanPlan.Site site) {
    if (batched[site.localIndex()]) {
      return false;
    }
    batched[site.localIndex()] = true;
    return true;
  }

  private Node node(String s) {
    for (int i = 0; i < count; i++) {
      if (nodes[i].value == s) {
        return nodes[i];
      }
    }
    if (count == nodes.length) {
      nodes = Arrays.copyOf(nodes, count * 2);
    }
    Node n = new Node(s);
    nodes[count++] = n;
    return n;
  }

  /** The value after a site's transformation chain. */
  String chain(ScanPlan.Site site, String value) {
    String v = bySite[site.localIndex()];
    if (v != null) {
      return v;
    }
    v = value;
    for (Transformation t : site.chain().steps()) {
      Node n = node(v);
      if (n.next == null) {
        n.next = new String[TRANSFORMATIONS];
      }
      String w = n.next[t.ordinal()];
      if (w == null) {
        w = t.transform(v);
        if (w != v) {
          w = canonical(w);
        }
        n.next[t.ordinal()] = w;
      }
      v = w;
    }
    bySite[site.localIndex()] = v;
    return v;
  }

  /**
   * A string met before with the same content, else {@code s}: chains whose different steps reach
   * equal outputs (LOWERCASE and CMD_LINE on a plain value) then share that string's scan and
   * tests.
   */
  private String canonical(String s) {
    for (int i = 0; i < count; i++) {
      String seen = nodes[i].value;
      if (seen.length() == s.length() && seen.equals(s)) {
        return seen;
      }
    }
    return s;
  }

  /** The ids of the field scanner's literals that occur in {@code value}. */
  long[] bits(String value, LiteralScanner scanner) {
    Node n = node(value);
    if (n.bits == null) {
      n.bits = scanner.scan(value);
    }
    return n.bits;
  }

  /** A test of {@code value}, run once per string object and key. */
  boolean test(String value, Object key, Statement.ValueTest t) {
    Node n = node(value);
    Object[] ts = n.tests;
    for (int i = 0; i < n.testCount; i += 2) {
      if (ts[i] == key) {
        return (Boolean) ts[i + 1];
      }
    }
    boolean r = t.test(value);
    if (ts == null) {
      ts = n.tests = new Object[8];
    } else if (n.testCount == ts.length) {
      ts = n.tests = Arrays.copyOf(ts, ts.length * 2);
    }
    ts[n.testCount] = key;
    ts[n.testCount + 1] = r;
    n.testCount += 2;
    return r;
  }
}
