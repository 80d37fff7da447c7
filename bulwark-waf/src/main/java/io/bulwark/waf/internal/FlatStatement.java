package io.bulwark.waf.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule's statement tree laid out in arrays and evaluated by one loop, so that the hundreds of
 * and/or/not nodes and leaf lookups a web ACL walks per request cost an array read and a branch
 * each, not an interface call through a dozen statement types. Statements other than and, or, not
 * and compiled leaves (rate-based, IP set, geo, label match) keep their own {@code matches}.
 */
final class FlatStatement implements Statement {
  private static final byte LEAF = 0;
  private static final byte AND = 1;
  private static final byte OR = 2;
  private static final byte NOT = 3;
  private static final byte OTHER = 4;

  private final Statement source;
  private final byte[] op;

  /** LEAF: field index; AND/OR: first index into kids; NOT: the child node; OTHER: others index. */
  private final int[] a;

  /** LEAF: leaf number; AND/OR: number of children. */
  private final int[] b;

  private final int[] kids;
  private final Field[] fields;
  private final Statement[] others;

  /**
   * Leaves one of which must hold for the tree to hold ({@link #needed}), as the fields they
   * inspect and their leaves per field. When every one of them is already known to be false for the
   * request, the tree is false without a walk.
   */
  private final int[] guardFields;

  private final Field[] guardFieldObjects;
  private final long[][] guardMasks;

  private FlatStatement(Statement source, Builder bl) {
    this.source = source;
    int n = bl.op.size();
    this.op = new byte[n];
    this.a = new int[n];
    this.b = new int[n];
    this.fields = new Field[n];
    for (int i = 0; i < n; i++) {
      op[i] = bl.op.get(i);
      a[i] = bl.a.get(i);
      b[i] = bl.b.get(i);
      fields[i] = bl.fields.get(i);
    }
    this.kids = bl.kids.stream().mapToInt(Integer::intValue).toArray();
    this.others = bl.others.toArray(new Statement[0]);
    java.util.TreeMap<Integer, long[]> masks = new java.util.TreeMap<>();
    java.util.Map<Integer, Field> fieldOf = new java.util.HashMap<>();
    if (!needed(0, masks, fieldOf)) {
      masks.clear();
    }
    this.guardFields = masks.keySet().stream().mapToInt(Integer::intValue).toArray();
    this.guardFieldObjects = new Field[guardFields.length];
    this.guardMasks = new long[guardFields.length][];
    for (int i = 0; i < guardFields.length; i++) {
      guardFieldObjects[i] = fieldOf.get(guardFields[i]);
      guardMasks[i] = masks.get(guardFields[i]);
    }
  }

  /**
   * Adds to {@code masks} leaves one of which holds whenever {@code node} does; false when no such
   * set can be named (a not, another statement). A leaf is itself; an or needs one of its
   * children's sets; an and needs the set of any one child, and takes its first child that has one,
   * since its children are evaluated in order and the first is the one most often already answered.
   */
  private boolean needed(
      int node, java.util.Map<Integer, long[]> masks, java.util.Map<Integer, Field> fieldOf) {
    switch (op[node]) {
      case LEAF:
        {
          long[] m = masks.getOrDefault(a[node], new long[0]);
          int w = b[node] >>> 6;
          if (m.length <= w) {
            m = java.util.Arrays.copyOf(m, w + 1);
          }
          m[w] |= 1L << (b[node] & 63);
          masks.put(a[node], m);
          fieldOf.put(a[node], fields[node]);
          return true;
        }
      case AND:
        for (int k = a[node], end = k + b[node]; k < end; k++) {
          java.util.Map<Integer, long[]> own = new java.util.TreeMap<>();
          if (needed(kids[k], own, fieldOf)) {
            own.forEach((f, m) -> masks.merge(f, m, FlatStatement::union));
            return true;
          }
        }
        return false;
      case OR:
        for (int k = a[node], end = k + b[node]; k < end; k++) {
          if (!needed(kids[k], masks, fieldOf)) {
            return false;
          }
        }
        return true;
      default:
        return false;
    }
  }

  private static long[] union(long[] x, long[] y) {
    long[] out = java.util.Arrays.copyOf(x, Math.max(x.length, y.length));
    for (int w = 0; w < y.length; w++) {
      out[w] |= y[w];
    }
    return out;
  }

  /** The fields of the guard (empty: no set of leaves the tree needs could be named). */
  int[] guardFields() {
    return guardFields;
  }

  Field[] guardFieldObjects() {
    return guardFieldObjects;
  }

  /** Per guard field, its leaves in the tree. */
  long[][] guardMasks() {
    return guardMasks;
  }

  /** The flat form of a compiled statement tree (a lone leaf or other statement stays as it is). */
  static Statement of(Statement s) {
    if (!(s instanceof Statement.And || s instanceof Statement.Or || s instanceof Statement.Not)) {
      return s;
    }
    Builder bl = new Builder();
    bl.add(s);
    return new FlatStatement(s, bl);
  }

  @Override
  public boolean matches(EvalContext ctx) {
    if (guardFields.length > 0 && allLeavesFalse(ctx)) {
      return false;
    }
    return eval(0, ctx);
  }

  private boolean allLeavesFalse(EvalContext ctx) {
    for (int i = 0; i < guardFields.length; i++) {
      if (!ctx.knownFalse(guardFields[i], guardFieldObjects[i], guardMasks[i])) {
        return false;
      }
    }
    return true;
  }

  private boolean eval(int node, EvalContext ctx) {
    switch (op[node]) {
      case LEAF:
        return ctx.leaf(a[node], fields[node], b[node]);
      case AND:
        for (int k = a[node], end = k + b[node]; k < end; k++) {
          if (!eval(kids[k], ctx)) {
            return false;
          }
        }
        return true;
      case OR:
        for (int k = a[node], end = k + b[node]; k < end; k++) {
          if (eval(kids[k], ctx)) {
            return true;
          }
        }
        return false;
      case NOT:
        return !eval(a[node], ctx);
      default:
        return others[a[node]].matches(ctx);
    }
  }

  @Override
  public int wcu() {
    return source.wcu();
  }

  @Override
  public List<Statement> children() {
    return source.children();
  }

  private static final class Builder {
    final List<Byte> op = new ArrayList<>();
    final List<Integer> a = new ArrayList<>();
    final List<Integer> b = new ArrayList<>();
    final List<Field> fields = new ArrayList<>();
    final List<Integer> kids = new ArrayList<>();
    final List<Statement> others = new ArrayList<>();

    int node(byte o, int x, int y, Field f) {
      op.add(o);
      a.add(x);
      b.add(y);
      fields.add(f);
      return op.size() - 1;
    }

    int add(Statement s) {
      if (s instanceof Scanned.Leaf l) {
        return node(LEAF, l.site().fieldIndex(), l.leaf(), l.site().field());
      }
      if (s instanceof Statement.Not n) {
        int me = node(NOT, -1, 0, null);
        a.set(me, add(n.statement()));
        return me;
      }
      if (s instanceof Statement.And || s instanceof Statement.Or) {
        List<Statement> cs = s.children();
        int me = node(s instanceof Statement.And ? AND : OR, 0, cs.size(), null);
        int[] childNodes = new int[cs.size()];
        for (int i = 0; i < cs.size(); i++) {
          childNodes[i] = add(cs.get(i));
        }
        a.set(me, kids.size());
        for (int c : childNodes) {
          kids.add(c);
        }
        return me;
      }
      others.add(s);
      return node(OTHER, others.size() - 1, 0, null);
    }
  }
}
