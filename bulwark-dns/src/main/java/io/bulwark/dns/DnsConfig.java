package io.bulwark.dns;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigFields;
import io.bulwark.config.node.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Parses the {@code dns:} section into {@link DnsSettings}. Record-set keys mirror Route 53's
 * {@code ResourceRecordSet} in kebab-case ({@code set-identifier}, {@code failover: PRIMARY},
 * {@code weight}, {@code region}, {@code geo-location}, {@code geo-proximity-location}, {@code
 * multi-value-answer}, {@code alias-target}, {@code health-check}). See docs/dns.md for the schema
 * and a full example.
 */
public final class DnsConfig {
  private static final Set<String> KEYS =
      ordered(
          "listen",
          "zones",
          "allow-transfer",
          "geoip-database",
          "latency-map",
          "udp-payload-size",
          "tcp-idle-timeout");
  private static final Set<String> ZONE_KEYS =
      ordered("name", "zone-file", "soa", "name-servers", "record-sets");
  private static final Set<String> SOA_KEYS =
      ordered("mname", "rname", "serial", "refresh", "retry", "expire", "minimum", "ttl");
  private static final Set<String> SET_KEYS =
      ordered(
          "name",
          "type",
          "ttl",
          "resource-records",
          "alias-target",
          "set-identifier",
          "health-check",
          "failover",
          "weight",
          "region",
          "geo-location",
          "geo-proximity-location",
          "multi-value-answer");
  private static final Set<String> ROUTING_KEYS =
      ordered(
          "failover",
          "weight",
          "region",
          "geo-location",
          "geo-proximity-location",
          "multi-value-answer");
  private static final Set<String> ALIAS_KEYS = ordered("dns-name", "evaluate-target-health");
  private static final Set<String> GEO_KEYS =
      ordered("continent-code", "country-code", "subdivision-code");
  private static final Set<String> PROXIMITY_KEYS = ordered("coordinates", "bias");
  private static final Set<String> COORD_KEYS = ordered("latitude", "longitude");
  private static final Set<String> LATENCY_KEYS = ordered("subnet", "rtt");
  private static final Set<String> CONTINENTS = Set.of("AF", "AN", "AS", "EU", "NA", "OC", "SA");
  private static final List<Integer> TYPES =
      List.of(
          Type.A, Type.AAAA, Type.CNAME, Type.MX, Type.TXT, Type.NS, Type.SRV, Type.CAA, Type.PTR);

  private DnsConfig() {}

  private static Set<String> ordered(String... keys) {
    return new LinkedHashSet<>(List.of(keys));
  }

