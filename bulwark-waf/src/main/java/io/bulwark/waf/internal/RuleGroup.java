package io.bulwark.waf.internal;

import java.util.List;

/**
 * A named list of rules with a fixed capacity (as AWS fixes a rule group's WCU at creation).
 *
 * @param labelNamespace the prefix of the labels its rules add, e.g. {@code
 *     bulwark:managed:core-rule-set:}
 * @param managed true for a built-in group
 */
public record RuleGroup(
    String name, int capacity, List<Rule> rules, String labelNamespace, boolean managed) {

  public int usedCapacity() {
    return rules.stream().mapToInt(Rule::wcu).sum();
  }
}
