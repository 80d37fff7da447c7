package io.bulwark.waf.internal;

import com.google.re2j.Pattern;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A rule statement: a pure predicate over the request (and, for rate-based statements, the shared
 * counters), with its AWS WCU cost. Patterns, IP sets and search strings are compiled once when the
 * configuration is loaded.
 */
public interface Statement {
  boolean matches(EvalContext ctx);

  /** Web ACL capacity units, with AWS's published costs. */
  int wcu();

  /** Nested statements (for validation walks). */
  default List<Statement> children() {
    return List.of();
  }

  /** Inspects a field after a transformation chain; true when any value satisfies the test. */
  static boolean anyValue(EvalContext ctx, Field field, TextChain chain, ValueTest test) {
    Inspection in = ctx.inspect(field, chain);
    if (in.forced() != null) {
      return in.forced();
    }
    for (String v : in.values()) {
      if (test.test(v)) {
        return true;
      }
    }
    return false;
  }

  /** Like {@link #anyValue}, remembering each value's result under {@code key} for the request. */
  static boolean anyValueMemo(
      EvalContext ctx, Field field, TextChain chain, Object key, ValueTest test) {
    Inspection in = ctx.inspect(field, chain);
    if (in.forced() != null) {
      return in.forced();
    }
    for (String v : in.values()) {
      if (ctx.memo(key, v, test)) {
        return true;
      }
    }
    return false;
  }

  /** A test of one transformed value. */
  interface ValueTest {
    boolean test(String value);
  }

  enum Positional {
    EXACTLY,
    STARTS_WITH,
    ENDS_WITH,
    CONTAINS,
    CONTAINS_WORD
  }

  /** ByteMatch: a search string (as UTF-8 bytes) at a position. */
  record ByteMatch(Field field, TextChain chain, Positional positional, String search)
      implements Statement {
    @Override
    public boolean matches(EvalContext ctx) {
      return anyValue(ctx, field, chain, this::test);
    }

    boolean test(String v) {
      return switch (positional) {
        case EXACTLY -> v.equals(search);
        case STARTS_WITH -> v.startsWith(search);
        case ENDS_WITH -> v.endsWith(search);
        case CONTAINS -> v.contains(search);
        case CONTAINS_WORD -> containsWord(v, search);
      };
    }

    /** AWS: the string must be bounded by non-word characters (or the ends of the value). */
    static boolean containsWord(String v, String word) {
      int from = 0;
      while (true) {
        int i = v.indexOf(word, from);
        if (i < 0) {
          return false;
        }
        int end = i + word.length();
        boolean left = i == 0 || !Text.isWordChar(v.charAt(i - 1));
        boolean right = end == v.length() || !Text.isWordChar(v.charAt(end));
        if (left && right) {
          return true;
        }
        from = i + 1;
      }
    }

    @Override
    public int wcu() {
      int base =
          positional == Positional.CONTAINS || positional == Positional.CONTAINS_WORD ? 10 : 2;
      return field.wcu(base) + chain.wcu();
    }
  }

  /**
   * RegexMatch: one RE2 pattern (linear time in the input; no backtracking), behind a literal
   * {@link Prefilter} when one can be derived.
   */
  record RegexMatch(Field field, TextChain chain, Pattern pattern, Prefilter prefilter)
      implements Statement {
    public RegexMatch(Field field, TextChain chain, Pattern pattern) {
      this(field, chain, pattern, Prefilter.of(pattern.pattern()));
    }

    @Override
    public boolean matches(EvalContext ctx) {
      return anyValueMemo(
          ctx,
          field,
          chain,
          pattern,
          v -> (prefilter == null || prefilter.mayMatch(v)) && pattern.matcher(v).find());
    }

    @Override
    public int wcu() {
      return field.wcu(3) + chain.wcu();
    }
  }

  /** A reference to a named regex pattern set: matches when any pattern matches. */
  record RegexPatternSetMatch(
      String setName,
      List<Pattern> patterns,
      List<Prefilter> prefilters,
      Field field,
      TextChain chain)
      implements Statement {
    public RegexPatternSetMatch(
        String setName, List<Pattern> patterns, Field field, TextChain chain) {
      this(
          setName,
          patterns,
          patterns.stream().map(p -> Prefilter.of(p.pattern())).toList(),
          field,
          chain);
    }

    @Override
    public boolean matches(EvalContext ctx) {
      return anyValueMemo(
          ctx,
          field,
          chain,
          patterns,
          v -> {
            for (int i = 0; i < patterns.size(); i++) {
              Prefilter pf = prefilters.get(i);
              if ((pf == null || pf.mayMatch(v)) && patterns.get(i).matcher(v).find()) {
                return true;
              }
            }
            return false;
          });
    }

    @Override
    public int wcu() {
      return field.wcu(25) + chain.wcu();
    }
  }

  enum Sensitivity {
    LOW,
    HIGH
  }

  /** SqliMatch: our tokenizing SQL-injection detector (see {@link SqliDetector}). */
  record SqliMatch(Field field, TextChain chain, Sensitivity sensitivity) implements Statement {
    @Override
    public boolean matches(EvalContext ctx) {
      return anyValueMemo(
          ctx, field, chain, sensitivity, v -> SqliDetector.isInjection(v, sensitivity));
    }