  /**
   * Parses and validates the section.
   *
   * @param section the {@code dns:} node, or null when absent (then: null, no DNS listener)
   * @param healthCheckIds the ids declared under {@code health-checks}, for {@code health-check}
   * @param baseDir the config file's directory: relative {@code zone-file} and {@code
   *     geoip-database} paths are resolved against it
   * @throws ConfigException listing every problem, each with file, line, key and fix
   */
  public static DnsSettings parse(ConfigNode section, Set<String> healthCheckIds, Path baseDir)
      throws ConfigException {
    if (section == null || section.isNull()) {
      return null;
    }
    ConfigFields f = new ConfigFields();
    if (!f.keys(section, KEYS, "dns")) {
      f.throwIfAny();
    }
    String listen = f.string(section, "listen", "127.0.0.1:8053");
    String host = "127.0.0.1";
    int port = 8053;
    int colon = listen.lastIndexOf(':');
    try {
      if (colon <= 0) {
        throw new NumberFormatException();
      }
      host = listen.substring(0, colon).replace("[", "").replace("]", "");
      port = Integer.parseInt(listen.substring(colon + 1));
      if (port < 0 || port > 65535 || !host.matches("[0-9a-fA-F:.]+")) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      f.add(
          section.get("listen"),
          "listen '" + listen + "' is not ADDRESS:PORT",
          "write e.g. 127.0.0.1:8053, 0.0.0.0:53 or [::1]:53");
    }
    int payload =
        f.integer(section, "udp-payload-size", DnsSettings.DEFAULT_UDP_PAYLOAD, 512, 4096);
    Duration idle = f.duration(section, "tcp-idle-timeout", Duration.ofSeconds(10));
    if (idle.toSeconds() < 1) {
      f.add(
          section.get("tcp-idle-timeout"),
          "tcp-idle-timeout must be at least 1s",
          "write e.g. 10s");
    }
    List<Cidr> acl = new ArrayList<>();
    ConfigNode aclNode = section.get("allow-transfer");
    for (String s : f.strings(section, "allow-transfer")) {
      try {
        acl.add(Cidr.parse(s));
      } catch (IllegalArgumentException e) {
        f.add(
            aclNode,
            "allow-transfer entry '" + s + "': " + e.getMessage(),
            "write an address or prefix, e.g. 192.0.2.0/24");
      }
    }
    Path geoip = null;
    String geoText = f.string(section, "geoip-database", null);
    if (geoText != null) {
      geoip = baseDir.resolve(geoText);
      if (!Files.isReadable(geoip)) {
        f.add(
            section.get("geoip-database"),
            "GeoIP database " + geoip + " cannot be read",
            "point it at a MaxMind .mmdb file (GeoLite2-City gives subdivisions and coordinates)");
      }
    }
    LatencyMap latency = latency(section.get("latency-map"), f);
    List<Zone> zones = new ArrayList<>();
    ConfigNode zonesNode = section.get("zones");
    if (zonesNode == null || !zonesNode.isList() || zonesNode.items().isEmpty()) {
      f.add(
          zonesNode == null ? section : zonesNode,
          "dns needs a list of zones",
          "add 'zones:' with at least one '- name: example.com'");
    } else {
      Map<Name, ConfigNode> seen = new HashMap<>();
      for (ConfigNode z : zonesNode.items()) {
        Zone zone = zone(z, f, healthCheckIds, baseDir);
        if (zone != null) {
          ConfigNode first = seen.putIfAbsent(zone.origin(), z);
          if (first != null) {
            f.add(
                z,
                "zone " + zone.origin() + " is declared twice (first at line " + first.line() + ")",
                "merge the two");
          } else {
            zones.add(zone);
          }
        }
      }
    }
    f.throwIfAny();
    return new DnsSettings(host, port, zones, acl, latency, geoip, payload, (int) idle.toSeconds());
  }

  private static LatencyMap latency(ConfigNode node, ConfigFields f) {
    if (node == null || node.isNull()) {
      return LatencyMap.EMPTY;
    }
    if (!node.isList()) {
      f.add(
          node,
          "latency-map must be a list",
          "write '- subnet: 10.0.0.0/8' entries with an rtt map");
      return LatencyMap.EMPTY;
    }
    List<LatencyMap.Entry> entries = new ArrayList<>();
    for (ConfigNode e : node.items()) {
      if (!f.keys(e, LATENCY_KEYS, "a latency-map entry")) {
        continue;
      }
      String subnet = f.required(e, "subnet", "add the client subnet, e.g. 'subnet: 10.0.0.0/8'");
      ConfigNode rtt = e.get("rtt");
      Map<String, Integer> rtts = new LinkedHashMap<>();
      if (rtt == null || !rtt.isMap() || rtt.keys().isEmpty()) {
        f.add(
            rtt == null ? e : rtt,
            "a latency-map entry needs an rtt map",
            "write 'rtt: {us-east-1: 20, eu-west-1: 90}' (milliseconds)");
      } else {
        for (String region : rtt.keys()) {
          rtts.put(region, f.integer(rtt, region, 0, 0, 100_000));
        }
      }
      try {
        if (subnet != null) {
          entries.add(new LatencyMap.Entry(Cidr.parse(subnet), rtts));
        }
      } catch (IllegalArgumentException ex) {
        f.add(
            e.get("subnet"),
            "subnet '" + subnet + "': " + ex.getMessage(),
            "write e.g. 10.0.0.0/8 or 2001:db8::/32");
      }
    }
    return new LatencyMap(entries);
  }

