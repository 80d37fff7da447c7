package io.bulwark.waf.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Several CONTAINS byte matches on the same field and chain under one OR, merged when the
 * configuration is loaded: one pass over each value, checking the literals that start with the byte
 * at hand, instead of one substring search per literal. Same result as the OR it replaces; same
 * WCU.
 */
record ContainsAny(
    Field field, TextChain chain, List<String> literals, int wcu, String[][] byFirst, long[] firsts)
    implements Statement {

  static ContainsAny of(Field field, TextChain chain, List<String> literals, int wcu) {
    List<List<String>> buckets = new ArrayList<>(256);
    for (int i = 0; i < 256; i++) {
      buckets.add(null);
    }
    for (String l : literals) {
      int c = l.isEmpty() ? 0 : l.charAt(0) & 0xff;
      if (buckets.get(c) == null) {
        buckets.set(c, new ArrayList<>());
      }
      if (l.isEmpty()) {
        buckets.get(c).add(0, l);
      } else {
        buckets.get(c).add(l);
      }
    }
    String[][] byFirst = new String[256][];
    long[] firsts = new long[4];
    for (int i = 0; i < 256; i++) {
      if (buckets.get(i) != null) {
        byFirst[i] = buckets.get(i).toArray(new String[0]);
        firsts[i >>> 6] |= 1L << (i & 63);
      }
    }
    return new ContainsAny(field, chain, List.copyOf(literals), wcu, byFirst, firsts);
  }

  @Override
  public boolean matches(EvalContext ctx) {
    Inspection in = ctx.inspect(field, chain);
    if (in.forced() != null) {
      return in.forced();
    }
    for (String v : in.values()) {
      // The bytes a value holds are computed once per request and value; most values lack the
      // first byte of every literal, which settles the question without a scan.
      long[] present = ctx.bytesPresent(v);
      if ((present[0] & firsts[0]) == 0
          && (present[1] & firsts[1]) == 0
          && (present[2] & firsts[2]) == 0
          && (present[3] & firsts[3]) == 0
          && (firsts[0] & 1L) == 0) {
        continue;
      }
      if (test(v)) {
        return true;
      }
    }
    return false;
  }

  boolean test(String v) {
    if (byFirst[0] != null && byFirst[0].length > 0 && byFirst[0][0].isEmpty()) {
      return true; // an empty literal is contained in everything
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c > 0xff) {
        continue;
      }
      String[] cands = byFirst[c];
      if (cands != null) {
        for (String l : cands) {
          if (v.startsWith(l, i)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Override
  public int wcu() {
    return wcu;
  }

  /** Merges CONTAINS byte matches under every OR of a statement tree. */
  static Statement optimize(Statement s) {
    if (s instanceof Statement.And a) {
      return new Statement.And(a.statements().stream().map(ContainsAny::optimize).toList());
    }
    if (s instanceof Statement.Not n) {
      return new Statement.Not(optimize(n.statement()));
    }
    if (!(s instanceof Statement.Or o)) {
      return s;
    }
    List<Statement> out = new ArrayList<>();
    List<Statement> kids = o.statements().stream().map(ContainsAny::optimize).toList();
    boolean[] used = new boolean[kids.size()];
    for (int i = 0; i < kids.size(); i++) {
      if (used[i]) {
        continue;
      }
      if (kids.get(i) instanceof Statement.ByteMatch b
          && b.positional() == Statement.Positional.CONTAINS) {
        List<String> lits = new ArrayList<>();
        lits.add(b.search());
        int wcu = b.wcu();
        for (int j = i + 1; j < kids.size(); j++) {
          if (!used[j]
              && kids.get(j) instanceof Statement.ByteMatch c
              && c.positional() == Statement.Positional.CONTAINS
              && c.field() == b.field()
              && c.chain() == b.chain()) {
            lits.add(c.search());
            wcu += c.wcu();
            used[j] = true;
          }
        }
        out.add(lits.size() == 1 ? b : of(b.field(), b.chain(), lits, wcu));
      } else {
        out.add(kids.get(i));
      }
    }
    return out.size() == 1 ? out.get(0) : new Statement.Or(List.copyOf(out));
  }
}