    @Override
    public int wcu() {
      return field.wcu(sensitivity == Sensitivity.HIGH ? 30 : 20) + chain.wcu();
    }
  }

  /** XssMatch: our HTML/JS-context tokenizing detector (see {@link XssDetector}). */
  record XssMatch(Field field, TextChain chain) implements Statement {
    @Override
    public boolean matches(EvalContext ctx) {
      return anyValueMemo(ctx, field, chain, XssMatch.class, XssDetector::isXss);
    }

    @Override
    public int wcu() {
      return field.wcu(40) + chain.wcu();
    }
  }

  enum Comparison {
    EQ,
    NE,
    LE,
    LT,
    GE,
    GT
  }

  /** SizeConstraint: the byte length of the (transformed) component compared with a size. */
  record SizeConstraint(Field field, TextChain chain, Comparison op, long size)
      implements Statement {
    @Override
    public boolean matches(EvalContext ctx) {
      return anyValue(ctx, field, chain, this::test);
    }

    boolean test(String v) {
      long n = v.length();
      return switch (op) {
        case EQ -> n == size;
        case NE -> n != size;
        case LE -> n <= size;
        case LT -> n < size;
        case GE -> n >= size;
        case GT -> n > size;
      };
    }

    @Override
    public int wcu() {
      return field.wcu(1) + chain.wcu();
    }
  }

  /** How to read the client address from a header such as X-Forwarded-For. */
  record ForwardedIp(String headerName, boolean fallbackMatch, Position position) {
    enum Position {
      FIRST,
      LAST,
      ANY
    }

    /** The addresses to use, or null when the header is missing or holds no valid address. */
    List<InetAddress> addresses(EvalContext ctx) {
      String v = ctx.request().header(headerName);
      if (v == null) {
        return null;
      }
      String[] parts = v.split(",");
      List<InetAddress> out = new ArrayList<>(1);
      switch (position) {
        case FIRST -> add(out, parts[0]);
        case LAST -> add(out, parts[parts.length - 1]);
        case ANY -> {
          for (String p : parts) {
            add(out, p);
          }
        }
      }
      return out.isEmpty() ? null : out;
    }

    private static void add(List<InetAddress> out, String s) {
      InetAddress a = Ips.parseLiteral(s);
      if (a != null) {
        out.add(a);
      }
    }
  }

  /** IPSetReference: the client address (or forwarded address) in a set of CIDR blocks. */
  record IpSetMatch(String setName, IpSet set, ForwardedIp forwarded) implements Statement {
    @Override
    public boolean matches(EvalContext ctx) {
      if (forwarded == null) {
        return set.contains(ctx.request().clientIp());
      }
      List<InetAddress> as = forwarded.addresses(ctx);
      if (as == null) {
        return forwarded.fallbackMatch();
      }
      for (InetAddress a : as) {
        if (set.contains(a)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int wcu() {
      return forwarded != null && forwarded.position() == ForwardedIp.Position.ANY ? 5 : 1;
    }
  }

  /**
   * GeoMatch: the client's country in a list. Like AWS, it labels the request with the country
   * ({@code bulwark:clientip:geo:country:US}) whether or not it matches.
   */
  record GeoMatch(Set<String> countryCodes, ForwardedIp forwarded) implements Statement {
    public static final String COUNTRY_LABEL_NAMESPACE = "bulwark:clientip:geo:country:";

    @Override
    public boolean matches(EvalContext ctx) {
      InetAddress a = ctx.request().clientIp();
      if (forwarded != null) {
        List<InetAddress> as = forwarded.addresses(ctx);
        if (as == null) {
          return forwarded.fallbackMatch();
        }
        a = as.get(0);
      }
      String country = ctx.services().geo().country(a);
      if (country == null) {
        return false;
      }
      ctx.addLabel(COUNTRY_LABEL_NAMESPACE + country);
      return countryCodes.contains(country);
    }

    @Override
    public int wcu() {
      return 1;
    }
  }

  enum LabelScope {
    LABEL,
    NAMESPACE
  }

  /** LabelMatch: a label added by an earlier rule, by name or namespace. */
  record LabelMatch(LabelScope scope, String key) implements Statement {
    @Override
    public boolean matches(EvalContext ctx) {
      for (String l : ctx.labels()) {
        if (Labels.matches(scope, key, l)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int wcu() {
      return 1;
    }
  }

  record And(List<Statement> statements) implements Statement {
    @Override
    public boolean matches(EvalContext ctx) {
      for (Statement s : statements) {
        if (!s.matches(ctx)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int wcu() {
      return statements.stream().mapToInt(Statement::wcu).sum();
    }

    @Override
    public List<Statement> children() {
      return statements;
    }
  }

  record Or(List<Statement> statements) implements Statement {
    @Override
    public boolean matches(EvalContext ctx) {
      for (Statement s : statements) {
        if (s.matches(ctx)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public int wcu() {
      return statements.stream().mapToInt(Statement::wcu).sum();
    }

    @Override
    public List<Statement> children() {
      return statements;
    }
  }

  record Not(Statement statement) implements Statement {
    @Override
    public boolean matches(EvalContext ctx) {
      return !statement.matches(ctx);
    }

    @Override
    public int wcu() {
      return statement.wcu();
    }

    @Override
    public List<Statement> children() {
      return List.of(statement);
    }
  }
}