  private static Zone zone(ConfigNode z, ConfigFields f, Set<String> checks, Path baseDir) {
    if (!f.keys(z, ZONE_KEYS, "a zone")) {
      return null;
    }
    int before = f.problems().size();
    String nameText = f.required(z, "name", "add the zone's name, e.g. 'name: example.com'");
    if (nameText == null) {
      return null;
    }
    Name origin;
    try {
      origin = Name.fromString(nameText.endsWith(".") ? nameText : nameText + ".");
    } catch (TextParseException e) {
      f.add(
          z.get("name"),
          "zone name '" + nameText + "' is not a domain name",
          "write e.g. example.com");
      return null;
    }
    List<RecordSet> sets = new ArrayList<>();
    String file = f.string(z, "zone-file", null);
    boolean hasSoa = false;
    boolean hasNs = false;
    if (file != null) {
      Path p = baseDir.resolve(file);
      if (!Files.isReadable(p)) {
        f.add(
            z.get("zone-file"),
            "zone file " + p + " does not exist or cannot be read",
            "fix the path; it is relative to the config file's directory");
      } else
        try {
          List<Record> records = Zone.readZoneFile(p, origin);
          for (RecordSet s : Zone.simpleSets(records)) {
            hasSoa |= s.type() == Type.SOA && s.name().equals(origin);
            hasNs |= s.type() == Type.NS && s.name().equals(origin);
            sets.add(s);
          }
        } catch (IOException | RuntimeException e) {
          f.add(
              z.get("zone-file"),
              "zone file " + p + " cannot be read: " + e.getMessage(),
              "fix the file (RFC 1035 syntax; $INCLUDE is not allowed) or the path, which is relative to the config file");
        }
    }
    if (z.has("soa")) {
      if (hasSoa) {
        f.add(
            z.get("soa"), "the zone file already has an SOA", "remove soa: here or from the file");
      }
      sets.add(soa(z.get("soa"), origin, f));
      hasSoa = true;
    }
    List<String> ns = f.strings(z, "name-servers");
    if (!ns.isEmpty()) {
      List<Record> nsRecords = new ArrayList<>();
      for (String n : ns) {
        Record r = parseRecord(z.get("name-servers"), origin, Type.NS, 172800, n, origin, f);
        if (r != null) {
          nsRecords.add(r);
        }
      }
      if (!nsRecords.isEmpty()) {
        sets.add(RecordSet.simple(nsRecords));
        hasNs = true;
      }
    }
    if (!hasNs) {
      f.add(
          z,
          "zone " + origin + " has no name servers",
          "add 'name-servers: [ns1." + origin + "]' (or NS records at the apex of its zone file)");
    }
    if (!hasSoa) {
      Name mname = ns.isEmpty() ? origin : parseName(ns.get(0), origin);
      Record soa =
          parseRecord(
              z,
              origin,
              Type.SOA,
              900,
              (mname == null ? origin : mname)
                  + " hostmaster."
                  + origin
                  + " 1 7200 900 1209600 86400",
              origin,
              f);
      if (soa != null) {
        sets.add(RecordSet.simple(List.of(soa)));
      }
    }
    ConfigNode rs = z.get("record-sets");
    Map<RecordSet, ConfigNode> where = new java.util.IdentityHashMap<>();
    if (rs != null && !rs.isNull()) {
      if (!rs.isList()) {
        f.add(
            rs,
            "record-sets must be a list",
            "write each record set as '- name: www' with its keys");
      } else {
        for (ConfigNode item : rs.items()) {
          RecordSet s = recordSet(item, origin, f, checks);
          if (s != null) {
            sets.add(s);
            where.put(s, item);
          }
        }
      }
    }
    if (f.problems().size() > before) {
      return null;
    }
    List<Zone.Problem> problems = Zone.validate(origin, sets);
    for (Zone.Problem p : problems) {
      ConfigNode at = p.set() != null && where.containsKey(p.set()) ? where.get(p.set()) : z;
      String what =
          p.set() != null && !where.containsKey(p.set()) ? p.set() + " (from the zone file): " : "";
      f.add(at, what + p.message(), "fix the record sets of zone " + origin);
    }
    return problems.isEmpty() ? Zone.of(origin, sets) : null;
  }

