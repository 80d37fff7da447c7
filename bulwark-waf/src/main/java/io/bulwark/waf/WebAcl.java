package io.bulwark.waf;

import io.bulwark.waf.internal.AclModel;
import io.bulwark.waf.internal.EvalContext;
import io.bulwark.waf.internal.Rule;
import io.bulwark.waf.internal.ScanPlan;
import java.time.Instant;
import java.util.List;

/**
 * A loaded, immutable web ACL: evaluate requests against it. Built by {@link WebAclParser}. Safe to
 * share between threads; the only state it touches is its {@link RateCounterStore}.
 */
public final class WebAcl {
  /** One line of the capacity breakdown. */
  public record RuleCapacity(String rule, int priority, int wcu) {}

  private final AclModel model;
  private final ScanPlan plan;
  private final AclModel loaded;
  private final LabelForwarding forwardLabels;

  WebAcl(AclModel model, LabelForwarding forwardLabels) {
    ScanPlan.Compiled c = ScanPlan.compile(model);
    this.model = c.model();
    this.plan = c.plan();
    this.loaded = model;
    this.forwardLabels = forwardLabels;
  }

  public String name() {
    return model.name();
  }

  public Action defaultAction() {
    return model.defaultAction();
  }

  /** The configured capacity limit (WCU). */
  public int capacity() {
    return model.capacity();
  }

  /** The WCUs the rules use (at most {@link #capacity()}; a web ACL over it is refused). */
  public int usedCapacity() {
    return model.wcu();
  }

  public List<RuleCapacity> capacityBreakdown() {
    return model.rules().stream()
        .map(r -> new RuleCapacity(r.name(), r.priority(), r.wcu()))
        .toList();
  }

  /** Rule names in evaluation order. */
  public List<String> ruleNames() {
    return model.rules().stream().map(Rule::name).toList();
  }

  /** The metric name of each rule, in evaluation order (defaults to the rule name). */
  public List<String> metricNames() {
    return model.rules().stream().map(Rule::metricName).toList();
  }

  /**
   * The {@code forward-labels} setting: which labels the edge sends to the origin, in which header;
   * null when the web ACL does not forward labels.
   */
  public LabelForwarding forwardLabels() {
    return forwardLabels;
  }

  /** The Challenge token service, for the edge's interstitial and verify endpoint. */
  public ChallengeService challenge() {
    return model.services().challenge();
  }

  /**
   * Evaluates one request. Pure apart from rate counting; {@code now} is the only clock read, so
   * tests pass a manual clock's instant.
   */
  public Verdict evaluate(WafRequest request, Instant now) {
    EvalContext ctx = new EvalContext(request, now, model.services(), plan);
    try {
      return model.evaluate(ctx);
    } finally {
      ctx.finish();
    }
  }

  /**
   * Evaluates with the statements as loaded, each asking for its own values (no scan plan, no value
   * cache): the reference that the compiled evaluation is checked against.
   */
  Verdict evaluateAsLoaded(WafRequest request, Instant now) {
    return loaded.evaluate(new EvalContext(request, now, loaded.services()));
  }

  @Override
  public String toString() {
    return "WebAcl["
        + name()
        + ", "
        + model.rules().size()
        + " rules, "
        + usedCapacity()
        + "/"
        + capacity()
        + " WCU]";
  }
}
