package io.bulwark.dns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One authoritative zone, validated and indexed for lookup. Immutable. Names compare
 * case-insensitively (dnsjava's {@link Name} equality), so {@code WWW.Example.TEST} finds {@code
 * www.example.test}.
 */
public final class Zone {
  private final Name origin;
  private final SOARecord soa;
  private final SOARecord negativeSoa;
  private final List<RecordSet> sets;
  private final Map<Name, Map<Integer, List<RecordSet>>> nodes;
  private final Set<Name> existing;
  private final Set<Name> delegations;

  private Zone(
      Name origin,
      SOARecord soa,
      List<RecordSet> sets,
      Map<Name, Map<Integer, List<RecordSet>>> nodes) {
    this.origin = origin;
    this.soa = soa;
    // RFC 2308 §5: the negative-caching TTL is the lesser of the SOA's TTL and its MINIMUM.
    this.negativeSoa =
        new SOARecord(
            soa.getName(),
            DClass.IN,
            Math.min(soa.getTTL(), soa.getMinimum()),
            soa.getHost(),
            soa.getAdmin(),
            soa.getSerial(),
            soa.getRefresh(),
            soa.getRetry(),
            soa.getExpire(),
            soa.getMinimum());
    this.sets = List.copyOf(sets);
    this.nodes = nodes;
    Set<Name> ex = new HashSet<>();
    Set<Name> del = new HashSet<>();
    for (Name n : nodes.keySet()) {
      for (int skip = 0; skip <= n.labels() - origin.labels(); skip++) {
        ex.add(new Name(n, skip));
      }
      if (!n.equals(origin) && nodes.get(n).containsKey(Type.NS)) {
        del.add(n);
      }
    }
    this.existing = Collections.unmodifiableSet(ex);
    this.delegations = Collections.unmodifiableSet(del);
  }

  /**
   * Validates and indexes the record sets of a zone.
   *
   * @throws IllegalArgumentException listing every problem, one per line
   */
  public static Zone of(Name origin, List<RecordSet> sets) {
    List<Problem> found = validate(origin, sets);
    if (!found.isEmpty()) {
      List<String> lines = new ArrayList<>();
      for (Problem p : found) {
        lines.add(p.set() == null ? p.message() : p.set() + ": " + p.message());
      }
      throw new IllegalArgumentException(String.join("\n", lines));
    }
    return build(origin, sets);
  }

  /** A validation problem, attached to the record set it is about (null: the whole zone). */
  public record Problem(RecordSet set, String message) {}

  /** Every problem with a zone's record sets; empty when {@link #of} would accept them. */
  public static List<Problem> validate(Name origin, List<RecordSet> sets) {
    List<Problem> problems = new ArrayList<>();
    if (!origin.isAbsolute()) {
      throw new IllegalArgumentException("zone name " + origin + " must be absolute");
    }
    Map<Name, Map<Integer, List<RecordSet>>> nodes = new LinkedHashMap<>();
    for (RecordSet s : sets) {
      if (!s.name().subdomain(origin)) {
        problems.add(new Problem(s, "name is not inside zone " + origin));
        continue;
      }
      nodes
          .computeIfAbsent(s.name(), k -> new LinkedHashMap<>())
          .computeIfAbsent(s.type(), k -> new ArrayList<>())
          .add(s);
    }
    Map<Integer, List<RecordSet>> apex = nodes.get(origin);
    if (apex == null || !apex.containsKey(Type.SOA)) {
      problems.add(new Problem(null, "zone " + origin + " has no SOA record at its apex"));
    } else if (apex.get(Type.SOA).size() != 1 || apex.get(Type.SOA).get(0).records().size() != 1) {
      problems.add(new Problem(null, "zone " + origin + " must have exactly one SOA record"));
    }
    if (apex == null || !apex.containsKey(Type.NS)) {
      problems.add(new Problem(null, "zone " + origin + " has no NS records at its apex"));
    }
    for (var node : nodes.entrySet()) {
      Name name = node.getKey();
      Map<Integer, List<RecordSet>> types = node.getValue();
      if (types.containsKey(Type.CNAME)) {
        if (name.equals(origin)) {
          problems.add(
              new Problem(
                  types.get(Type.CNAME).get(0),
                  "a CNAME cannot be at the zone apex (use an alias record)"));
        } else if (types.size() > 1) {
          problems.add(
              new Problem(
                  types.get(Type.CNAME).get(0),
                  "a CNAME cannot share its name with other record types"));
        }
      }
      for (var group : types.values()) {
        checkGroup(origin, nodes, group, problems);
      }
    }
    checkAliasCycles(nodes, problems);
    return problems;
  }

  /** Aliases pointing (through other aliases) back at themselves never resolve: refuse them. */
  private static void checkAliasCycles(
      Map<Name, Map<Integer, List<RecordSet>>> nodes, List<Problem> problems) {
    Map<List<RecordSet>, Integer> state = new java.util.IdentityHashMap<>();
    for (var types : nodes.values()) {
      for (var group : types.values()) {
        RecordSet cycle = findCycle(nodes, group, state);
        if (cycle != null) {
          problems.add(
              new Problem(cycle, "alias targets form a loop through " + cycle.alias().name()));
          return;
        }
      }
    }
  }