  private static RecordSet soa(ConfigNode n, Name origin, ConfigFields f) {
    f.keys(n, SOA_KEYS, "soa");
    String mname = f.string(n, "mname", "ns1." + origin);
    String rname = f.string(n, "rname", "hostmaster." + origin);
    long serial = f.integer(n, "serial", 1, 0, Integer.MAX_VALUE);
    int refresh = f.integer(n, "refresh", 7200, 0, Integer.MAX_VALUE);
    int retry = f.integer(n, "retry", 900, 0, Integer.MAX_VALUE);
    int expire = f.integer(n, "expire", 1209600, 0, Integer.MAX_VALUE);
    int minimum = f.integer(n, "minimum", 86400, 0, Integer.MAX_VALUE);
    int ttl = f.integer(n, "ttl", 900, 0, Integer.MAX_VALUE);
    Record r =
        parseRecord(
            n,
            origin,
            Type.SOA,
            ttl,
            mname + " " + rname + " " + serial + " " + refresh + " " + retry + " " + expire + " "
                + minimum,
            origin,
            f);
    return r == null ? null : RecordSet.simple(List.of(r));
  }

  private static RecordSet recordSet(
      ConfigNode item, Name origin, ConfigFields f, Set<String> checks) {
    if (!f.keys(item, SET_KEYS, "a record set")) {
      return null;
    }
    int before = f.problems().size();
    String nameText =
        f.required(
            item,
            "name",
            "add the record's name: '@' for the zone apex, 'www' or a full name ending in '.'");
    String typeText =
        f.required(item, "type", "add the type: A, AAAA, CNAME, MX, TXT, NS, SRV, CAA or PTR");
    if (nameText == null || typeText == null) {
      return null;
    }
    Name name = nameText.equals("@") ? origin : parseName(nameText, origin);
    if (name == null) {
      f.add(
          item.get("name"),
          "'" + nameText + "' is not a domain name",
          "write '@', a label such as 'www', or a full name ending in '.'");
      return null;
    }
    if (!name.subdomain(origin)) {
      f.add(
          item.get("name"),
          name + " is not inside zone " + origin,
          "write a name relative to the zone, or a full name ending in ." + origin);
      return null;
    }
    int type = Type.value(typeText.trim().toUpperCase(Locale.ROOT));
    if (!TYPES.contains(type)) {
      f.add(
          item.get("type"),
          "record type '" + typeText + "' is not served here",
          "use A, AAAA, CNAME, MX, TXT, NS, SRV, CAA or PTR (SOA goes under soa:)");
      return null;
    }
    String setId = f.string(item, "set-identifier", null);
    String check = f.string(item, "health-check", null);
    if (check != null && !checks.contains(check)) {
      String near = ConfigFields.closest(check, checks);
      f.add(
          item.get("health-check"),
          "health check '" + check + "' is not declared",
          near != null
              ? "did you mean '" + near + "'?"
              : "declare it under health-checks (with an id) or remove it");
    }
    Routing routing = routing(item, f);
    if (routing == null) {
      return null;
    }
    boolean simple = routing instanceof Routing.Simple;
    if (simple && setId != null) {
      f.add(
          item.get("set-identifier"),
          "set-identifier needs a routing policy",
          "add failover, weight, region, geo-location, geo-proximity-location or multi-value-answer, or remove set-identifier");
    }
    if (!simple && setId == null) {
      f.add(
          item,
          "a " + routing.kind() + " record set needs a set-identifier",
          "add e.g. 'set-identifier: primary' (unique among the sets of this name and type)");
    }
    if (simple && check != null) {
      f.add(
          item.get("health-check"),
          "a simple record set cannot have a health check",
          "give it a routing policy (e.g. failover) or remove health-check");
    }
    ConfigNode aliasNode = item.get("alias-target");
    boolean hasRecords = item.has("resource-records");
    AliasTarget alias = null;
    if (aliasNode != null && hasRecords) {
      f.add(
          item,
          "a record set has either resource-records or alias-target, not both",
          "remove one of them");
      return null;
    }
    if (aliasNode != null) {
      if (!f.keys(aliasNode, ALIAS_KEYS, "alias-target")) {
        return null;
      }
      if (item.has("ttl")) {
        f.add(item.get("ttl"), "an alias record takes its TTL from its target", "remove ttl");
      }
      String target =
          f.required(
              aliasNode,
              "dns-name",
              "name the record set the alias points at, e.g. 'dns-name: www'");
      Name t = target == null ? null : parseName(target, origin);
      if (target != null && t == null) {
        f.add(
            aliasNode.get("dns-name"),
            "'" + target + "' is not a domain name",
            "write a name in this zone");
      }
      alias =
          t == null ? null : new AliasTarget(t, f.bool(aliasNode, "evaluate-target-health", false));
    } else if (!hasRecords) {
      f.add(
          item,
          "record set " + nameText + " " + typeText + " has no resource-records",
          "add 'resource-records: [VALUE, ...]' or an alias-target");
    }
    if (routing instanceof Routing.Failover fo
        && fo.role() == Routing.Role.PRIMARY
        && check == null
        && (alias == null || !alias.evaluateTargetHealth())) {
      f.add(
          item,
          "a PRIMARY failover record set needs a health check",
          "add 'health-check: ID' (seed 002 §1: only the primary needs one), or evaluate-target-health on its alias");
    }
    long ttl = f.integer(item, "ttl", 300, 0, Integer.MAX_VALUE);
    List<Record> records = new ArrayList<>();
    if (hasRecords) {
      ConfigNode rr = item.get("resource-records");
      for (String v : f.strings(item, "resource-records")) {
        Record r = parseRecord(rr, name, type, ttl, v, origin, f);
        if (r != null) {
          records.add(r);
        }
      }
      if (type == Type.CNAME && records.size() > 1) {
        f.add(rr, "a CNAME record set has exactly one value", "keep one target");
      }
      if (records.isEmpty() && f.problems().size() == before) {
        f.add(rr, "resource-records is empty", "list at least one value");
      }
    }
    if (f.problems().size() > before || (alias == null && records.isEmpty())) {
      return null;
    }
    return new RecordSet(name, type, ttl, setId, routing, check, records, alias);
  }

