package io.bulwark.waf.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a loaded web ACL inspects, numbered so that a request's evaluation keeps its per-field and
 * per-(field, chain) results in arrays: the fields, the sites (a field seen through one
 * transformation chain), and per field one {@link LiteralScanner} over every literal its statements
 * search for.
 *
 * <p>{@link #compile} rewrites a web ACL's statement trees once, when it is loaded, into {@link
 * Scanned} statements bound to their sites and literal ids. The rewrite changes how a statement
 * computes its answer, never the answer or its WCU: each compiled statement keeps the statement it
 * replaces and falls back on that statement's own test wherever the bits only give a necessary
 * condition.
 */
public final class ScanPlan {
  /** A field seen through a transformation chain. */
  public record Site(
      int index,
      int fieldIndex,
      int localIndex,
      Field field,
      TextChain chain,
      LiteralScanner scanner) {
    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  /** A web ACL with its statements compiled against its plan. */
  public record Compiled(AclModel model, ScanPlan plan) {}

  /** Values longer than this are evaluated every time rather than remembered. */
  static final int CACHED_VALUE_MAX = 1024;

  /** Slots of the value cache; {@code -Dbulwark.waf.valueCacheSlots=0} turns it off. */
  static final int CACHE_SLOTS = Integer.getInteger("bulwark.waf.valueCacheSlots", 8192);

  private final int fields;
  private final Scanned.Leaf[][] leaves;
  private final int[] leafWords;
  private final long[][] allLeaves;
  private final ValueCache cache;

  private ScanPlan(
      int fields, List<Field> fieldList, List<Site> sites, List<List<Scanned.Leaf>> leaves) {
    this.fields = fields;
    this.headerSlot = new int[fields];
    int h = 0;
    for (int f = 0; f < fields; f++) {
      Field x = fieldList.get(f);
      headerSlot[f] = x instanceof Field.Headers || x instanceof Field.SingleHeader ? h++ : -1;
    }
    this.headerFields = h;
    this.blocks = CACHE_SLOTS > 0 && h > 0 ? new HeaderBlocks(CACHE_SLOTS / 8) : null;
    this.headerFieldIndex = new int[h];
    this.headerFieldObject = new Field[h];
    this.headerOffset = new int[h + 1];
    this.leaves = new Scanned.Leaf[fields][];
    this.leafWords = new int[fields];
    this.allLeaves = new long[fields][];
    for (int f = 0; f < fields; f++) {
      List<Scanned.Leaf> ls = f < leaves.size() ? leaves.get(f) : List.of();
      this.leaves[f] = ls.toArray(new Scanned.Leaf[0]);
      this.leafWords[f] = Math.max(1, (ls.size() + 63) >>> 6);
      this.allLeaves[f] = new long[leafWords[f]];
      for (int i = 0; i < ls.size(); i++) {
        allLeaves[f][i >>> 6] |= 1L << (i & 63);
      }
    }
    this.cache = CACHE_SLOTS > 0 ? new ValueCache(CACHE_SLOTS) : null;
    for (int f = 0; f < fields; f++) {
      int k = headerSlot[f];
      if (k >= 0) {
        headerFieldIndex[k] = f;
        headerFieldObject[k] = fieldList.get(f);
        headerOffset[k + 1] = headerOffset[k] + 2 * leafWords[f];
      }
    }
    this.headerValues = blocks != null && h <= Long.SIZE ? new HeaderValues(CACHE_SLOTS / 2) : null;
    this.fieldSites = new int[fields];
    for (Site site : sites) {
      fieldSites[site.fieldIndex()] =
          Math.max(fieldSites[site.fieldIndex()], site.localIndex() + 1);
    }
    this.batches = new SiteBatch[sites.size()];
    List<List<Site>> batched = new ArrayList<>();
    for (int f = 0; f < fields; f++) {
      batched.add(new ArrayList<>());
    }
    for (Site site : sites) {
      batches[site.index()] = SiteBatch.of(site, this.leaves[site.fieldIndex()]);
      if (batches[site.index()] != null) {
        batched.get(site.fieldIndex()).add(site);
      }
    }
    this.batchedSites = new Site[fields][];
    this.batchedSiteMask = new long[fields][];
    for (int f = 0; f < fields; f++) {
      batchedSites[f] = batched.get(f).toArray(new Site[0]);
      batchedSiteMask[f] = new long[Math.max(1, (fieldSites[f] + 63) >>> 6)];
      for (Site site : batchedSites[f]) {
        batchedSiteMask[f][site.localIndex() >>> 6] |= 1L << (site.localIndex() & 63);
      }
    }
  }

  private final SiteBatch[] batches;

  /** Per field, its sites that have a batch, as a list and as a bit set of local indexes. */
  private final Site[][] batchedSites;

  private final long[][] batchedSiteMask;

  /** Set once by {@link #compile}, before the plan is shared. */
  private RuleIndex ruleIndex;

  RuleIndex ruleIndex() {
    return ruleIndex;
  }

  private final int[] fieldSites;

  /**
   * The leaves of one site that its literal bits decide, or decide false when none of their
   * literals occurs: CONTAINS byte matches and merged CONTAINS sets (decided either way), other
   * byte matches and prefiltered regexes (false without a literal). Answering them together, one
   * bit test each, saves a call and a lookup per leaf when a new value is first met.
   */
  private static final class SiteBatch {
    /** The field's leaves in the batch, as a bit set over the field's leaf numbers. */
    private final long[] batchLeaves;

    /** Leaves that hold as soon as one of their literals occurs (CONTAINS). */
    private final long[] trueOnHit;

    /** Per literal id of the site's scanner: the batch leaves that use it (null: none). */
    private final long[][] leavesOfLiteral;

    /** Per field leaf number: its gate when it is a prefiltered regex (null otherwise). */
    private final Scanned.Gate[] gateOfLeaf;

    private SiteBatch(
        long[] batchLeaves, long[] trueOnHit, long[][] leavesOfLiteral, Scanned.Gate[] gateOfLeaf) {
      this.batchLeaves = batchLeaves;
      this.trueOnHit = trueOnHit;
      this.leavesOfLiteral = leavesOfLiteral;
      this.gateOfLeaf = gateOfLeaf;
    }

    static SiteBatch of(Site site, Scanned.Leaf[] fieldLeaves) {
      LiteralScanner scanner = site.scanner();
      if (scanner == null) {
        return null;
      }
      int words = Math.max(1, (fieldLeaves.length + 63) >>> 6);
      long[] batch = new long[words];
      long[] trueOnHit = new long[words];
      long[][] byLiteral = new long[scanner.literals().size()][];
      Scanned.Gate[] gates = new Scanned.Gate[fieldLeaves.length];
      boolean any = false;
      for (int i = 0; i < fieldLeaves.length; i++) {
        Scanned.Leaf l = fieldLeaves[i];
        if (l.site() != site) {
          continue;
        }
        List<Integer> literals = new ArrayList<>();
        boolean decides;
        if (l instanceof Scanned.ByteMatch b) {
          literals.add(b.literal());
          decides = b.base().positional() == Statement.Positional.CONTAINS;
        } else if (l instanceof Scanned.ContainsAny c && !c.hasEmpty()) {
          addIds(literals, c.mask());
          decides = true;
        } else if (l instanceof Scanned.Regex r && r.gate() != null && closable(r.gate())) {
          gates[i] = r.gate();
          addGate(literals, r.gate());
          decides = false;
        } else if (l instanceof Scanned.RegexSet r
            && java.util.Arrays.stream(r.gates()).allMatch(g -> g != null && closable(g))) {
          gates[i] = Scanned.Gate.anyOf(r.gates());
          addGate(literals, gates[i]);
          decides = false;
        } else {
          continue;
        }
        any = true;
        int w = i >>> 6;
        long bit = 1L << (i & 63);
        batch[w] |= bit;
        if (decides) {
          trueOnHit[w] |= bit;
        }
        for (int id : literals) {
          if (byLiteral[id] == null) {
            byLiteral[id] = new long[words];
          }
          byLiteral[id][w] |= bit;
        }
      }
      return any ? new SiteBatch(batch, trueOnHit, byLiteral, gates) : null;
    }

    /** A gate every branch of which needs some literal (a branch needing none is always open). */
    private static boolean closable(Scanned.Gate g) {
      for (long[][] branch : g.branches()) {
        if (branch.length == 0) {
          return false;
        }
      }
      return true;
    }

    private static void addGate(List<Integer> into, Scanned.Gate g) {
      for (long[][] branch : g.branches()) {
        for (long[] set : branch) {
          addIds(into, set);
        }
      }
    }

    private static void addIds(List<Integer> into, long[] mask) {
      for (int w = 0; w < mask.length; w++) {
        for (long m = mask[w]; m != 0; m &= m - 1) {
          into.add((w << 6) + Long.numberOfTrailingZeros(m));
        }
      }
    }

    /**
     * Decides the batch's leaves from a value's literal bits, visiting only the literals found: a
     * leaf none of whose literals occurs is false; a CONTAINS leaf with one is true; a regex whose
     * literals occur but whose gate stays closed is false; the rest stay unknown for their own
     * test.
     */
    void decide(long[] bits, long[] kr) {
      int words = batchLeaves.length;
      long[] hit = new long[words];
      for (int w = 0; w < bits.length; w++) {
        for (long m = bits[w]; m != 0; m &= m - 1) {
          long[] ls = leavesOfLiteral[(w << 6) + Long.numberOfTrailingZeros(m)];
          if (ls != null) {
            for (int x = 0; x < words; x++) {
              hit[x] |= ls[x];
            }
          }
        }
      }
      for (int w = 0; w < words; w++) {
        long open = batchLeaves[w] & ~kr[w];
        long miss = open & ~hit[w];
        long yes = open & hit[w] & trueOnHit[w];
        kr[w] |= miss | yes;
        kr[words + w] |= yes;
        for (long g = open & hit[w] & ~trueOnHit[w]; g != 0; g &= g - 1) {
          int leaf = (w << 6) + Long.numberOfTrailingZeros(g);
          Scanned.Gate gate = gateOfLeaf[leaf];
          if (gate != null && !gate.open(bits)) {
            kr[w] |= 1L << (leaf & 63);
          }
        }
      }
    }
  }

  /**
   * Answers leaf {@code leaf} of a field for one value into its bits ({@code kr}: known words, then
   * result words), together with the other leaves of its site that the literal bits decide (the
   * first time the site is met).
   */
  void decide(int field, int leaf, ValueEval e, String value, long[] kr) {
    Scanned.Leaf l = leaves[field][leaf];
    Site site = l.site();
    String v = e.chain(site, value);
    SiteBatch batch = batches[site.index()];
    if (batch != null && !batched(kr, field, site)) {
      batch.decide(e.bits(v, site.scanner()), kr);
      markBatched(kr, field, site);
    }
    int w = leaf >>> 6;
    long bit = 1L << (leaf & 63);
    if ((kr[w] & bit) == 0) {
      kr[w] |= bit;
      if (l.test(e, v)) {
        kr[leafWords[field] + w] |= bit;
      }
    }
  }

  /**
   * Whether every batch of the field has run for a value ({@code kr}). A value's bits end with a
   * word per 64 sites of its field, a site's bit set once its batch has run: what a batch leaves
   * unknown (a regex whose literals occur) only a test decides, so a value kept in the cache is
   * never batched again.
   */
  boolean batchesSettled(int field, long[] kr) {
    long[] m = batchedSiteMask[field];
    int base = 2 * leafWords[field];
    for (int w = 0; w < m.length; w++) {
      if ((m[w] & ~kr[base + w]) != 0) {
        return false;
      }
    }
    return true;
  }

  private boolean batched(long[] kr, int field, Site site) {
    int i = site.localIndex();
    return (kr[2 * leafWords[field] + (i >>> 6)] & (1L << (i & 63))) != 0;
  }

  private void markBatched(long[] kr, int field, Site site) {
    int i = site.localIndex();
    kr[2 * leafWords[field] + (i >>> 6)] |= 1L << (i & 63);
  }

  /** The length of a value's bits for a field: known, result, batched sites. */
  int valueBitsLength(int field) {
    return 2 * leafWords[field] + batchedSiteMask[field].length;
  }

  /** Decides every batch of a field's sites for one value (see {@link FieldAnswers#prepare}). */
  void decideBatches(int field, ValueEval e, String value, long[] kr) {
    for (Site site : batchedSites[field]) {
      if (!batched(kr, field, site)) {
        batches[site.index()].decide(e.bits(e.chain(site, value), site.scanner()), kr);
        markBatched(kr, field, site);
      }
    }
  }

  public int fieldCount() {
    return fields;
  }

  int leafWords(int field) {
    return leafWords[field];
  }

  /** Every leaf of a field, as a bit set. */
  long[] allLeaves(int field) {
    return allLeaves[field];
  }

  /** The number of sites (chains) of a field. */
  int fieldSites(int field) {
    return fieldSites[field];
  }

  /**
   * A request's answers for a field's values, starting from what the value cache knows. Leaf
   * answers are pure functions of the value, so what one request learns about a value (the same
   * User-Agent, Accept or cookie, request after request) is kept for the next, in a bounded cache:
   * values of at most {@value #CACHED_VALUE_MAX} bytes, {@link #CACHE_SLOTS} slots (see {@link
   * Buckets}). {@code source} is the string the summary is remembered under, or null.
   */
  private FieldAnswers answers(int field, List<String> values, String source) {
    FieldAnswers a = new FieldAnswers(this, field, values, leafWords[field], source);
    load(a, field, values);
    a.join();
    return a;
  }

  /** Loads each value's answers so far from the value cache (new arrays for values not there). */
  void load(FieldAnswers a, int field, List<String> values) {
    for (int i = 0, n = values.size(); i < n; i++) {
      String v = values.get(i);
      ValueCache.Entry e =
          cache == null || v.length() > CACHED_VALUE_MAX ? null : cache.get(field, v);
      if (e == null) {
        a.load(i, new long[valueBitsLength(field)], true);
      } else {
        a.load(i, e.bits(), false);
      }
    }
  }

  /**
   * A request's answers for a field. A field whose values all come from one string ({@link
   * Field#source}: query arguments from the raw query, cookies from the Cookie header) has its
   * answers remembered under that string too, as a summary (the leaves some value holds, the leaves
   * every value misses, or that the component is oversize with MATCH or NO_MATCH handling), so a
   * repeated query or Cookie header costs one lookup instead of a parse and one per value.
   */
  FieldAnswers answers(int field, Field f, EvalContext ctx) {
    int k = headerSlot[field];
    if (k >= 0 && blocks != null) {
      HeaderBlocks.Block b = ctx.headerBlock();
      long[] s = b == null ? null : b.summaries()[k];
      if (s != null) {
        if (s.length == 1) {
          return s[0] != 0 ? FieldAnswers.FORCED_TRUE : FieldAnswers.FORCED_FALSE;
        }
        return new FieldAnswers(this, field, leafWords[field], null, s, ctx, f);
      }
      FieldAnswers joined = joinedHeaderAnswers(k, field, f, ctx);
      if (joined != null) {
        return joined;
      }
    }
    String source = cache == null ? null : f.source(ctx);
    if (source != null && source.length() <= CACHED_VALUE_MAX) {
      ValueCache.Entry e = cache.get(fields + field, source);
      if (e != null) {
        long[] s = e.bits();
        if (s.length == 1) {
          return s[0] != 0 ? FieldAnswers.FORCED_TRUE : FieldAnswers.FORCED_FALSE;
        }
        return new FieldAnswers(this, field, leafWords[field], source, s, ctx, f);
      }
    } else {
      source = null;
    }
    Inspection in = f.extract(ctx);
    Boolean forced = in.forced();
    if (forced != null) {
      if (source != null) {
        cache.put(fields + field, source, new long[] {forced ? 1 : 0});
      }
      return forced ? FieldAnswers.FORCED_TRUE : FieldAnswers.FORCED_FALSE;
    }
    return answers(field, in.values(), source);
  }

  /**
   * Per field: its number among the fields whose values come from the headers alone (all headers
   * with a pattern, single headers), or -1 for other fields.
   */
  private final int[] headerSlot;

  private final int headerFields;

  /** Header blocks seen before, with their header fields' summaries; null without the cache. */
  private final HeaderBlocks blocks;

  /**
   * The remembered block with this request's headers, or null ({@link EvalContext#headerBlock}).
   */
  HeaderBlocks.Block findHeaderBlock(EvalContext ctx) {
    return blocks == null ? null : blocks.get(ctx);
  }

  private static final long[] FORCED_TRUE_MARK = {1};
  private static final long[] FORCED_FALSE_MARK = {0};

  /**
   * Remembers the header fields' summaries under the request's headers, when the request learnt
   * something about them: a repeated header block (an API client's or a browser's same headers
   * request after request) then costs one lookup and one comparison per header, instead of a lookup
   * per header field and value.
   */
  void rememberHeaders(EvalContext ctx, FieldAnswers[] answers, HeaderBlocks.Block found) {
    if (blocks == null || !ctx.headerBlockKeyed()) {
      return;
    }
    long[][] summaries = new long[headerFields][];
    boolean learnt = false;
    for (int f = 0; f < fields; f++) {
      int k = headerSlot[f];
      if (k < 0) {
        continue;
      }
      FieldAnswers a = answers[f];
      long[] before = found == null ? null : found.summaries()[k];
      if (a == null) {
        summaries[k] = before;
      } else if (a == FieldAnswers.FORCED_TRUE || a == FieldAnswers.FORCED_FALSE) {
        summaries[k] = a == FieldAnswers.FORCED_TRUE ? FORCED_TRUE_MARK : FORCED_FALSE_MARK;
        learnt |= before == null;
      } else if (before != null && !a.summaryChanged()) {
        summaries[k] = before;
      } else {
        summaries[k] = a.summary();
        learnt = true;
      }
    }
    if (learnt) {
      blocks.put(ctx, summaries);
    }
  }

  /**
   * A lossy, fixed-size map from a request's headers (lower-cased names and values, in order) to
   * its header fields' summaries.
   */
  static final class HeaderBlocks extends Buckets<HeaderBlocks.Block> {
    record Block(int hash, String[] names, String[] values, long[][] summaries) {}

    HeaderBlocks(int slots) {
      super(slots);
    }

    Block get(EvalContext ctx) {
      return get(ctx.headerBlockHash(), 0, ctx);
    }

    void put(EvalContext ctx, long[][] summaries) {
      String[] names = ctx.headerNamesLower();
      List<io.bulwark.waf.WafRequest.Header> hs = ctx.request().headers();
      String[] values = new String[names.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = hs.get(i).value();
      }
      int h = ctx.headerBlockHash();
      put(h, 0, ctx, new Block(h, names, values, summaries));
    }

    @Override
    boolean matches(Block b, int hash, int field, Object key) {
      EvalContext ctx = (EvalContext) key;
      String[] names = ctx.headerNamesLower();
      List<io.bulwark.waf.WafRequest.Header> hs = ctx.request().headers();
      if (b.hash != hash || b.names.length != names.length) {
        return false;
      }
      // from the last header back: the ones that change between requests (Cookie, Referer)
      // usually come last, so a block that only shares the hash fails on its first comparison
      for (int i = names.length - 1; i >= 0; i--) {
        if (!b.values[i].equals(hs.get(i).value()) || !b.names[i].equals(names[i])) {
          return false;
        }
      }
      return true;
    }

    /**
     * The hash of a request's headers, from each header's hash ({@link EvalContext#headerHash}).
     * Every char counts: with a hash of some chars only, blocks whose Cookie or Referer differ in a
     * session id or a page number shared hashes, so a new block was compared in full against
     * another, and evicted it once the doorkeeper (which keeps hashes) let it in.
     */
    static int hash(EvalContext ctx) {
      int n = ctx.request().headers().size();
      int h = n;
      for (int i = 0; i < n; i++) {
        h = 31 * h + ctx.headerHash(i);
      }
      h *= 0x9E3779B9;
      return h ^ (h >>> 16);
    }
  }

  /** Per header field slot: the field's number and the field. */
  private final int[] headerFieldIndex;

  private final Field[] headerFieldObject;

  /**
   * Per header field slot: where its summary starts in a {@link HeaderValues.Entry}'s bits (the
   * last element: their length).
   */
  private final int[] headerOffset;

  /**
   * Headers seen before, with what each header field's values from them are; null without the cache
   * or with more than 64 header fields.
   */
  private final HeaderValues headerValues;

  /** The remembered entry of header {@code i} of a request, or null. */
  HeaderValues.Entry findHeader(EvalContext ctx, int i) {
    if (headerValues == null) {
      return null;
    }
    String v = ctx.request().headers().get(i).value();
    return v.length() > CACHED_VALUE_MAX ? null : headerValues.get(ctx, i);
  }

  /**
   * A header field's answers for a request whose header block is not remembered, joined from what
   * is remembered per header (some value holds a leaf; every value misses it), with the values of
   * the headers that have nothing remembered for the field answered as usual; null when no header
   * has. A browser's headers mostly recur one by one (the same User-Agent and Accept with another
   * Cookie or Referer), so this costs one lookup per header, and the new headers' values, instead
   * of one lookup per header field and value.
   */
  private FieldAnswers joinedHeaderAnswers(int k, int field, Field f, EvalContext ctx) {
    if (headerValues == null || ctx.headersOver()) {
      return null;
    }
    List<io.bulwark.waf.WafRequest.Header> hs = ctx.request().headers();
    int n = hs.size();
    int words = leafWords[field];
    int off = headerOffset[k];
    long bit = 1L << k;
    long[] out = new long[2 * words];
    java.util.Arrays.fill(out, words, 2 * words, -1L);
    boolean[] rest = null;
    int restCount = 0;
    for (int i = n - 1; i >= 0; i--) { // the order rememberHeaderValues learns them in
      HeaderValues.Entry e = ctx.header(i);
      if (e != null && (e.known() & bit) != 0) {
        if ((e.inspected() & bit) != 0) {
          long[] b = e.bits();
          for (int w = 0; w < words; w++) {
            out[w] |= b[off + w];
            out[words + w] &= b[off + words + w];
          }
        }
      } else {
        if (rest == null) {
          rest = new boolean[n];
        }
        rest[i] = true;
        restCount++;
      }
    }
    if (restCount == n) {
      return null; // nothing to join: the values as usual
    }
    List<String> values = new ArrayList<>();
    if (rest != null) {
      String[] lower = ctx.headerNamesLower();
      for (int i = 0; i < n; i++) {
        if (rest[i]) {
          int parts = f.headerParts(lower[i], hs.get(i).name());
          if ((parts & Field.HEADER_NAME) != 0) {
            values.add(lower[i]);
          }
          if ((parts & Field.HEADER_VALUE) != 0) {
            values.add(hs.get(i).value());
          }
        }
      }
    }
    if (values.isEmpty()) {
      return new FieldAnswers(this, field, words, null, out, ctx, f);
    }
    FieldAnswers a = new FieldAnswers(this, field, words, out, values, rest, ctx, f);
    load(a, field, values);
    a.join();
    return a;
  }

  /**
   * Remembers per header what each header field whose values the request extracted learnt from that
   * header's values: their join, as in a summary. Facts from an entry already there are kept (both
   * are about the same values); an entry the request added nothing to is left as it is. A header
   * seen for the first time costs a put that the table's doorkeeper only notes.
   */
  void rememberHeaderValues(EvalContext ctx, FieldAnswers[] answers) {
    List<io.bulwark.waf.WafRequest.Header> hs = ctx.request().headers();
    if (headerValues == null || hs.isEmpty() || ctx.headersOver()) {
      return;
    }
    long usable = 0;
    int[] end = new int[headerFields];
    for (int k = 0; k < headerFields; k++) {
      FieldAnswers a = answers[headerFieldIndex[k]];
      if (a != null && !a.forced() && a.hasValues()) {
        usable |= 1L << k;
        end[k] = a.valueCount();
      }
    }
    if (usable == 0) {
      return;
    }
    String[] lower = ctx.headerNamesLower();
    // a field's values are in header order: the last header's come last
    for (int i = hs.size() - 1; i >= 0; i--) {
      String value = hs.get(i).value();
      HeaderValues.Entry old = ctx.header(i);
      long known = old == null ? 0 : old.known();
      long inspected = old == null ? 0 : old.inspected();
      long both = old == null ? 0 : old.both();
      long[] bits = null;
      boolean changed = false;
      boolean keep = value.length() <= CACHED_VALUE_MAX; // else never remembered
      for (long m = usable; m != 0; m &= m - 1) {
        int k = Long.numberOfTrailingZeros(m);
        long bit = 1L << k;
        FieldAnswers a = answers[headerFieldIndex[k]];
        if (a.partial() && !a.restHeader(i)) {
          continue; // joined from its entry: none of the values is the header's
        }
        int count;
        if ((known & bit) != 0) {
          // the entry knows how many values the field takes from the header
          count = (inspected & bit) == 0 ? 0 : (both & bit) != 0 ? 2 : 1;
        } else {
          count = Integer.bitCount(headerFieldObject[k].headerParts(lower[i], hs.get(i).name()));
        }
        int first = end[k] - count;
        end[k] = first;
        if (!keep || (known & bit) != 0 && !a.learntAny(first, count)) {
          continue; // nothing this request added to what the entry says
        }
        if (count == 0) {
          known |= bit;
          changed = true;
          continue;
        }
        int words = leafWords[headerFieldIndex[k]];
        int off = headerOffset[k];
        for (int w = 0; w < words; w++) {
          long any = 0;
          long none = -1L;
          for (int j = first; j < first + count; j++) {
            long[] vb = a.valueBits(j);
            any |= vb[words + w];
            none &= vb[w] & ~vb[words + w];
          }
          if ((known & bit) != 0) {
            any |= old.bits()[off + w];
            none |= old.bits()[off + words + w];
          }
          if ((known & bit) == 0
              || any != old.bits()[off + w]
              || none != old.bits()[off + words + w]) {
            if (bits == null) {
              bits = old == null ? new long[headerOffset[headerFields]] : old.bits().clone();
            }
            bits[off + w] = any;
            bits[off + words + w] = none;
            changed = true;
          }
        }
        known |= bit;
        inspected |= bit;
        if (count == 2) {
          both |= bit;
        }
      }
      if (changed) {
        if (bits == null) {
          bits = old == null ? new long[headerOffset[headerFields]] : old.bits();
        }
        headerValues.put(ctx, i, known, inspected, both, bits);
      }
    }
  }

  /**
   * A lossy, fixed-size map from a header (lower-cased name, value) to what each header field's
   * values from it are: per field slot, whether that is known, whether the field inspects the
   * header at all, and its summary at {@link #headerOffset}.
   */
  static final class HeaderValues extends Buckets<HeaderValues.Entry> {
    /**
     * Per header field slot (bit k): whether its part is known, whether the field takes a value
     * from the header, whether it takes both the name and the value.
     */
    record Entry(
        int hash, String name, String value, long known, long inspected, long both, long[] bits) {}

    HeaderValues(int slots) {
      super(slots);
    }

    /** The entry of header {@code i} of a request, or null. */
    Entry get(EvalContext ctx, int i) {
      return get(hash(ctx, i), i, ctx);
    }

    void put(EvalContext ctx, int i, long known, long inspected, long both, long[] bits) {
      int h = hash(ctx, i);
      String name = ctx.headerNamesLower()[i];
      String value = ctx.request().headers().get(i).value();
      put(h, i, ctx, new Entry(h, name, value, known, inspected, both, bits));
    }

    /** Whether the entry is header {@code i} (the "field") of the request ({@code key}). */
    @Override
    boolean matches(Entry e, int hash, int i, Object key) {
      EvalContext ctx = (EvalContext) key;
      return e.hash == hash
          && e.name.equals(ctx.headerNamesLower()[i])
          && e.value.equals(ctx.request().headers().get(i).value());
    }

    private static int hash(EvalContext ctx, int i) {
      return ctx.headerHash(i);
    }
  }

  /** Keeps a field's summary under its source string (an array its request no longer changes). */
  void rememberSource(int field, String source, long[] summary) {
    cache.put(fields + field, source, summary);
  }

  /** Keeps a value's answers (arrays no longer changed by their request). */
  void remember(int field, String value, long[] bits) {
    if (cache != null && value.length() <= CACHED_VALUE_MAX) {
      cache.put(field, value, bits);
    }
  }

  /** A lossy, fixed-size map from (field, value) to leaf bits. */
  static final class ValueCache extends Buckets<ValueCache.Entry> {
    record Entry(int field, int hash, String value, long[] bits) {}

    ValueCache(int slots) {
      super(slots);
    }

    Entry get(int field, String value) {
      return get(hash(field, value), field, value);
    }

    void put(int field, String value, long[] bits) {
      int h = hash(field, value);
      put(h, field, value, new Entry(field, h, value, bits));
    }

    @Override
    boolean matches(Entry e, int hash, int field, Object value) {
      return e.hash == hash && e.field == field && e.value.equals(value);
    }

    /**
     * A slot hash of a value: its {@link String#hashCode}, which the string keeps, so the chars of
     * a value that several fields inspect (the User-Agent, the Referer) are read once per request.
     * Hashing only some of the chars is not enough: Cookie headers and Referers that differ only in
     * a session id or a page number would share buckets and evict each other. A match is still
     * confirmed with {@link String#equals}.
     */
    static int hash(int field, String v) {
      int h = (v.hashCode() + field * 0x61C88647) * 0x9E3779B9;
      return h ^ (h >>> 16);
    }
  }

  /** Compiles a loaded web ACL (the model is left as it is; a new one is returned). */
  public static Compiled compile(AclModel model) {
    Builder b = new Builder();
    for (Rule r : model.rules()) {
      b.collect(r);
    }
    b.freeze();
    List<Rule> rules = new ArrayList<>(model.rules().size());
    for (Rule r : model.rules()) {
      rules.add(b.rewrite(r));
    }
    AclModel out =
        new AclModel(
            model.name(),
            model.defaultAction(),
            model.defaultResponse(),
            model.capacity(),
            List.copyOf(rules),
            model.services());
    ScanPlan plan = new ScanPlan(b.fieldIndex.size(), b.fieldList, b.siteList, b.leaves);
    plan.ruleIndex = RuleIndex.of(out, plan);
    return new Compiled(out, plan);
  }

  private static final class Builder {
    final Map<Field, Integer> fieldIndex = new HashMap<>();
    final List<Field> fieldList = new ArrayList<>();

    /** Per field: literal to id, in order of first use. */
    final List<LinkedHashMap<String, Integer>> literals = new ArrayList<>();

    final Map<List<Object>, Site> siteKeys = new HashMap<>();
    final List<Site> siteList = new ArrayList<>();
    final Map<RuleGroup, RuleGroup> groups = new IdentityHashMap<>();

    /** Per field: its leaf statements, numbered in order. */
    final List<List<Scanned.Leaf>> leaves = new ArrayList<>();

    /** Per field, set by {@link #freeze}: its scanner, or null when it has no literals. */
    LiteralScanner[] built;

    int field(Field f) {
      Integer i = fieldIndex.get(f);
      if (i == null) {
        i = fieldList.size();
        fieldIndex.put(f, i);
        fieldList.add(f);
        literals.add(new LinkedHashMap<>());
      }
      return i;
    }

    void literal(Field f, String l) {
      if (l.isEmpty() || !isBytes(l)) {
        return; // an empty literal is tested apart; a char above 0xff occurs in no byte string
      }
      LinkedHashMap<String, Integer> m = literals.get(field(f));
      m.putIfAbsent(l, m.size());
    }

    int literalId(Field f, String l) {
      Integer id = literals.get(field(f)).get(l);
      return id == null ? -1 : id;
    }

    void collect(Rule r) {
      if (r.group() != null) {
        if (r.group().scopeDown() != null) {
          collect(r.group().scopeDown());
        }
        for (Rule inner : r.group().group().rules()) {
          collect(inner);
        }
      } else {
        collect(r.statement());
      }
    }

    void collect(Statement s) {
      if (s instanceof Statement.ByteMatch b) {
        field(b.field());
        literal(b.field(), b.search());
      } else if (s instanceof ContainsAny c) {
        field(c.field());
        c.literals().forEach(l -> literal(c.field(), l));
      } else if (s instanceof Statement.RegexMatch m) {
        field(m.field());
        if (m.prefilter() != null) {
          m.prefilter().literals().forEach(l -> literal(m.field(), l));
        }
      } else if (s instanceof Statement.RegexPatternSetMatch m) {
        field(m.field());
        for (Prefilter p : m.prefilters()) {
          if (p != null) {
            p.literals().forEach(l -> literal(m.field(), l));
          }
        }
      } else if (s instanceof RateBased rb) {
        if (rb.scopeDown() != null) {
          collect(rb.scopeDown());
        }
      } else {
        s.children().forEach(this::collect);
      }
    }

    void freeze() {
      built = new LiteralScanner[fieldList.size()];
      for (int i = 0; i < fieldList.size(); i++) {
        List<String> ls = new ArrayList<>(literals.get(i).keySet());
        built[i] = ls.isEmpty() ? null : LiteralScanner.of(ls);
      }
    }

    Site site(Field f, TextChain chain) {
      int fi = field(f);
      List<Object> key = List.of(fi, chain);
      Site s = siteKeys.get(key);
      if (s == null) {
        int local = (int) siteList.stream().filter(x -> x.fieldIndex() == fi).count();
        s = new Site(siteList.size(), fi, local, f, chain, fi < built.length ? built[fi] : null);
        siteKeys.put(key, s);
        siteList.add(s);
      }
      return s;
    }

    /** A prefilter compiled against its field's literal ids; null for none. */
    Scanned.Gate gate(Field f, Prefilter p) {
      if (p == null) {
        return null;
      }
      List<List<List<String>>> bs = p.branches();
      long[][][] out = new long[bs.size()][][];
      for (int b = 0; b < out.length; b++) {
        List<List<String>> sets = bs.get(b);
        out[b] = new long[sets.size()][];
        for (int k = 0; k < sets.size(); k++) {
          out[b][k] = mask(f, sets.get(k));
        }
      }
      return new Scanned.Gate(out);
    }

    long[] mask(Field f, List<String> ls) {
      int fi = field(f);
      LiteralScanner sc = fi < built.length ? built[fi] : null;
      long[] m = new long[sc == null ? 1 : sc.words()];
      for (String l : ls) {
        int id = literalId(f, l);
        if (id >= 0) {
          m[id >>> 6] |= 1L << (id & 63);
        }
      }
      return m;
    }

    int nextLeaf(Site site) {
      while (leaves.size() <= site.fieldIndex()) {
        leaves.add(new ArrayList<>());
      }
      return leaves.get(site.fieldIndex()).size();
    }

    <T extends Scanned.Leaf> T leaf(T leaf) {
      leaves.get(leaf.site().fieldIndex()).add(leaf);
      return leaf;
    }

    Rule rewrite(Rule r) {
      if (r.group() != null) {
        Rule.GroupRef g = r.group();
        RuleGroup group = groups.get(g.group());
        if (group == null) {
          List<Rule> inner = new ArrayList<>(g.group().rules().size());
          for (Rule x : g.group().rules()) {
            inner.add(rewrite(x));
          }
          RuleGroup old = g.group();
          group =
              new RuleGroup(
                  old.name(),
                  old.capacity(),
                  List.copyOf(inner),
                  old.labelNamespace(),
                  old.managed());
          groups.put(old, group);
        }
        Rule.GroupRef ref =
            new Rule.GroupRef(
                group,
                g.excluded(),
                g.overrides(),
                g.scopeDown() == null ? null : FlatStatement.of(rewrite(g.scopeDown())));
        return new Rule(
            r.name(), r.priority(), null, null, r.labels(), ref, r.overrideCount(), r.metricName());
      }
      return new Rule(
          r.name(),
          r.priority(),
          FlatStatement.of(rewrite(r.statement())),
          r.action(),
          r.labels(),
          null,
          r.overrideCount(),
          r.metricName());
    }

    Statement rewrite(Statement s) {
      if (s instanceof Statement.ByteMatch b) {
        int id = literalId(b.field(), b.search());
        if (id < 0) {
          return b;
        }
        Site site = site(b.field(), b.chain());
        return leaf(new Scanned.ByteMatch(b, site, id, nextLeaf(site)));
      }
      if (s instanceof ContainsAny c) {
        boolean empty = c.literals().stream().anyMatch(String::isEmpty);
        Site site = site(c.field(), c.chain());
        return leaf(
            new Scanned.ContainsAny(c, site, mask(c.field(), c.literals()), empty, nextLeaf(site)));
      }
      if (s instanceof Statement.RegexMatch m) {
        Site site = site(m.field(), m.chain());
        return leaf(new Scanned.Regex(m, site, gate(m.field(), m.prefilter()), nextLeaf(site)));
      }
      if (s instanceof Statement.RegexPatternSetMatch m) {
        Scanned.Gate[] gates = new Scanned.Gate[m.patterns().size()];
        for (int i = 0; i < gates.length; i++) {
          gates[i] = gate(m.field(), m.prefilters().get(i));
        }
        Site site = site(m.field(), m.chain());
        return leaf(new Scanned.RegexSet(m, site, gates, nextLeaf(site)));
      }
      if (s instanceof Statement.SqliMatch q) {
        Site site = site(q.field(), q.chain());
        return leaf(new Scanned.Sqli(q, site, nextLeaf(site)));
      }
      if (s instanceof Statement.XssMatch x) {
        Site site = site(x.field(), x.chain());
        return leaf(new Scanned.Xss(x, site, nextLeaf(site)));
      }
      if (s instanceof Statement.SizeConstraint z) {
        Site site = site(z.field(), z.chain());
        return leaf(new Scanned.Size(z, site, nextLeaf(site)));
      }
      if (s instanceof Statement.And a) {
        return new Statement.And(a.statements().stream().map(this::rewrite).toList());
      }
      if (s instanceof Statement.Or o) {
        return new Statement.Or(o.statements().stream().map(this::rewrite).toList());
      }
      if (s instanceof Statement.Not n) {
        return new Statement.Not(rewrite(n.statement()));
      }
      if (s instanceof RateBased rb && rb.scopeDown() != null) {
        return new RateBased(
            rb.counterId(),
            rb.limit(),
            rb.windowSeconds(),
            rb.keyType(),
            rb.customKeys(),
            rb.forwarded(),
            rewrite(rb.scopeDown()));
      }
      return s;
    }

    private static boolean isBytes(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0xff) {
          return false;
        }
      }
      return true;
    }
  }
}
