package io.bulwark.waf.internal;

import java.util.List;

/**
 * What a field yields for a request: the values to inspect (byte strings), or a forced result when
 * the component is oversize or invalid and the rule's handling says MATCH or NO_MATCH.
 *
 * @param values the values; empty when the component is absent
 * @param forced null to inspect the values; TRUE or FALSE to decide without inspecting
 */
public record Inspection(List<String> values, Boolean forced) {
  static final Inspection NONE = new Inspection(List.of(), null);
  static final Inspection MATCH = new Inspection(List.of(), Boolean.TRUE);
  static final Inspection NO_MATCH = new Inspection(List.of(), Boolean.FALSE);

  static Inspection of(String value) {
    return new Inspection(List.of(value), null);
  }

  static Inspection of(List<String> values) {
    return new Inspection(values, null);
  }
}
