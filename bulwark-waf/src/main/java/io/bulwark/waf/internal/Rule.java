package io.bulwark.waf.internal;

import io.bulwark.waf.Action;
import io.bulwark.waf.CustomResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One rule of a web ACL or rule group: either a statement with an action, or a reference to a rule
 * group with an override action (None or Count), per-rule action overrides and an optional
 * scope-down statement.
 *
 * @param name unique within its web ACL or group
 * @param priority evaluation order, lowest first
 * @param statement the predicate (null for a group reference)
 * @param action the action (null for a group reference)
 * @param labels fully qualified labels added when the rule matches
 * @param group the referenced group (null for a plain rule)
 * @param overrideCount for a group reference: true for override action Count
 * @param metricName for the edge's metrics; defaults to the name
 */
public record Rule(
    String name,
    int priority,
    Statement statement,
    RuleAction action,
    List<String> labels,
    GroupRef group,
    boolean overrideCount,
    String metricName) {

  /**
   * An action with its details.
   *
   * @param response for BLOCK, the response to send
   * @param immunity for CHALLENGE, how long a token stays valid
   */
  public record RuleAction(Action action, CustomResponse response, Duration immunity) {
    public static final RuleAction COUNT = new RuleAction(Action.COUNT, null, null);
  }

  /**
   * A use of a rule group.
   *
   * @param excluded rules whose action is set to Count (AWS ExcludedRules)
   * @param overrides per-rule action overrides (AWS RuleActionOverrides)
   * @param scopeDown when present, the group is evaluated only for requests it matches
   */
  public record GroupRef(
      RuleGroup group,
      Set<String> excluded,
      Map<String, RuleAction> overrides,
      Statement scopeDown) {
    RuleAction effectiveAction(Rule r) {
      RuleAction o = overrides.get(r.name());
      if (o != null) {
        return o;
      }
      return excluded.contains(r.name()) ? RuleAction.COUNT : r.action();
    }
  }

  public int wcu() {
    if (group != null) {
      return group.group().capacity() + (group.scopeDown() == null ? 0 : group.scopeDown().wcu());
    }
    return statement.wcu();
  }
}
