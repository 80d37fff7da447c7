package io.bulwark.waf.internal;

import com.google.re2j.Pattern;
import io.bulwark.waf.internal.ScanPlan.Site;
import java.util.List;

/**
 * Statements compiled against a {@link ScanPlan}. Each leaf statement that inspects a field keeps
 * the statement it replaces (for its WCU and its exact test) and answers for one value at a time
 * ({@link Leaf#test}); the request's answer is whether any value of the field satisfies it, which
 * the {@link EvalContext} keeps as one bit per leaf.
 */
final class Scanned {
  private Scanned() {}

  /** A statement over one field's values, answered one value at a time. */
  interface Leaf extends Statement {
    /** The field and transformation chain it inspects. */
    Site site();

    /** Its number among its field's leaves. */
    int leaf();

    /** Whether {@code value} (already through {@link #site()}'s chain) satisfies it. */
    boolean test(ValueEval e, String value);

    @Override
    default boolean matches(EvalContext ctx) {
      Site s = site();
      return ctx.leaf(s.fieldIndex(), s.field(), leaf());
    }
  }

  private static boolean any(ValueEval e, String value, Site site, long[] mask) {
    LiteralScanner sc = site.scanner();
    return sc != null && LiteralScanner.intersects(e.bits(value, sc), mask);
  }

  /**
   * A {@link Prefilter} compiled against a field's scanner: per branch, one mask per literal set.
   * It is open (the regex may match) when, for some branch, every mask meets the value's bits.
   */
  record Gate(long[][][] branches) {
    boolean open(long[] bits) {
      for (long[][] branch : branches) {
        boolean all = true;
        for (int k = 0; k < branch.length && all; k++) {
          all = LiteralScanner.intersects(bits, branch[k]);
        }
        if (all) {
          return true;
        }
      }
      return false;
    }

    /** Open when any of these is (all non-null). */
    static Gate anyOf(Gate[] gates) {
      List<long[][]> all = new java.util.ArrayList<>();
      for (Gate g : gates) {
        all.addAll(List.of(g.branches()));
      }
      return new Gate(all.toArray(new long[0][][]));
    }
  }

  private static boolean open(ValueEval e, String value, Site site, Gate gate) {
    LiteralScanner sc = site.scanner();
    return sc != null && gate.open(e.bits(value, sc));
  }

  /** A byte match: its literal must occur; positions other than CONTAINS are then checked. */
  record ByteMatch(Statement.ByteMatch base, Site site, int literal, int leaf) implements Leaf {
    @Override
    public boolean test(ValueEval e, String value) {
      return LiteralScanner.has(e.bits(value, site.scanner()), literal)
          && (base.positional() == Positional.CONTAINS || base.test(value));
    }

    @Override
    public int wcu() {
      return base.wcu();
    }
  }

  /** Several CONTAINS matches under one OR: any of their literals. */
  record ContainsAny(
      io.bulwark.waf.internal.ContainsAny base, Site site, long[] mask, boolean hasEmpty, int leaf)
      implements Leaf {
    @Override
    public boolean test(ValueEval e, String value) {
      return hasEmpty || any(e, value, site, mask);
    }

    @Override
    public int wcu() {
      return base.wcu();
    }
  }

  /** A regex, run only on values its prefilter's gate lets through (every value if none). */
  record Regex(Statement.RegexMatch base, Site site, Gate gate, int leaf) implements Leaf {
    @Override
    public boolean test(ValueEval e, String value) {
      if (gate != null && !open(e, value, site, gate)) {
        return false;
      }
      Pattern p = base.pattern();
      return e.test(value, p, x -> p.matcher(x).find());
    }

    @Override
    public int wcu() {
      return base.wcu();
    }
  }

  /** A regex pattern set: each pattern behind its own prefilter gate (null: none). */
  record RegexSet(Statement.RegexPatternSetMatch base, Site site, Gate[] gates, int leaf)
      implements Leaf {
    @Override
    public boolean test(ValueEval e, String value) {
      List<Pattern> patterns = base.patterns();
      for (int k = 0; k < gates.length; k++) {
        if (gates[k] != null && !open(e, value, site, gates[k])) {
          continue;
        }
        Pattern p = patterns.get(k);
        if (e.test(value, p, x -> p.matcher(x).find())) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int wcu() {
      return base.wcu();
    }
  }

  /** SQL injection (see {@link SqliDetector}). */
  record Sqli(Statement.SqliMatch base, Site site, int leaf) implements Leaf {
    @Override
    public boolean test(ValueEval e, String value) {
      Sensitivity sens = base.sensitivity();
      return e.test(value, sens, x -> SqliDetector.isInjection(x, sens));
    }

    @Override
    public int wcu() {
      return base.wcu();
    }
  }

  /** Cross-site scripting (see {@link XssDetector}). */
  record Xss(Statement.XssMatch base, Site site, int leaf) implements Leaf {
    @Override
    public boolean test(ValueEval e, String value) {
      return e.test(value, XssMatch.class, XssDetector::isXss);
    }

    @Override
    public int wcu() {
      return base.wcu();
    }
  }

  /** A size constraint. */
  record Size(Statement.SizeConstraint base, Site site, int leaf) implements Leaf {
    @Override
    public boolean test(ValueEval e, String value) {
      return base.test(value);
    }

    @Override
    public int wcu() {
      return base.wcu();
    }
  }
}