  private static Routing routing(ConfigNode item, ConfigFields f) {
    List<String> present = new ArrayList<>();
    for (String k : ROUTING_KEYS) {
      if (item.has(k)) {
        present.add(k);
      }
    }
    if (present.size() > 1) {
      f.add(
          item.get(present.get(1)),
          "a record set has one routing policy, found " + String.join(" and ", present),
          "keep one; use separate record sets (and a calculated health check) to combine them");
      return null;
    }
    if (present.isEmpty()) {
      return new Routing.Simple();
    }
    String key = present.get(0);
    ConfigNode n = item.get(key);
    switch (key) {
      case "failover":
        {
          String v = f.string(item, key, "");
          try {
            return new Routing.Failover(Routing.Role.valueOf(v.trim().toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            f.add(
                n,
                "failover must be PRIMARY or SECONDARY, got '" + v + "'",
                "write 'failover: PRIMARY' or 'failover: SECONDARY'");
            return null;
          }
        }
      case "weight":
        return new Routing.Weighted(f.integer(item, key, 0, 0, 255));
      case "region":
        {
          String r = f.string(item, key, null);
          if (r == null || r.isBlank()) {
            f.add(
                n,
                "region is empty",
                "name the region this set serves, as used in latency-map, e.g. us-east-1");
            return null;
          }
          return new Routing.Latency(r.trim());
        }
      case "multi-value-answer":
        if (!f.bool(item, key, false)) {
          f.add(
              n,
              "multi-value-answer: false is not a routing policy",
              "remove it for a simple record set");
          return null;
        }
        return new Routing.MultiValue();
      case "geo-location":
        {
          if (!f.keys(n, GEO_KEYS, "geo-location")) {
            return null;
          }
          String continent = f.string(n, "continent-code", null);
          String country = f.string(n, "country-code", null);
          String sub = f.string(n, "subdivision-code", null);
          if ("*".equals(country) && continent == null && sub == null) {
            return new Routing.Geolocation(null, null, null);
          }
          if (continent != null && (country != null || sub != null)) {
            f.add(
                n,
                "geo-location has either a continent-code or a country-code",
                "use one (Route 53 does not combine them)");
            return null;
          }
          if (continent == null && country == null) {
            f.add(
                n,
                "geo-location needs continent-code, country-code, or country-code: '*' for the default",
                "add one of them");
            return null;
          }
          if (continent != null && !CONTINENTS.contains(continent.toUpperCase(Locale.ROOT))) {
            f.add(
                n.get("continent-code"),
                "unknown continent-code '" + continent + "'",
                "use AF, AN, AS, EU, NA, OC or SA");
            return null;
          }
          if (country != null && !country.matches("[A-Za-z]{2}")) {
            f.add(
                n.get("country-code"),
                "country-code '" + country + "' is not an ISO 3166-1 alpha-2 code",
                "write e.g. US, GB, DE, or '*' for the default");
            return null;
          }
          if (sub != null && country == null) {
            f.add(n, "subdivision-code needs a country-code", "add e.g. 'country-code: US'");
            return null;
          }
          return new Routing.Geolocation(continent, country, sub);
        }
      case "geo-proximity-location":
        {
          if (!f.keys(n, PROXIMITY_KEYS, "geo-proximity-location")) {
            return null;
          }
          ConfigNode c = n.get("coordinates");
          if (c == null || !f.keys(c, COORD_KEYS, "coordinates")) {
            f.add(
                n,
                "geo-proximity-location needs coordinates",
                "add 'coordinates: {latitude: 51.5, longitude: -0.12}'");
            return null;
          }
          if (!c.has("latitude") || !c.has("longitude")) {
            f.add(c, "coordinates need latitude and longitude", "add both, in decimal degrees");
            return null;
          }
          double lat = f.decimal(c, "latitude", 0, -90, 90);
          double lon = f.decimal(c, "longitude", 0, -180, 180);
          int bias = f.integer(n, "bias", 0, -99, 99);
          return new Routing.Geoproximity(lat, lon, bias);
        }
      default:
        throw new IllegalStateException(key);
    }
  }

  private static Name parseName(String text, Name origin) {
    try {
      return Name.fromString(text.trim(), origin);
    } catch (TextParseException e) {
      return null;
    }
  }

  private static Record parseRecord(
      ConfigNode at, Name name, int type, long ttl, String value, Name origin, ConfigFields f) {
    try {
      return Record.fromString(name, type, DClass.IN, ttl, value, origin);
    } catch (IOException | RuntimeException e) {
      f.add(
          at,
          "'" + value + "' is not a valid " + Type.string(type) + " value: " + e.getMessage(),
          example(type));
      return null;
    }
  }

  private static String example(int type) {
    return switch (type) {
      case Type.A -> "write an IPv4 address, e.g. 192.0.2.10";
      case Type.AAAA -> "write an IPv6 address, e.g. 2001:db8::10";
      case Type.MX -> "write 'PREFERENCE HOST', e.g. '10 mail'";
      case Type.SRV -> "write 'PRIORITY WEIGHT PORT TARGET', e.g. '10 60 5060 sip'";
      case Type.CAA -> "write 'FLAGS TAG \"VALUE\"', e.g. '0 issue \"letsencrypt.org\"'";
      case Type.TXT -> "quote the text, e.g. '\"v=spf1 -all\"'";
      default -> "write it as in a zone file; relative names are relative to the zone";
    };
  }
}
