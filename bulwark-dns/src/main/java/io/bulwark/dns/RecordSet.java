package io.bulwark.dns;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One record set: a name, a type, and either its values ({@code records}) or an {@link
 * AliasTarget}, with a routing policy, a set identifier (for every policy but simple) and an
 * optional health check (by id in the health graph).
 */
public record RecordSet(
    Name name,
    int type,
    long ttl,
    String setIdentifier,
    Routing routing,
    String healthCheck,
    List<Record> records,
    AliasTarget alias) {

  public RecordSet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(routing, "routing");
    records = List.copyOf(records);
    if ((alias == null) == records.isEmpty()) {
      throw new IllegalArgumentException(
          "record set " + name + " " + Type.string(type) + " needs values or an alias, not both");
    }
  }

  public static RecordSet simple(List<Record> records) {
    Record first = records.get(0);
    return new RecordSet(
        first.getName(),
        first.getType(),
        first.getTTL(),
        null,
        new Routing.Simple(),
        null,
        records,
        null);
  }

  public boolean isAlias() {
    return alias != null;
  }

  @Override
  public String toString() {
    return name
        + " "
        + Type.string(type)
        + (setIdentifier != null ? " [" + setIdentifier + "]" : "")
        + " "
        + routing.kind();
  }
}
