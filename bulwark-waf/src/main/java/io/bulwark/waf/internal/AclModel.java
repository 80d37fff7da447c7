package io.bulwark.waf.internal;

import io.bulwark.waf.Action;
import io.bulwark.waf.CustomResponse;
import io.bulwark.waf.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * A loaded web ACL: its rules in priority order and its default action. {@link #evaluate} is the
 * AWS WAF evaluation loop:
 *
 * <ul>
 *   <li>rules run lowest priority first; a matching rule adds its labels whatever its action;
 *   <li>Allow and Block stop evaluation; Count records the match and continues; Challenge stops
 *       unless the request carries a valid token, in which case it continues like Count;
 *   <li>a rule group runs its rules in order and stops at its first terminating match; with the
 *       override action Count that result is recorded as a count and the web ACL continues;
 *   <li>when no rule terminates, the default action decides.
 * </ul>
 */
public record AclModel(
    String name,
    Action defaultAction,
    CustomResponse defaultResponse,
    int capacity,
    List<Rule> rules,
    AclServices services) {

  public Verdict evaluate(EvalContext ctx) {
    List<String> counted = new ArrayList<>();
    RuleIndex index = ctx.ruleIndex();
    long[] candidates = null; // computed when the first guarded rule is reached
    int slot = 0;
    for (Rule rule : rules) {
      if (rule.group() != null) {
        Rule.GroupRef ref = rule.group();
        List<Rule> inner = ref.group().rules();
        int first = slot;
        slot += inner.size();
        if (index != null) {
          if (candidates == null && !index.allUnguarded(first, slot)) {
            candidates = index.candidates(ctx);
          }
          if (candidates != null && !RuleIndex.any(candidates, first, slot)) {
            continue; // no rule of the group can match: its scope-down need not run either
          }
        }
        if (ref.scopeDown() != null && !ref.scopeDown().matches(ctx)) {
          continue;
        }
        for (int i = next(candidates, first, slot) - first;
            i < inner.size();
            i = next(candidates, first + i + 1, slot) - first) {
          Rule r = inner.get(i);
          if (!r.statement().matches(ctx)) {
            continue;
          }
          r.labels().forEach(ctx::addLabel);
          Rule.RuleAction act = ref.effectiveAction(r);
          String qualified = rule.name() + "/" + r.name();
          if (!terminates(act, ctx)) {
            if (act.action() == Action.COUNT) {
              counted.add(qualified);
            }
            continue;
          }
          if (rule.overrideCount()) {
            counted.add(qualified);
            break;
          }
          return verdict(act, rule.name(), r.name(), ctx, counted);
        }
        continue;
      }
      int s = slot++;
      if (index != null && !index.unguarded(s)) {
        if (candidates == null) {
          candidates = index.candidates(ctx);
        }
        if (!RuleIndex.has(candidates, s)) {
          continue;
        }
      }
      if (!rule.statement().matches(ctx)) {
        continue;
      }
      rule.labels().forEach(ctx::addLabel);
      if (!terminates(rule.action(), ctx)) {
        if (rule.action().action() == Action.COUNT) {
          counted.add(rule.name());
        }
        continue;
      }
      return verdict(rule.action(), rule.name(), null, ctx, counted);
    }
    return new Verdict(
        defaultAction,
        Verdict.DEFAULT_ACTION,
        null,
        new ArrayList<>(ctx.labels()),
        counted,
        defaultAction == Action.BLOCK ? defaultResponse : null);
  }

  /** The first slot in [from, to) among the candidates (every slot when null), or {@code to}. */
  private static int next(long[] candidates, int from, int to) {
    if (candidates == null || from >= to) {
      return Math.min(from, to);
    }
    int s = RuleIndex.nextSet(candidates, from);
    return s < 0 || s > to ? to : s;
  }

  private boolean terminates(Rule.RuleAction act, EvalContext ctx) {
    return switch (act.action()) {
      case ALLOW, BLOCK, CAPTCHA -> true;
      case COUNT -> false;
      case CHALLENGE ->
          !services.challenge().hasValidToken(ctx.request(), ctx.now(), act.immunity());
    };
  }

  private static Verdict verdict(
      Rule.RuleAction act, String rule, String inner, EvalContext ctx, List<String> counted) {
    CustomResponse response =
        act.action() == Action.BLOCK
            ? (act.response() == null ? CustomResponse.DEFAULT_BLOCK : act.response())
            : null;
    return new Verdict(act.action(), rule, inner, new ArrayList<>(ctx.labels()), counted, response);
  }

  public int wcu() {
    return rules.stream().mapToInt(Rule::wcu).sum();
  }
}
