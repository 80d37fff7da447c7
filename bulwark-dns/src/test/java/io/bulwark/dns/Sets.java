package io.bulwark.dns;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Builds record sets and zones for tests. */
final class Sets {
  private Sets() {}

  static Name name(String s) {
    try {
      return Name.fromString(s, Name.root);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Record record(String owner, int type, long ttl, String rdata) {
    try {
      return Record.fromString(name(owner), type, DClass.IN, ttl, rdata, Name.root);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static RecordSet a(String owner, String id, Routing routing, String check, String... ips) {
    List<Record> rs = new ArrayList<>();
    for (String ip : ips) {
      rs.add(record(owner, ip.contains(":") ? Type.AAAA : Type.A, 60, ip));
    }
    return new RecordSet(name(owner), rs.get(0).getType(), 60, id, routing, check, rs, null);
  }

  static RecordSet alias(
      String owner,
      int type,
      String id,
      Routing routing,
      String check,
      String target,
      boolean eth) {
    return new RecordSet(
        name(owner), type, 60, id, routing, check, List.of(), new AliasTarget(name(target), eth));
  }

  /** A zone with an SOA and NS at the apex plus the given sets. */
  static Zone zone(String origin, RecordSet... sets) {
    List<RecordSet> all = new ArrayList<>();
    all.add(
        RecordSet.simple(
            List.of(
                record(
                    origin,
                    Type.SOA,
                    300,
                    "ns1." + origin + " hostmaster." + origin + " 1 7200 900 1209600 30"))));
    all.add(RecordSet.simple(List.of(record(origin, Type.NS, 300, "ns1." + origin))));
    all.addAll(Arrays.asList(sets));
    return Zone.of(name(origin), all);
  }
}
