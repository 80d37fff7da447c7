package io.bulwark.waf.internal;

import java.util.List;

/**
 * One request's answers for the leaf statements of one field: per value, which leaves are known and
 * which hold, loaded from the plan's value cache and completed one leaf at a time as the rules ask.
 * Across values: which leaves some value satisfies and which every value is known not to.
 */
final class FieldAnswers {
  /** An oversize or invalid component whose handling is MATCH: every leaf holds. */
  static final FieldAnswers FORCED_TRUE = new FieldAnswers(null, 0, List.of(), 0);

  /** An oversize or invalid component whose handling is NO_MATCH: no leaf holds. */
  static final FieldAnswers FORCED_FALSE = new FieldAnswers(null, 0, List.of(), 0);

  private final ScanPlan plan;
  private final int field;
  private final int words;

  /** The values; null while answers remembered under {@link #source} have sufficed. */
  private List<String> values;

  /**
   * The string the field's values all come from when the plan remembers the field's answers under
   * it ({@link Field#source}): the raw query for query arguments, the Cookie header for cookies.
   * Null for other fields.
   */
  private final String source;

  /** The summary as remembered by the plan, when loaded from there (null: not). */
  private long[] rememberedSummary;

  /** For extracting the values once a leaf needs them ({@link #materialize}). */
  private EvalContext ctx;

  private Field fieldObject;

  /**
   * Per value, its leaf bits: words [0, words) which leaves are known, [words, 2 * words) which of
   * them hold, then which of the field's sites have had their batch (one array, so a cached value
   * costs one load).
   */
  private long[][] bits;

  /** Whether value i's arrays are this request's own (new, or copied to add answers). */
  private boolean[] learnt; // null while every value's arrays come from the cache

  /** Per value, its work in progress once a leaf has to be computed for it (null until then). */
  private ValueEval[] evals;

  /**
   * Across values: words [0, words) the leaves some value holds, [words, 2 * words) the leaves
   * every value is known to miss.
   */
  private long[] summary;

  FieldAnswers(ScanPlan plan, int field, List<String> values, int words) {
    this(plan, field, values, words, null);
  }

  FieldAnswers(ScanPlan plan, int field, List<String> values, int words, String source) {
    this.plan = plan;
    this.field = field;
    this.values = values;
    this.source = source;
    int n = values.size();
    this.words = words;
    this.bits = new long[n][];
    this.summary = new long[2 * words];
    if (n == 0) {
      java.util.Arrays.fill(summary, words, 2 * words, -1L);
    }
  }

  /**
   * Answers remembered under the field's source string: the summary of an earlier request with the
   * same source, whose values were the same. The values are only extracted and looked up if a leaf
   * that summary leaves open is asked for.
   */
  FieldAnswers(
      ScanPlan plan,
      int field,
      int words,
      String source,
      long[] remembered,
      EvalContext ctx,
      Field fieldObject) {
    this.plan = plan;
    this.field = field;
    this.words = words;
    this.source = source;
    this.rememberedSummary = remembered;
    this.summary = remembered; // shared, read only, until materialize copies it
    this.ctx = ctx;
    this.fieldObject = fieldObject;
  }

  /**
   * Answers for a header field whose block is new, from what is remembered per header: {@code
   * joined}, the summary of the values of the headers remembered for the field, and {@code rest},
   * the values of the others ({@code restHeaders}: which headers those are), which are answered
   * here as any field's values are. A leaf that neither decides extracts all the values ({@link
   * #materialize}).
   */
  FieldAnswers(
      ScanPlan plan,
      int field,
      int words,
      long[] joined,
      List<String> rest,
      boolean[] restHeaders,
      EvalContext ctx,
      Field fieldObject) {
    this(plan, field, rest, words, null);
    this.joined = joined;
    this.restHeaders = restHeaders;
    this.ctx = ctx;
    this.fieldObject = fieldObject;
  }

  /**
   * For answers from remembered headers and the values of the other headers: the joined summary of
   * the remembered ones (null otherwise), and which headers the values come from.
   */
  private long[] joined;

  private boolean[] restHeaders;

  /** Whether the values are those of some headers only ({@link #restHeader}). */
  boolean partial() {
    return restHeaders != null;
  }

  /** For partial answers: whether header {@code i}'s values are among the values. */
  boolean restHeader(int i) {
    return restHeaders[i];
  }

  /**
   * Extracts all the values and loads their answers from the value cache, keeping what the summary
   * knows (facts about the same values: remembered under a source or a header block, or joined from
   * the headers and the values of the others).
   */
  private void materialize() {
    long[] known = summary.clone();
    List<String> vs = fieldObject.extract(ctx).values(); // not forced: that is remembered apart
    values = vs;
    bits = new long[vs.size()][];
    learnt = null;
    evals = null;
    pending = null;
    pendingCount = 0;
    joined = null;
    restHeaders = null;
    summary = new long[2 * words];
    if (vs.isEmpty()) {
      java.util.Arrays.fill(summary, words, 2 * words, -1L);
    }
    plan.load(this, field, vs);
    join();
    for (int w = 0; w < 2 * words; w++) {
      summary[w] |= known[w];
    }
    ctx = null;
  }

  /**
   * Sets value {@code i}'s answers so far. Arrays from the value cache are shared, not copied: the
   * first answer this request adds to them copies them ({@link #own}).
   */
  void load(int i, long[] valueBits, boolean owned) {
    bits[i] = valueBits;
    if (owned) {
      learn(i);
    }
  }

  private void own(int i) {
    if (learnt == null || !learnt[i]) {
      bits[i] = bits[i].clone();
      learn(i);
    }
  }

