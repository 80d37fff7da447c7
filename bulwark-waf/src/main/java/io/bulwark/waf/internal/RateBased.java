package io.bulwark.waf.internal;

import io.bulwark.waf.WafRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * RateBasedStatement: counts the requests that reach the rule (and match the scope-down statement,
 * when there is one) per aggregation key, and matches while the key's count in the evaluation
 * window is above the limit. Every request that reaches the rule is counted, including those it
 * blocks, as AWS WAF does. A request missing a custom key is neither counted nor matched.
 */
public record RateBased(
    String counterId,
    long limit,
    int windowSeconds,
    KeyType keyType,
    List<CustomKey> customKeys,
    Statement.ForwardedIp forwarded,
    Statement scopeDown)
    implements Statement {

  public static final List<Integer> WINDOWS = List.of(60, 120, 300, 600);

  public enum KeyType {
    IP,
    FORWARDED_IP,
    CUSTOM_KEYS,
    CONSTANT
  }

  /** One component of a CUSTOM_KEYS aggregation key. */
  public sealed interface CustomKey {
    /** The component's value, or null when the request lacks it. */
    String value(EvalContext ctx);

    TextChain chain();

    record Header(String name, TextChain chain) implements CustomKey {
      @Override
      public String value(EvalContext ctx) {
        String v = ctx.request().header(name);
        return v == null ? null : chain.apply(v);
      }
    }

    record Cookie(String name, TextChain chain) implements CustomKey {
      @Override
      public String value(EvalContext ctx) {
        for (WafRequest.Cookie c : ctx.request().cookies()) {
          if (c.name().equals(name)) {
            return chain.apply(c.value());
          }
        }
        return null;
      }
    }

    record QueryArgument(String name, TextChain chain) implements CustomKey {
      @Override
      public String value(EvalContext ctx) {
        for (String[] kv : ctx.queryArgs()) {
          if (kv[0].equalsIgnoreCase(name)) {
            return chain.apply(kv[1]);
          }
        }
        return null;
      }
    }

    record QueryString(TextChain chain) implements CustomKey {
      @Override
      public String value(EvalContext ctx) {
        String q = ctx.request().rawQuery();
        return q.isEmpty() ? null : chain.apply(q);
      }
    }

    record Method() implements CustomKey {
      @Override
      public String value(EvalContext ctx) {
        return ctx.request().method();
      }

      @Override
      public TextChain chain() {
        return TextChain.NONE;
      }
    }

    record UriPath(TextChain chain) implements CustomKey {
      @Override
      public String value(EvalContext ctx) {
        return chain.apply(ctx.request().uriPath());
      }
    }

    /** The names of the request's labels in a namespace, joined. */
    record LabelNamespace(String namespace) implements CustomKey {
      @Override
      public String value(EvalContext ctx) {
        StringBuilder sb = new StringBuilder();
        for (String l : ctx.labels()) {
          if (Labels.matches(Statement.LabelScope.NAMESPACE, namespace, l)) {
            sb.append(l).append(',');
          }
        }
        return sb.length() == 0 ? null : sb.toString();
      }

      @Override
      public TextChain chain() {
        return TextChain.NONE;
      }
    }

    record Ip() implements CustomKey {
      @Override
      public String value(EvalContext ctx) {
        return ctx.request().clientIp().getHostAddress();
      }

      @Override
      public TextChain chain() {
        return TextChain.NONE;
      }
    }

    record ForwardedIpKey(Statement.ForwardedIp config) implements CustomKey {
      @Override
      public String value(EvalContext ctx) {
        List<InetAddress> as = config.addresses(ctx);
        return as == null ? null : as.get(0).getHostAddress();
      }

      @Override
      public TextChain chain() {
        return TextChain.NONE;
      }
    }
  }

  @Override
  public boolean matches(EvalContext ctx) {
    if (scopeDown != null && !scopeDown.matches(ctx)) {
      return false;
    }
    String key;
    switch (keyType) {
      case IP -> key = ctx.request().clientIp().getHostAddress();
      case CONSTANT -> key = "";
      case FORWARDED_IP -> {
        List<InetAddress> as = forwarded.addresses(ctx);
        if (as == null) {
          return forwarded.fallbackMatch();
        }
        key = as.get(0).getHostAddress();
      }
      case CUSTOM_KEYS -> {
        StringBuilder sb = new StringBuilder();
        for (CustomKey k : customKeys) {
          String v = k.value(ctx);
          if (v == null) {
            return false;
          }
          sb.append(v.length()).append(':').append(v).append('|');
        }
        key = sb.toString();
      }
      default -> throw new IllegalStateException("unknown key type " + keyType);
    }
    long count =
        ctx.services()
            .rates()
            .record(counterId + "\u0000" + key, ctx.now(), Duration.ofSeconds(windowSeconds));
    return count > limit;
  }

  /** AWS: 2, plus 30 per custom key and 10 per transformation on a key, plus the scope-down. */
  @Override
  public int wcu() {
    int w = 2 + (scopeDown == null ? 0 : scopeDown.wcu());
    for (CustomKey k : customKeys) {
      w += 30 + k.chain().wcu();
    }
    return w;
  }

  @Override
  public List<Statement> children() {
    List<Statement> c = new ArrayList<>();
    if (scopeDown != null) {
      c.add(scopeDown);
    }
    return c;
  }
}
