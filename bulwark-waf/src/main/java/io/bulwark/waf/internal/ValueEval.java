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
  private final Node[] bySite;
  private Node[] nodes = new Node[8];
  private int count;

  /** The node most recently returned: the next call is nearly always about its string. */
  private Node last;

  /** One string met while answering: what was computed from it. */
  private static final class Node {
    final String value;

    /** Transformations applied to it so far (ordinals) and the nodes of their outputs. */
    byte[] nextOps;

    Node[] nextNodes;
    int nextCount;
    long[] bits;
    Object[] tests; // (key, Boolean)*
    int testCount;

    Node(String value) {
      this.value = value;
    }

    Node next(Transformation t) {
      for (int i = 0; i < nextCount; i++) {
        if (nextOps[i] == t.ordinal()) {
          return nextNodes[i];
        }
      }
      return null;
    }

    void link(Transformation t, Node to) {
      if (nextOps == null) {
        nextOps = new byte[4];
        nextNodes = new Node[4];
      } else if (nextCount == nextOps.length) {
        nextOps = Arrays.copyOf(nextOps, nextCount * 2);
        nextNodes = Arrays.copyOf(nextNodes, nextCount * 2);
      }
      nextOps[nextCount] = (byte) t.ordinal();
      nextNodes[nextCount++] = to;
    }
  }

  ValueEval(int sites) {
    this.bySite = new Node[sites];
  }

  private Node node(String s) {
    Node l = last;
    if (l != null && l.value == s) {
      return l;
    }
    for (int i = 0; i < count; i++) {
      if (nodes[i].value == s) {
        return last = nodes[i];
      }
    }
    return last = add(s);
  }

  private Node add(String s) {
    if (count == nodes.length) {
      nodes = Arrays.copyOf(nodes, count * 2);
    }
    Node n = new Node(s);
    nodes[count++] = n;
    return n;
  }

  /**
   * The node of a transformation's new output: a string met before with the same content, if any
   * (chains whose different steps reach equal outputs, LOWERCASE and CMD_LINE on a plain value,
   * then share that string's scan and tests), else a new node.
   */
  private Node output(String s) {
    for (int i = 0; i < count; i++) {
      String seen = nodes[i].value;
      if (seen == s || (seen.length() == s.length() && seen.equals(s))) {
        return nodes[i];
      }
    }
    return add(s);
  }

  /** The value after a site's transformation chain. */
  String chain(ScanPlan.Site site, String value) {
    Node n = bySite[site.localIndex()];
    if (n == null) {
      n = node(value);
      for (Transformation t : site.chain().steps()) {
        Node m = n.next(t);
        if (m == null) {
          String w = t.transform(n.value);
          m = w == n.value ? n : output(w);
          n.link(t, m);
        }
        n = m;
      }
      bySite[site.localIndex()] = n;
    }
    last = n;
    return n.value;
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