  private static RecordSet findCycle(
      Map<Name, Map<Integer, List<RecordSet>>> nodes,
      List<RecordSet> group,
      Map<List<RecordSet>, Integer> state) {
    Integer st = state.get(group);
    if (st != null) {
      return null; // 1 (on the path) is reported by the caller that found it; 2 is done
    }
    state.put(group, 1);
    for (RecordSet s : group) {
      if (!s.isAlias()) {
        continue;
      }
      Map<Integer, List<RecordSet>> t = nodes.get(s.alias().name());
      List<RecordSet> next = t == null ? null : t.get(s.type());
      if (next == null) {
        continue;
      }
      if (Integer.valueOf(1).equals(state.get(next))) {
        return s;
      }
      RecordSet found = findCycle(nodes, next, state);
      if (found != null) {
        return found;
      }
    }
    state.put(group, 2);
    return null;
  }

  private static Zone build(Name origin, List<RecordSet> sets) {
    Map<Name, Map<Integer, List<RecordSet>>> nodes = new LinkedHashMap<>();
    for (RecordSet s : sets) {
      nodes
          .computeIfAbsent(s.name(), k -> new LinkedHashMap<>())
          .computeIfAbsent(s.type(), k -> new ArrayList<>())
          .add(s);
    }
    SOARecord soa = (SOARecord) nodes.get(origin).get(Type.SOA).get(0).records().get(0);
    return new Zone(origin, soa, sets, Collections.unmodifiableMap(nodes));
  }

  private static void checkGroup(
      Name origin,
      Map<Name, Map<Integer, List<RecordSet>>> nodes,
      List<RecordSet> group,
      List<Problem> problems) {
    RecordSet first = group.get(0);
    String kind = first.routing().kind();
    Set<String> ids = new HashSet<>();
    Set<Object> keys = new HashSet<>();
    for (RecordSet s : group) {
      if (!s.routing().kind().equals(kind)) {
        problems.add(
            new Problem(
                s,
                "all record sets of one name and type need the same routing policy, found "
                    + kind
                    + " and "
                    + s.routing().kind()));
        continue;
      }
      if (s.routing() instanceof Routing.Simple) {
        if (group.size() > 1) {
          problems.add(
              new Problem(
                  s,
                  "a simple record set must be the only one of its name and type; list every value in it"));
          return;
        }
      } else if (s.setIdentifier() == null) {
        problems.add(new Problem(s, "a " + kind + " record set needs a set-identifier"));
      } else if (!ids.add(s.setIdentifier())) {
        problems.add(new Problem(s, "set-identifier " + s.setIdentifier() + " is used twice"));
      }
      Object key =
          s.routing() instanceof Routing.Failover f
              ? f.role()
              : s.routing() instanceof Routing.Geolocation g ? g : null;
      if (key != null && !keys.add(key)) {
        problems.add(new Problem(s, "two " + kind + " record sets for " + key));
      }
      if (s.isAlias()) {
        Name target = s.alias().name();
        if (!target.subdomain(origin)) {
          problems.add(new Problem(s, "alias target " + target + " is not in zone " + origin));
        } else if (target.equals(s.name())) {
          problems.add(new Problem(s, "an alias cannot point at itself"));
        } else if (!nodes.containsKey(target) || !nodes.get(target).containsKey(s.type())) {
          problems.add(
              new Problem(
                  s,
                  "alias target " + target + " has no " + Type.string(s.type()) + " record set"));
        }
      }
    }
  }

  /** Reads an RFC 1035 zone file; relative names are relative to {@code origin}. */
  public static List<Record> readZoneFile(Path file, Name origin) throws IOException {
    List<Record> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file);
        Master master = new Master(in, origin, 3600)) {
      master.disableIncludes();
      Record r;
      while ((r = master.nextRecord()) != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** Groups plain records into simple record sets by name and type, in first-seen order. */
  public static List<RecordSet> simpleSets(List<Record> records) {
    Map<Name, Map<Integer, List<Record>>> grouped = new LinkedHashMap<>();
    for (Record r : records) {
      grouped
          .computeIfAbsent(r.getName(), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.getType(), k -> new ArrayList<>())
          .add(r);
    }
    List<RecordSet> out = new ArrayList<>();
    grouped.values().forEach(types -> types.values().forEach(rs -> out.add(RecordSet.simple(rs))));
    return out;
  }

  public Name origin() {
    return origin;
  }

  public SOARecord soa() {
    return soa;
  }

  /** The SOA to put in the authority section of negative answers (RFC 2308 TTL). */
  public SOARecord negativeSoa() {
    return negativeSoa;
  }

  public List<RecordSet> sets() {
    return sets;
  }

  /** The record sets at a name by type, in config order, or null when the name owns none. */
  public Map<Integer, List<RecordSet>> node(Name name) {
    return nodes.get(name);
  }

  public List<RecordSet> sets(Name name, int type) {
    Map<Integer, List<RecordSet>> n = nodes.get(name);
    List<RecordSet> s = n == null ? null : n.get(type);
    return s == null ? List.of() : s;
  }

  /** Whether the name exists: it owns record sets or has descendants (an empty non-terminal). */
  public boolean exists(Name name) {
    return existing.contains(name);
  }

  /** The delegation point (NS below the apex) at or above {@code name}, or null. */
  public Name delegation(Name name) {
    if (delegations.isEmpty()) {
      return null;
    }
    for (int skip = name.labels() - origin.labels() - 1; skip >= 0; skip--) {
      Name n = new Name(name, skip);
      if (delegations.contains(n)) {
        return n;
      }
    }
    return null;
  }

  static Map<Name, Zone> index(List<Zone> zones) {
    Map<Name, Zone> m = new HashMap<>();
    for (Zone z : zones) {
      if (m.put(z.origin(), z) != null) {
        throw new IllegalArgumentException("zone " + z.origin() + " is defined twice");
      }
    }
    return m;
  }
}
