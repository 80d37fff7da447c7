package io.bulwark.waf.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.waf.WafRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a request a statement inspects (AWS WAF's FieldToMatch). Each field is a value type
 * so that it can key the per-request cache of extracted and transformed values.
 */
public sealed interface Field {
  Inspection extract(EvalContext ctx);

  /**
   * The one string of the request this field's values (and whether it is oversize) are a function
   * of, for fields that take several values from one string: then the plan can remember the field's
   * answers under it. Null for fields with one value (the value itself is remembered) or with
   * values from several strings.
   */
  default String source(EvalContext ctx) {
    return null;
  }

  /** A header's name, as a part a header field inspects ({@link #headerParts}). */
  int HEADER_NAME = 1;

  /** A header's value, as a part a header field inspects ({@link #headerParts}). */
  int HEADER_VALUE = 2;

  /**
   * For a field whose values come from the headers alone (a single header, headers by pattern):
   * which parts of a header it inspects, {@link #HEADER_NAME} and {@link #HEADER_VALUE} (a name
   * comes first), given the header's name lower-cased ({@code lower}) and as sent. The answer
   * depends on the lower-cased name alone, so the plan can remember per header what each header
   * field's values from it are. 0 for other fields; see {@link EvalContext#headersOver} for when
   * the headers are not inspected header by header at all.
   */
  default int headerParts(String lower, String name) {
    return 0;
  }

  /** The statement's WCU given its base cost (AWS: JSON body doubles it, all query args add 10). */
  default int wcu(int base) {
    return base;
  }

  /** A short description for messages and docs, e.g. {@code single-header:user-agent}. */
  String describe();

  /** What to do when the component is larger than what can be inspected. */
  enum Oversize {
    CONTINUE,
    MATCH,
    NO_MATCH
  }

  /** Which parts of a key/value component to inspect; ALL matches if either matches. */
  enum Scope {
    ALL,
    KEY,
    VALUE
  }

  /** Which named entries of headers, cookies or a JSON body to inspect. */
  record Pattern(Kind kind, Set<String> names) {
    enum Kind {
      ALL,
      INCLUDED,
      EXCLUDED
    }

    static final Pattern ALL_ENTRIES = new Pattern(Kind.ALL, Set.of());

    boolean accepts(String name) {
      return switch (kind) {
        case ALL -> true;
        case INCLUDED -> names.contains(name);
        case EXCLUDED -> !names.contains(name);
      };
    }
  }

  /** AWS inspects at most 8 KB or 200 headers (and the same for cookies). */
  int HEADER_LIMIT_BYTES = 8 * 1024;

  int HEADER_LIMIT_COUNT = 200;

  record UriPath() implements Field {
    @Override
    public Inspection extract(EvalContext ctx) {
      return Inspection.of(ctx.request().uriPath());
    }

    @Override
    public String describe() {
      return "uri-path";
    }
  }

  record QueryString() implements Field {
    @Override
    public Inspection extract(EvalContext ctx) {
      return Inspection.of(ctx.request().rawQuery());
    }

    @Override
    public String describe() {
      return "query-string";
    }
  }

  record Method() implements Field {
    @Override
    public Inspection extract(EvalContext ctx) {
      return Inspection.of(ctx.request().method());
    }

    @Override
    public String describe() {
      return "method";
    }
  }

  /** One query argument by name (case-insensitive); every value when it repeats. */
  record SingleQueryArgument(String name) implements Field {
    @Override
    public Inspection extract(EvalContext ctx) {
      List<String> out = new ArrayList<>(1);
      for (String[] kv : ctx.queryArgs()) {
        if (kv[0].equalsIgnoreCase(name)) {
          out.add(kv[1]);
        }
      }
      return Inspection.of(out);
    }

    @Override
    public String source(EvalContext ctx) {
      return ctx.request().rawQuery();
    }

    @Override
    public String describe() {
      return "single-query-argument:" + name;
    }
  }

  /** The values of every query argument. */
  record AllQueryArguments() implements Field {
    @Override
    public Inspection extract(EvalContext ctx) {
      return Inspection.of(ctx.queryValues());
    }

    @Override
    public String source(EvalContext ctx) {
      return ctx.request().rawQuery();
    }

    @Override
    public int wcu(int base) {
      return base + 10;
    }

    @Override
    public String describe() {
      return "all-query-arguments";
    }
  }

  /** One header by name (case-insensitive); every value when it repeats. */
  record SingleHeader(String name) implements Field {
    @Override
    public Inspection extract(EvalContext ctx) {
      List<WafRequest.Header> hs = ctx.request().headers();
      String[] names = ctx.headerNamesLower();
      String want = Text.asciiLower(name);
      List<String> out = null;
      for (int i = 0; i < names.length; i++) {
        if (inspects(names[i], hs.get(i).name(), want)) {
          if (out == null) {
            out = new ArrayList<>(1);
          }
          out.add(hs.get(i).value());
        }
      }
      return Inspection.of(out == null ? List.of() : out);
    }

    @Override
    public int headerParts(String lower, String name) {
      return inspects(lower, name, Text.asciiLower(this.name)) ? HEADER_VALUE : 0;
    }

    /**
     * Equal once ASCII-lower-cased implies equalsIgnoreCase; other names of the same length
     * (non-ASCII letters) still get the case-insensitive test. Names with the same lower-cased form
     * differ only in ASCII case, so they get the same answer.
     */
    private boolean inspects(String lower, String name, String want) {
      return lower.length() == want.length()
          && (lower.equals(want) || name.equalsIgnoreCase(this.name));
    }

    @Override
    public String describe() {
      return "single-header:" + name;
    }
  }

  /** Headers selected by a pattern; names are lower-cased in the pattern and when inspecting. */
  record Headers(Pattern pattern, Scope scope, Oversize oversize) implements Field {
    @Override
    public Inspection extract(EvalContext ctx) {
      List<WafRequest.Header> hs = ctx.request().headers();
      boolean over = ctx.headersOver();
      if (over && oversize == Oversize.MATCH) {
        return Inspection.MATCH;
      }
      if (over && oversize == Oversize.NO_MATCH) {
        return Inspection.NO_MATCH;
      }
      List<String> out = new ArrayList<>();
      String[] names = ctx.headerNamesLower();
      for (int i = 0; i < names.length; i++) {
        int parts = headerParts(names[i], hs.get(i).name());
        if ((parts & HEADER_NAME) != 0) {
          out.add(names[i]);
        }
        if ((parts & HEADER_VALUE) != 0) {
          out.add(hs.get(i).value());
        }
      }
      return Inspection.of(out);
    }

    @Override
    public int headerParts(String lower, String name) {
      if (!pattern.accepts(lower)) {
        return 0;
      }
      return switch (scope) {
        case ALL -> HEADER_NAME | HEADER_VALUE;
        case KEY -> HEADER_NAME;
        case VALUE -> HEADER_VALUE;
      };
    }

    @Override
    public String describe() {
      return "headers";
    }
  }

  /** Cookies selected by a pattern; cookie names are case-sensitive, as AWS treats them. */
  record Cookies(Pattern pattern, Scope scope, Oversize oversize) implements Field {
    @Override
    public Inspection extract(EvalContext ctx) {
      List<WafRequest.Cookie> cs = ctx.request().cookies();
      int bytes = 0;
      for (WafRequest.Cookie c : cs) {
        bytes += c.name().length() + c.value().length() + 2;
      }
      boolean over = bytes > HEADER_LIMIT_BYTES || cs.size() > HEADER_LIMIT_COUNT;
      if (over && oversize == Oversize.MATCH) {
        return Inspection.MATCH;
      }
      if (over && oversize == Oversize.NO_MATCH) {
        return Inspection.NO_MATCH;
      }
      List<String> out = new ArrayList<>();
      for (WafRequest.Cookie c : cs) {
        if (pattern.accepts(c.name())) {
          addScoped(out, c.name(), c.value(), scope);
        }
      }
      return Inspection.of(out);
    }

    @Override
    public String source(EvalContext ctx) {
      return ctx.request().cookieHeader();
    }

    @Override
    public String describe() {
      return "cookies";
    }
  }

  /** The body up to the inspection limit, as one value. */
  record Body(Oversize oversize) implements Field {
    @Override
    public Inspection extract(EvalContext ctx) {
      if (ctx.request().bodyOversize() && oversize != Oversize.CONTINUE) {
        return oversize == Oversize.MATCH ? Inspection.MATCH : Inspection.NO_MATCH;
      }
      return Inspection.of(ctx.bodyText());
    }

    @Override
    public String describe() {
      return "body";
    }
  }

  /** What to do with a body that does not parse as JSON. */
  enum InvalidJson {
    MATCH,
    NO_MATCH,
    EVALUATE_AS_STRING
  }

  /**
   * A JSON body: the keys and/or scalar values selected by JSON pointers ({@code included-paths})
   * or all of them. A value is inspected when its pointer equals an included path or lies under
   * one.
   */
  record JsonBody(
      List<String> includedPaths, Scope scope, InvalidJson invalidFallback, Oversize oversize)
      implements Field {
    private static final ObjectMapper JSON =
        new ObjectMapper(
            JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build());

    @Override
    public Inspection extract(EvalContext ctx) {
      if (ctx.request().bodyOversize() && oversize != Oversize.CONTINUE) {
        return oversize == Oversize.MATCH ? Inspection.MATCH : Inspection.NO_MATCH;
      }
      byte[] body = ctx.request().body();
      JsonNode root;
      try {
        root = body.length == 0 ? null : JSON.readTree(body);
      } catch (IOException | RuntimeException e) {
        root = null;
      }
      if (root == null || root.isMissingNode()) {
        return switch (invalidFallback) {
          case MATCH -> Inspection.MATCH;
          case NO_MATCH -> Inspection.NO_MATCH;
          case EVALUATE_AS_STRING -> Inspection.of(ctx.bodyText());
        };
      }
      List<String> out = new ArrayList<>();
      walk(root, "", out);
      return Inspection.of(out);
    }

    private boolean included(String pointer) {
      if (includedPaths.isEmpty()) {
        return true;
      }
      for (String p : includedPaths) {
        if (pointer.equals(p) || pointer.startsWith(p.endsWith("/") ? p : p + "/")) {
          return true;
        }
      }
      return false;
    }

    private void walk(JsonNode node, String pointer, List<String> out) {
      if (node.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String child = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
          if (scope != Scope.VALUE && included(child)) {
            out.add(Text.bytesOf(e.getKey()));
          }
          walk(e.getValue(), child, out);
        }
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          walk(node.get(i), pointer + "/" + i, out);
        }
      } else if (scope != Scope.KEY && included(pointer)) {
        out.add(Text.bytesOf(node.isValueNode() ? node.asText() : node.toString()));
      }
    }

    @Override
    public int wcu(int base) {
      return base * 2;
    }

    @Override
    public String describe() {
      return "json-body";
    }
  }

  private static void addScoped(List<String> out, String key, String value, Scope scope) {
    if (scope != Scope.VALUE) {
      out.add(key);
    }
    if (scope != Scope.KEY) {
      out.add(value);
    }
  }
}
