package io.bulwark.waf.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which rules of a compiled web ACL a request can skip without looking at them. Rules are numbered
 * in evaluation order (a top-level rule is one slot, a rule group's rules one slot each). A rule
 * whose statement is a compiled leaf, or an and/or tree of compiled leaves, can hold only when one
 * of its leaves does ({@link FlatStatement#guardFields}); such a rule is <em>guarded</em> by its
 * leaves. Every other rule (a not, a rate-based rule, which must count, an IP set, a label match)
 * is always evaluated.
 *
 * <p>{@link #candidates} turns a request's field answers into the set of slots worth evaluating:
 * the unguarded ones, and the guarded ones with a leaf that is true or not yet known for some
 * value. On ordinary traffic the values were seen before (the value cache knows every leaf false),
 * so the rule walk visits a handful of rules instead of every rule of every group, and touches none
 * of the skipped rules' data. A skipped rule would have evaluated to false, so skipping never
 * changes a verdict, a label or a count.
 */
final class RuleIndex {
  private final int slots;
  private final long[] always;

  /** Fields that guard some slot: plan index and field. */
  private final int[] fieldIndex;

  private final Field[] fields;

  /** Per guarded field, per leaf: the slots that leaf guards (null: none). */
  private final long[][][] slotsOfLeaf;

  /** Per guarded field: its leaves that guard some slot. */
  private final long[][] guardLeaves;

  /** Per guarded field: every slot it guards (for a field forced by an oversize handling). */
  private final long[][] slotsOfField;

  private RuleIndex(
      int slots,
      long[] always,
      int[] fieldIndex,
      Field[] fields,
      long[][][] slotsOfLeaf,
      long[][] guardLeaves,
      long[][] slotsOfField) {
    this.slots = slots;
    this.always = always;
    this.fieldIndex = fieldIndex;
    this.fields = fields;
    this.slotsOfLeaf = slotsOfLeaf;
    this.guardLeaves = guardLeaves;
    this.slotsOfField = slotsOfField;
  }

  /** The statement of each slot of a compiled model, in evaluation order. */
  static List<Statement> slotStatements(AclModel model) {
    List<Statement> out = new ArrayList<>();
    for (Rule r : model.rules()) {
      if (r.group() != null) {
        for (Rule inner : r.group().group().rules()) {
          out.add(inner.statement());
        }
      } else {
        out.add(r.statement());
      }
    }
    return out;
  }

  static RuleIndex of(AclModel compiled, ScanPlan plan) {
    List<Statement> statements = slotStatements(compiled);
    int n = statements.size();
    int words = Math.max(1, (n + 63) >>> 6);
    long[] always = new long[words];
    int fieldCount = plan.fieldCount();
    Field[] fieldOf = new Field[fieldCount];
    long[][][] byLeaf = new long[fieldCount][][];
    for (int s = 0; s < n; s++) {
      Statement st = statements.get(s);
      int[] gf;
      Field[] gfo;
      long[][] gm;
      if (st instanceof Scanned.Leaf l) {
        gf = new int[] {l.site().fieldIndex()};
        gfo = new Field[] {l.site().field()};
        long[] m = new long[l.leaf() / 64 + 1];
        m[l.leaf() >>> 6] |= 1L << (l.leaf() & 63);
        gm = new long[][] {m};
      } else if (st instanceof FlatStatement f && f.guardFields().length > 0) {
        gf = f.guardFields();
        gfo = f.guardFieldObjects();
        gm = f.guardMasks();
      } else {
        always[s >>> 6] |= 1L << (s & 63);
        continue;
      }
      for (int i = 0; i < gf.length; i++) {
        int fi = gf[i];
        fieldOf[fi] = gfo[i];
        if (byLeaf[fi] == null) {
          byLeaf[fi] = new long[plan.leafWords(fi) * 64][];
        }
        for (int w = 0; w < gm[i].length; w++) {
          for (long m = gm[i][w]; m != 0; m &= m - 1) {
            int leaf = (w << 6) + Long.numberOfTrailingZeros(m);
            if (byLeaf[fi][leaf] == null) {
              byLeaf[fi][leaf] = new long[words];
            }
            byLeaf[fi][leaf][s >>> 6] |= 1L << (s & 63);
          }
        }
      }
    }
    List<Integer> used = new ArrayList<>();
    for (int f = 0; f < fieldCount; f++) {
      if (byLeaf[f] != null) {
        used.add(f);
      }
    }
    int k = used.size();
    int[] fieldIndex = new int[k];
    Field[] fields = new Field[k];
    long[][][] slotsOfLeaf = new long[k][][];
    long[][] guardLeaves = new long[k][];
    long[][] slotsOfField = new long[k][];
    for (int i = 0; i < k; i++) {
      int f = used.get(i);
      fieldIndex[i] = f;
      fields[i] = fieldOf[f];
      slotsOfLeaf[i] = byLeaf[f];
      guardLeaves[i] = new long[plan.leafWords(f)];
      slotsOfField[i] = new long[words];
      for (int leaf = 0; leaf < byLeaf[f].length; leaf++) {
        long[] sl = byLeaf[f][leaf];
        if (sl != null) {
          guardLeaves[i][leaf >>> 6] |= 1L << (leaf & 63);
          for (int w = 0; w < words; w++) {
            slotsOfField[i][w] |= sl[w];
          }
        }
      }
    }
    return new RuleIndex(n, always, fieldIndex, fields, slotsOfLeaf, guardLeaves, slotsOfField);
  }

  /** The number of slots. */
  int slots() {
    return slots;
  }

  /** Whether slot {@code s} is always evaluated. */
  boolean unguarded(int s) {
    return (always[s >>> 6] & (1L << (s & 63))) != 0;
  }

  /**
   * The slots this request has to evaluate: unguarded ones, and guarded ones with a leaf not known
   * false. Extracts every guarded field, looks its values up in the value cache and decides what
   * new values' literal bits decide ({@link FieldAnswers#prepare}); runs no detector or regex.
   */
  long[] candidates(EvalContext ctx) {
    long[] c = always.clone();
    for (int i = 0; i < fieldIndex.length; i++) {
      FieldAnswers a = ctx.answers(fieldIndex[i], fields[i]);
      if (a.forced()) {
        or(c, slotsOfField[i]);
        continue;
      }
      a.prepare();
      long[] g = guardLeaves[i];
      long[][] byLeaf = slotsOfLeaf[i];
      for (int w = 0; w < g.length; w++) {
        for (long m = g[w] & ~a.allFalseWord(w); m != 0; m &= m - 1) {
          or(c, byLeaf[(w << 6) + Long.numberOfTrailingZeros(m)]);
        }
      }
    }
    return c;
  }

  private static void or(long[] into, long[] bits) {
    for (int w = 0; w < into.length; w++) {
      into[w] |= bits[w];
    }
  }

  /** Whether every slot in [from, to) is unguarded. */
  boolean allUnguarded(int from, int to) {
    for (int s = from; s < to; s++) {
      if (!unguarded(s)) {
        return false;
      }
    }
    return true;
  }

  /** Whether some slot in [from, to) is set. */
  static boolean any(long[] bits, int from, int to) {
    int s = nextSet(bits, from);
    return s >= 0 && s < to;
  }

  /** The first set slot at or after {@code from}, or -1. */
  static int nextSet(long[] bits, int from) {
    int w = from >>> 6;
    if (w >= bits.length) {
      return -1;
    }
    long m = bits[w] & (-1L << (from & 63));
    while (m == 0) {
      if (++w == bits.length) {
        return -1;
      }
      m = bits[w];
    }
    return (w << 6) + Long.numberOfTrailingZeros(m);
  }

  static boolean has(long[] bits, int s) {
    return (bits[s >>> 6] & (1L << (s & 63))) != 0;
  }

  @Override
  public String toString() {
    return "RuleIndex["
        + slots
        + " slots, "
        + Arrays.stream(always).map(Long::bitCount).sum()
        + " unguarded, "
        + fieldIndex.length
        + " guarding fields]";
  }
}
