package io.bulwark.waf;

import java.util.List;

/**
 * The outcome of evaluating one request against a web ACL. A value, never an exception.
 *
 * @param action ALLOW, BLOCK or CHALLENGE (COUNT never terminates, so it is not a final action)
 * @param terminatingRule the web ACL rule that decided, or {@link #DEFAULT_ACTION} when no rule
 *     terminated
 * @param terminatingGroupRule when the deciding rule references a rule group, the rule inside the
 *     group that matched; otherwise null
 * @param labels every label added during evaluation, fully qualified, in the order added
 * @param countedRules rules that matched with a Count action (or were overridden to Count), as
 *     {@code rule} or {@code rule/group-rule}
 * @param response for BLOCK, the response to send; otherwise null
 */
public record Verdict(
    Action action,
    String terminatingRule,
    String terminatingGroupRule,
    List<String> labels,
    List<String> countedRules,
    CustomResponse response) {
  /** The terminating rule name AWS WAF reports when the default action decided. */
  public static final String DEFAULT_ACTION = "Default_Action";

  public Verdict {
    labels = List.copyOf(labels);
    countedRules = List.copyOf(countedRules);
  }

  public boolean blocked() {
    return action == Action.BLOCK;
  }

  /** True when the web ACL's default action decided (no rule terminated). */
  public boolean byDefault() {
    return DEFAULT_ACTION.equals(terminatingRule);
  }
}
