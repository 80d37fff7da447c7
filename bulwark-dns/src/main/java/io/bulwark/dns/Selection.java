package io.bulwark.dns;

import java.util.List;

/**
 * The record sets chosen for one name and type.
 *
 * @param sets the chosen sets, in answer order (empty: no data)
 * @param scopePrefix how much of the client's address the choice depended on, for the ECS scope (0
 *     when it did not depend on the client at all)
 */
public record Selection(List<RecordSet> sets, int scopePrefix) {
  public static final Selection NONE = new Selection(List.of(), 0);

  public Selection {
    sets = List.copyOf(sets);
  }

  static Selection of(RecordSet set) {
    return new Selection(List.of(set), 0);
  }
}
