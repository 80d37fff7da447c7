package io.bulwark.waf.internal;

import io.bulwark.waf.WafRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One request's evaluation state: the request, the time, the labels added so far, and caches so
 * that a request component extracted or transformed for one rule is reused by the next (many rules
 * inspect the same query arguments with the same decoding chain).
 */
public final class EvalContext {
  private final WafRequest request;
  private final Instant now;
  private final AclServices services;
  // made when first needed: most requests add no label, and only statements that are not compiled
  // (the reference path) use the maps
  private LinkedHashSet<String> labels;
  private Map<Field, Inspection> raw;
  private Map<Field, Map<TextChain, Inspection>> transformed;
  private Map<Object, Map<String, Boolean>> memo;
  private Map<String, long[]> bytes;
  private String bodyText;
  private List<String[]> queryArgs;

  public EvalContext(WafRequest request, Instant now, AclServices services) {
    this(request, now, services, null);
  }

  /** A context for a web ACL compiled against {@code plan} (null: statements not compiled). */
  public EvalContext(WafRequest request, Instant now, AclServices services, ScanPlan plan) {
    this.request = request;
    this.now = now;
    this.services = services;
    this.plan = plan;
    this.fieldBits = plan == null ? null : new FieldAnswers[plan.fieldCount()];
  }

  // ---- compiled statements: one bit per (field, leaf statement), per request ------------------

  private final ScanPlan plan;
  private final FieldAnswers[] fieldBits;

  /**
   * Whether leaf statement {@code leaf} of field {@code fieldIndex} holds for this request: its
   * field's forced result when the component is oversize or invalid, else whether any value of the
   * field satisfies it. Answers per value come from the plan's value cache where a value was seen
   * before, and are computed (and remembered) one leaf at a time otherwise, so a leaf that an And
   * never reaches costs nothing.
   */
  boolean leaf(int fieldIndex, Field field, int leaf) {
    return answers(fieldIndex, field).get(leaf);
  }

  /** Whether every leaf in {@code mask} of the field is already known to be false. */
  boolean knownFalse(int fieldIndex, Field field, long[] mask) {
    return answers(fieldIndex, field).allKnownFalse(mask);
  }

  /** The field's answers for this request, extracting the field the first time. */
  FieldAnswers answers(int fieldIndex, Field field) {
    FieldAnswers a = fieldBits[fieldIndex];
    if (a == null) {
      a = plan.answers(fieldIndex, field, this);
      fieldBits[fieldIndex] = a;
    }
    return a;
  }

  /** The compiled web ACL's rule index, or null on the reference path. */
  RuleIndex ruleIndex() {
    return plan == null ? null : plan.ruleIndex();
  }

  /** Publishes what this request learnt about values to the plan's value cache. */
  public void finish() {
    if (fieldBits != null) {
      for (FieldAnswers a : fieldBits) {
        if (a != null) {
          a.publish();
        }
      }
      plan.rememberHeaders(this, fieldBits, headerBlockLooked ? headerBlock : null);
      plan.rememberHeaderValues(this, fieldBits);
    }
  }

  private ScanPlan.HeaderValues.Entry[] headerEntries;

  /** The headers looked up so far are those from this index on. */
  private int headerLookedFrom = Integer.MAX_VALUE;

  /**
   * The plan's remembered entry of header {@code i}, or null: looked up once per request, from the
   * last header back (the plan joins and remembers headers in that order).
   */
  ScanPlan.HeaderValues.Entry header(int i) {
    if (headerEntries == null) {
      int n = request.headers().size();
      headerEntries = new ScanPlan.HeaderValues.Entry[n];
      headerLookedFrom = n;
    }
    if (i < headerLookedFrom) {
      assert i == headerLookedFrom - 1 : "headers are looked up from the last one back";
      headerLookedFrom = i;
      headerEntries[i] = plan.findHeader(this, i);
    }
    return headerEntries[i];
  }

  private int headerChars = -1;

  /** The length of the request's header names and values, summed once per request. */
  private int headerChars() {
    if (headerChars < 0) {
      List<WafRequest.Header> hs = request.headers();
      int chars = 0;
      for (int i = 0, n = hs.size(); i < n; i++) {
        WafRequest.Header h = hs.get(i);
        chars += h.name().length() + h.value().length();
      }
      headerChars = chars;
    }
    return headerChars;
  }