  private void learn(int i) {
    if (learnt == null) {
      learnt = new boolean[bits.length];
    }
    learnt[i] = true;
  }

  private ValueEval eval(int i) {
    if (evals == null) {
      evals = new ValueEval[bits.length];
    }
    ValueEval e = evals[i];
    if (e == null) {
      e = evals[i] = new ValueEval(plan.fieldSites(field));
    }
    return e;
  }

  private boolean prepared;

  /**
   * For every value with unknown leaves, decides what its literal bits decide (every site's batch:
   * the value through each chain, scanned once per distinct string), then joins again. A new but
   * ordinary value then has every leaf known except those that need their own test (a detector, a
   * regex whose literals occur), so the rule index can skip the rules it cannot satisfy instead of
   * walking them leaf by leaf.
   */
  void prepare() {
    if (prepared || plan == null) {
      return;
    }
    prepared = true;
    if (pendingCount == 0) {
      return;
    }
    boolean changed = false;
    for (int p = 0; p < pendingCount; p++) {
      int i = pending[p];
      if (!plan.batchesSettled(field, bits[i])) {
        own(i);
        plan.decideBatches(field, eval(i), values.get(i), bits[i]);
        changed = true;
      }
    }
    if (changed) {
      join();
    }
  }

  /** Joins the loaded answers: a leaf some value holds, a leaf every value is known to miss. */
  void join() {
    if (values.isEmpty()) {
      return;
    }
    for (int w = 0; w < words; w++) {
      long any = 0;
      long none = -1L;
      for (long[] b : bits) {
        any |= b[words + w];
        none &= b[w] & ~b[words + w];
      }
      if (joined != null) {
        any |= joined[w];
        none &= joined[words + w];
      }
      summary[w] = any;
      summary[words + w] = none;
    }
    long[] all = plan.allLeaves(field);
    int p = 0;
    for (int i = 0; i < bits.length; i++) {
      for (int w = 0; w < words; w++) {
        if ((bits[i][w] & all[w]) != all[w]) {
          if (pending == null) {
            pending = new int[bits.length];
          }
          pending[p++] = i;
          break;
        }
      }
    }
    pendingCount = p;
  }

  /**
   * Values with a leaf not yet known, the only ones a leaf's answer can still come from: the
   * others' answers are all in {@link #summary} after {@link #join} (null: none).
   */
  private int[] pending;

  private int pendingCount;

  /** Whether every leaf of {@code mask} is known to hold for no value. */
  boolean allKnownFalse(long[] mask) {
    if (this == FORCED_TRUE || this == FORCED_FALSE) {
      return false; // let the tree decide with the forced answers
    }
    for (int w = 0; w < mask.length; w++) {
      if ((summary[words + w] & mask[w]) != mask[w]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the component is oversize or invalid with MATCH or NO_MATCH handling. */
  boolean forced() {
    return this == FORCED_TRUE || this == FORCED_FALSE;
  }

  /** Word {@code w} of the leaves every value is known not to satisfy. */
  long allFalseWord(int w) {
    return summary[words + w];
  }

  boolean get(int leaf) {
    if (summary.length == 0) {
      return this == FORCED_TRUE;
    }
    int w = leaf >>> 6;
    long bit = 1L << (leaf & 63);
    if ((summary[w] & bit) != 0) {
      return true;
    }
    if ((summary[words + w] & bit) != 0) {
      return false;
    }
    if (values == null) {
      materialize();
      if ((summary[w] & bit) != 0) {
        return true;
      }
      if ((summary[words + w] & bit) != 0) {
        return false;
      }
    }
    for (int p = 0; p < pendingCount; p++) {
      int i = pending[p];
      if ((bits[i][w] & bit) == 0) {
        own(i);
        plan.decide(field, leaf, eval(i), values.get(i), bits[i]);
      }
      if ((bits[i][words + w] & bit) != 0) {
        summary[w] |= bit;
        return true;
      }
    }
    if (joined != null && (joined[words + w] & bit) == 0) {
      materialize(); // the remembered headers do not know the leaf: ask their values
      return get(leaf);
    }
    summary[words + w] |= bit;
    return false;
  }

  /** Whether the summary knows more than what it was loaded from (or was not loaded). */
  boolean summaryChanged() {
    return rememberedSummary == null
        || (summary != rememberedSummary && !java.util.Arrays.equals(rememberedSummary, summary));
  }

  /** The summary to remember once the request is done with it (it no longer changes then). */
  long[] summary() {
    return summary;
  }

  /** Whether the values were extracted (not only a remembered summary loaded). */
  boolean hasValues() {
    return values != null && plan != null;
  }

  /**
   * Value {@code i}'s bits (known words, result words, batched sites), which the request no longer
   * changes once it is done.
   */
  long[] valueBits(int i) {
    return bits[i];
  }

  /** The number of values (after {@link #hasValues}). */
  int valueCount() {
    return bits.length;
  }

  /** Whether this request added answers to any of values {@code from} to {@code from + n - 1}. */
  boolean learntAny(int from, int n) {
    if (learnt != null) {
      for (int j = from; j < from + n; j++) {
        if (learnt[j]) {
          return true;
        }
      }
    }
    return false;
  }

  /** Hands what was learnt to the value cache; this request no longer changes these arrays. */
  void publish() {
    if (plan == null) {
      return;
    }
    if (source != null && summaryChanged()) {
      plan.rememberSource(field, source, summary);
    }
    if (learnt == null) {
      return;
    }
    for (int i = 0; i < learnt.length; i++) {
      if (learnt[i]) {
        plan.remember(field, values.get(i), bits[i]);
      }
    }
  }
}