  /**
   * Whether the headers exceed what AWS inspects (8 KB, counting 4 bytes of framing per header, or
   * 200 headers), so that a header field's oversize handling applies.
   */
  boolean headersOver() {
    int n = request.headers().size();
    return headerChars() + 4 * n > Field.HEADER_LIMIT_BYTES || n > Field.HEADER_LIMIT_COUNT;
  }

  /** Headers whose total length is above this are not remembered as a block. */
  private static final int HEADER_BLOCK_MAX_CHARS = 16 * 1024;

  private boolean headerBlockLooked;
  private ScanPlan.HeaderBlocks.Block headerBlock;
  private int headerBlockHash;

  /**
   * The plan's remembered block with this request's headers, or null: looked up once per request,
   * by the first header field asked for.
   */
  ScanPlan.HeaderBlocks.Block headerBlock() {
    if (!headerBlockLooked) {
      headerBlockLooked = true;
      headerBlock = headerBlockKeyed() ? plan.findHeaderBlock(this) : null;
    }
    return headerBlock;
  }

  /** Whether the headers are small enough to be remembered as a block. */
  boolean headerBlockKeyed() {
    return headerChars() <= HEADER_BLOCK_MAX_CHARS;
  }

  int headerBlockHash() {
    if (headerBlockHash == 0) {
      int h = ScanPlan.HeaderBlocks.hash(this);
      headerBlockHash = h == 0 ? 1 : h;
    }
    return headerBlockHash;
  }

  private int[] headerHashes;

  /**
   * The hash of header {@code i}: of its lower-cased name ({@link String#hashCode}, which the
   * edge's shared name strings keep) and of every char of its value ({@link Text#hash}, eight chars
   * at a time); computed once per request and shared by the header block and the per-header
   * lookups.
   */
  int headerHash(int i) {
    if (headerHashes == null) {
      headerHashes = new int[request.headers().size()];
    }
    int h = headerHashes[i];
    if (h == 0) {
      long x = (headerNamesLower()[i].hashCode() + 0x632BE59BD9B4E019L) * 0x9E3779B97F4A7C15L;
      x ^= Text.hash(request.headers().get(i).value());
      x *= 0xBF58476D1CE4E5B9L;
      h = (int) (x ^ (x >>> 32));
      headerHashes[i] = h = h == 0 ? 1 : h;
    }
    return h;
  }

  public WafRequest request() {
    return request;
  }

  public Instant now() {
    return now;
  }

  public AclServices services() {
    return services;
  }

  public Set<String> labels() {
    return labels == null ? Set.of() : labels;
  }

  public void addLabel(String label) {
    if (labels == null) {
      labels = new LinkedHashSet<>();
    }
    labels.add(label);
  }

  private String[] headerNamesLower;

  /** The request's header names, lower-cased, in order (computed once per request). */
  public String[] headerNamesLower() {
    if (headerNamesLower == null) {
      List<WafRequest.Header> hs = request.headers();
      String[] out = new String[hs.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = Text.asciiLower(hs.get(i).name());
      }
      headerNamesLower = out;
    }
    return headerNamesLower;
  }

  /** The body as a byte string. */
  public String bodyText() {
    if (bodyText == null) {
      byte[] b = request.body();
      bodyText = Text.of(b, b.length);
    }
    return bodyText;
  }

  /** Query arguments as raw name/value pairs (not decoded), in order. */
  public List<String[]> queryArgs() {
    if (queryArgs == null) {
      List<String> values = queryValues();
      String q = request.rawQuery();
      List<String[]> out = new ArrayList<>(values.size());
      for (int i = 0; i < values.size(); i++) {
        out.add(
            new String[] {q.substring(nameBounds[2 * i], nameBounds[2 * i + 1]), values.get(i)});
      }
      queryArgs = out;
    }
    return queryArgs;
  }

  /**
   * The raw values of the query arguments, in order; the names are only located ({@link #queryArgs}
   * makes them when a statement asks for one by name).
   */
  public List<String> queryValues() {
    if (queryValues == null) {
      String q = request.rawQuery();
      List<String> values = new ArrayList<>();
      int[] bounds = new int[8];
      for (int start = 0, n = q.length(); start < n; ) {
        int end = q.indexOf('&', start);
        if (end < 0) {
          end = n;
        }
        if (end > start) {
          int eq = q.indexOf('=', start);
          boolean noValue = eq < 0 || eq >= end;
          int k = 2 * values.size();
          if (k + 2 > bounds.length) {
            bounds = java.util.Arrays.copyOf(bounds, bounds.length * 2);
          }
          bounds[k] = start;
          bounds[k + 1] = noValue ? end : eq;
          values.add(noValue ? "" : q.substring(eq + 1, end));
        }
        start = end + 1;
      }
      nameBounds = bounds;
      queryValues = values;
    }
    return queryValues;
  }

  private List<String> queryValues;

  /** Per argument, where its name starts and ends in the raw query. */
  private int[] nameBounds;

  /** Which byte values (0-255) occur in a value, as a 256-bit set; computed once per value. */
  public long[] bytesPresent(String value) {
    if (bytes == null) {
      bytes = new HashMap<>();
    }
    long[] b = bytes.get(value);
    if (b == null) {
      b = new long[4];
      for (int i = 0; i < value.length(); i++) {
        int c = value.charAt(i) & 0xff;
        b[c >>> 6] |= 1L << (c & 63);
      }
      bytes.put(value, b);
    }
    return b;
  }

  /**
   * The result of an expensive test (a detector, a regex) on a value, remembered per request by
   * identity. Transformations return their input unchanged when there is nothing to decode, so two
   * chains over a plain value hand the same string to the same test; it runs once.
   */
  public boolean memo(Object test, String value, Statement.ValueTest t) {
    if (memo == null) {
      memo = new IdentityHashMap<>();
    }
    Map<String, Boolean> m = memo.computeIfAbsent(test, k -> new HashMap<>());
    Boolean r = m.get(value);
    if (r == null) {
      r = t.test(value);
      m.put(value, r);
    }
    return r;
  }

  /**
   * The inspected values of a field after a transformation chain, cached per request. Fields and
   * chains are interned when the configuration is loaded, so identity is equality here. Chains
   * share their common prefixes: the results of each step are kept in a small trie per field, so
   * {@code URL_DECODE_UNI, URL_DECODE_UNI, HTML_ENTITY_DECODE} is computed once for every chain
   * that starts with it.
   */
  public Inspection inspect(Field field, TextChain chain) {
    if (transformed == null) {
      transformed = new IdentityHashMap<>();
      raw = new IdentityHashMap<>();
      steps = new IdentityHashMap<>();
    }
    Map<TextChain, Inspection> byChain = transformed.get(field);
    if (byChain != null) {
      Inspection hit = byChain.get(chain);
      if (hit != null) {
        return hit;
      }
    }
    Inspection r = raw.get(field);
    if (r == null) {
      r = field.extract(this);
      raw.put(field, r);
    }
    if (chain.isEmpty() || r.forced() != null) {
      return r;
    }
    Step node = steps.get(field);
    if (node == null) {
      node = new Step(r.values());
      steps.put(field, node);
    }
    for (Transformation t : chain.steps()) {
      node = node.child(t);
    }
    Inspection out = new Inspection(node.values, null);
    if (byChain == null) {
      byChain = new IdentityHashMap<>();
      transformed.put(field, byChain);
    }
    byChain.put(chain, out);
    return out;
  }

  private Map<Field, Step> steps;

  /** One node of a field's transformation trie: the values after the steps leading here. */
  private static final class Step {
    final List<String> values;
    private java.util.EnumMap<Transformation, Step> children;

    Step(List<String> values) {
      this.values = values;
    }

    Step child(Transformation t) {
      if (children == null) {
        children = new java.util.EnumMap<>(Transformation.class);
      }
      Step c = children.get(t);
      if (c == null) {
        List<String> out = null;
        for (int i = 0; i < values.size(); i++) {
          String v = values.get(i);
          String w = t.transform(v);
          if (out == null && w != v) {
            out = new ArrayList<>(values.size());
            out.addAll(values.subList(0, i));
          }
          if (out != null) {
            out.add(w);
          }
        }
        c = new Step(out == null ? values : out); // nothing changed: share the parent's list
        children.put(t, c);
      }
      return c;
    }
  }
}
