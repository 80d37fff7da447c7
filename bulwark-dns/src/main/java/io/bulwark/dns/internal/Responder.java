package io.bulwark.dns.internal;

import io.bulwark.dns.AnswerSelector;
import io.bulwark.dns.Cidr;
import io.bulwark.dns.ClientLocation;
import io.bulwark.dns.GeoLocator;
import io.bulwark.dns.HealthView;
import io.bulwark.dns.LatencyMap;
import io.bulwark.dns.RecordSet;
import io.bulwark.dns.Routing;
import io.bulwark.dns.Selection;
import io.bulwark.dns.Zone;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One authoritative answer: query bytes in, response bytes out. Everything a packet can contain
 * ends in an answer, a FORMERR or silence, never an exception out of {@link #respond}.
 *
 * <p>The order of decisions, as in NSD and Knot:
 *
 * <ol>
 *   <li>Shorter than a header, or QR set (a response: answering it could loop): drop.
 *   <li>Unparsable: FORMERR echoing the ID, no question.
 *   <li>Opcode other than QUERY: NOTIMP. Not exactly one question, or several OPT records: FORMERR.
 *       EDNS version above 0: BADVERS (RFC 6891 §6.1.3).
 *   <li>Class other than IN: REFUSED. AXFR/IXFR: only over TCP from an address in the transfer ACL,
 *       else REFUSED.
 *   <li>No served zone encloses the name: REFUSED, without AA.
 *   <li>Under a delegation: a referral (NS in authority, in-zone glue), AA clear.
 *   <li>The name (or the wildcard at its closest encloser, RFC 4592) owns the type: the record sets
 *       chosen by {@link AnswerSelector}; aliases resolved in the zone; it owns a CNAME: the CNAME,
 *       then the chain followed inside the zone (at most 8 steps, loops stopped).
 *   <li>Else NODATA (the name exists) or NXDOMAIN, with the SOA in authority at the RFC 2308
 *       negative TTL.
 *   <li>ANY gets one RRset of the name (RFC 8482 §4.2), never all of them.
 *   <li>RA is never set (no recursion). Over UDP the response is cut to the client's EDNS0 size (at
 *       most the configured size; 512 without EDNS0): if it does not fit, only the header, question
 *       and OPT go back, with TC set, and the client retries over TCP.
 *   <li>EDNS Client Subnet: the location comes from the option when its source prefix is not 0; the
 *       reply echoes it with scope 0 when the answer did not depend on the client, else the prefix
 *       the choice held for (the GeoIP network, the latency subnet), capped at the source prefix
 *       (RFC 7871 §7.2.1).
 * </ol>
 */
public final class Responder {
  private static final System.Logger LOG = System.getLogger(Responder.class.getName());
  private static final int MAX_CHAIN = 8;
  private static final int MAX_WORK = 64;
  private static final int AXFR_RECORDS_PER_MESSAGE = 100;

  /** The longest answer {@link #cachedUdpAnswer} writes. */
  public static final int MAX_CACHED_ANSWER = AnswerCache.MAX_RESPONSE;

  /** The longest query {@link #cachedUdpAnswer} can answer. */
  public static final int MAX_CACHED_QUERY = AnswerCache.MAX_PLAIN_QUERY;

  private final Map<Name, Zone> zones;
  private final HealthView health;
  private final GeoLocator geo;
  private final LatencyMap latency;
  private final List<Cidr> transferAcl;
  private final int maxUdp;
  private final Supplier<RandomGenerator> random;
  private final AnswerCache cache = new AnswerCache();

  public Responder(
      List<Zone> zones,
      HealthView health,
      GeoLocator geo,
      LatencyMap latency,
      List<Cidr> transferAcl,
      int maxUdp,
      Supplier<RandomGenerator> random) {
    Map<Name, Zone> m = new HashMap<>();
    for (Zone z : zones) {
      m.put(z.origin(), z);
    }
    this.zones = m;
    this.health = health;
    this.geo = geo;
    this.latency = latency;
    this.transferAcl = List.copyOf(transferAcl);
    this.maxUdp = maxUdp;
    this.random = random;
  }

  /**
   * Answers one query.
   *
   * @return the response messages (several only for a zone transfer); empty to drop the packet
   */
  public List<byte[]> respond(byte[] wire, InetAddress client, boolean tcp) {
    if (wire.length < Header.LENGTH || (wire[2] & 0x80) != 0) {
      return List.of();
    }
    long shape = tcp ? -1 : AnswerCache.shape(wire, wire.length);
    if (shape >= 0) {
      byte[] hit = cache.get(wire, shape);
      if (hit != null) {
        return List.of(hit);
      }
    }
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException | RuntimeException e) {
      return List.of(bareError(wire, Rcode.FORMERR));
    }
    try {
      boolean[] cacheable = {shape >= 0};
      List<byte[]> out = answer(query, client, tcp, cacheable);
      if (cacheable[0] && out.size() == 1) {
        cache.put(wire, shape, out.get(0));
      }
      return out;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "internal error answering " + query.getQuestion(), e);
      return List.of(bareError(wire, Rcode.SERVFAIL));
    }
  }

  /**
   * The UDP fast path: the answer to the query in {@code query[0, length)} straight from the answer
   * cache, written into {@code out} (at least {@link #MAX_CACHED_ANSWER} bytes); returns its
   * length, or -1 when the query is not a plain one or its answer is not cached, and the caller
   * must then use {@link #respond}. Byte for byte what {@link #respond} would send over UDP.
   */
  public int cachedUdpAnswer(byte[] query, int length, byte[] out) {
    if (length < Header.LENGTH || (query[2] & 0x80) != 0) {
      return -1;
    }
    long shape = AnswerCache.shape(query, length);
    AnswerCache.Entry e = shape < 0 ? null : cache.find(query, shape);
    if (e == null) {
      return -1;
    }
    AnswerCache.adapt(e, query, out);
    return e.length();
  }

  /** Answers kept by the zone-only answer cache (for tests and metrics). */
  public int cachedAnswers() {
    return cache.size();
  }

  /** A header-only error response, built from raw bytes so it works for any input. */
  static byte[] bareError(byte[] query, int rcode) {
    byte[] out = new byte[Header.LENGTH];
    out[0] = query[0];
    out[1] = query[1];
    out[2] = (byte) (0x80 | (query[2] & 0x79)); // QR, the query's opcode and RD
    out[3] = (byte) (rcode & 0x0F);
    return out;
  }

  private List<byte[]> answer(Message query, InetAddress client, boolean tcp, boolean[] cacheable) {
    Header qh = query.getHeader();
    Message resp = new Message(qh.getID());
    Header h = resp.getHeader();
    h.setFlag(Flags.QR);
    h.setOpcode(qh.getOpcode());
    if (qh.getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    if (qh.getFlag(Flags.CD)) {
      h.setFlag(Flags.CD);
    }
    if (qh.getOpcode() != Opcode.QUERY) {
      h.setRcode(Rcode.NOTIMP);
      return List.of(resp.toWire());
    }
    List<Record> questions = query.getSection(Section.QUESTION);
    int opts = 0;
    for (Record r : query.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.OPT) {
        opts++;
      }
    }
    if (questions.size() != 1 || opts > 1) {
      h.setRcode(Rcode.FORMERR);
      return List.of(resp.toWire());
    }
    Record q = questions.get(0);
    resp.addRecord(q, Section.QUESTION);

    OPTRecord opt = query.getOPT();
    int limit = tcp ? 65535 : 512;
    ClientSubnetOption ecs = null;
    if (opt != null) {
      if (opt.getVersion() > 0) {
        resp.addRecord(new OPTRecord(maxUdp, Rcode.BADVERS >>> 4, 0, 0), Section.ADDITIONAL);
        return List.of(resp.toWire());
      }
      if (!tcp) {
        limit = Math.max(512, Math.min(opt.getPayloadSize(), maxUdp));
      }
      for (EDNSOption o : opt.getOptions(EDNSOption.Code.CLIENT_SUBNET)) {
        ecs = (ClientSubnetOption) o;
      }
    }

    int qtype = q.getType();
    if (q.getDClass() != DClass.IN && q.getDClass() != DClass.ANY) {
      h.setRcode(Rcode.REFUSED);
    } else if (qtype == Type.AXFR || qtype == Type.IXFR) {
      return transfer(resp, q.getName(), client, tcp);
    } else if (qtype == Type.OPT) {
      h.setRcode(Rcode.FORMERR);
    } else if (qtype == Type.MAILA || qtype == Type.MAILB) {
      h.setRcode(Rcode.NOTIMP);
    } else {
      Zone zone = findZone(q.getName());
      int scope = 0;
      if (zone == null) {
        h.setRcode(Rcode.REFUSED);
      } else {
        h.setFlag(Flags.AA);
        InetAddress where =
            ecs != null && ecs.getSourcePrefixLength() > 0 ? ecs.getAddress() : client;
        Lookup lookup = new Lookup(zone, ClientLocation.of(where, geo, latency), random.get());
        lookup.resolve(resp, q.getName(), qtype);
        scope = lookup.scope;
        cacheable[0] &= lookup.zoneOnly;
      }
      if (opt != null) {
        addOpt(resp, ecs, scope, opt.getFlags());
      }
      return List.of(fit(resp, limit));
    }
    if (opt != null) {
      addOpt(resp, ecs, 0, opt.getFlags());
    }
    return List.of(fit(resp, limit));
  }

  private void addOpt(Message resp, ClientSubnetOption ecs, int scope, int queryFlags) {
    List<EDNSOption> options = List.of();
    if (ecs != null) {
      int source = ecs.getSourcePrefixLength();
      int s = source == 0 ? 0 : Math.min(scope, source);
      options = List.of(new ClientSubnetOption(source, s, ecs.getAddress()));
    }
    // RFC 3225 §3: the DO bit is copied from the query (there are no signatures to send).
    int flags = queryFlags & ExtendedFlags.DO;
    resp.addRecord(new OPTRecord(maxUdp, 0, 0, flags, options), Section.ADDITIONAL);
  }

  private static byte[] fit(Message resp, int limit) {
    byte[] out = resp.toWire();
    if (out.length <= limit) {
      return out;
    }
    OPTRecord opt = resp.getOPT();
    resp.removeAllRecords(Section.ANSWER);
    resp.removeAllRecords(Section.AUTHORITY);
    resp.removeAllRecords(Section.ADDITIONAL);
    if (opt != null) {
      resp.addRecord(opt, Section.ADDITIONAL);
    }
    resp.getHeader().setFlag(Flags.TC);
    return resp.toWire();
  }

  private Zone findZone(Name name) {
    for (int skip = 0; skip < name.labels(); skip++) {
      Zone z = zones.get(skip == 0 ? name : new Name(name, skip));
      if (z != null) {
        return z;
      }
    }
    return null;
  }

  private List<byte[]> transfer(Message resp, Name name, InetAddress client, boolean tcp) {
    Zone zone = zones.get(name);
    boolean allowed = tcp && zone != null && transferAcl.stream().anyMatch(c -> c.contains(client));
    if (!allowed) {
      resp.getHeader().setRcode(Rcode.REFUSED);
      return List.of(resp.toWire());
    }
    resp.getHeader().setFlag(Flags.AA);
    List<Record> all = new ArrayList<>();
    all.add(zone.soa());
    for (RecordSet s : zone.sets()) {
      if (s.type() != Type.SOA) {
        all.addAll(s.records());
      }
    }
    all.add(zone.soa());
    List<byte[]> out = new ArrayList<>();
    Message m = resp;
    int n = 0;
    for (Record r : all) {
      if (n == AXFR_RECORDS_PER_MESSAGE) {
        out.add(m.toWire());
        m = new Message(resp.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        n = 0;
      }
      m.addRecord(r, Section.ANSWER);
      n++;
    }
    out.add(m.toWire());
    return out;
  }

  /** The state of one query's resolution inside one zone. */
  private final class Lookup {
    final Zone zone;
    final ClientLocation client;
    final RandomGenerator rnd;
    int scope;

    /** Whether the answer depended on the zone alone (only simple record sets were consulted). */
    boolean zoneOnly = true;

    int work;
    java.util.Map<List<RecordSet>, Boolean> targetHealth;

    Lookup(Zone zone, ClientLocation client, RandomGenerator rnd) {
      this.zone = zone;
      this.client = client;
      this.rnd = rnd;
    }

    void resolve(Message resp, Name qname, int qtype) {
      Name name = qname;
      List<Name> seen = new ArrayList<>(2);
      for (int hops = 0; ; hops++) {
        Name cut = zone.delegation(name);
        if (cut != null) {
          if (hops == 0) {
            referral(resp, cut);
          }
          break;
        }
        Map<Integer, List<RecordSet>> node = zone.node(name);
        if (node == null && !zone.exists(name)) {
          node = zone.node(wildcardFor(name));
          if (node == null) {
            resp.getHeader().setRcode(Rcode.NXDOMAIN);
            resp.addRecord(zone.negativeSoa(), Section.AUTHORITY);
            break;
          }
        }
        if (node == null) {
          resp.addRecord(zone.negativeSoa(), Section.AUTHORITY);
          break;
        }
        int type = qtype == Type.ANY ? node.keySet().iterator().next() : qtype;
        List<RecordSet> sets = node.get(type);
        if (sets != null) {
          List<Record> records = materialize(sets, type, name, 0);
          if (records.isEmpty()) {
            resp.addRecord(zone.negativeSoa(), Section.AUTHORITY);
          }
          for (Record r : records) {
            resp.addRecord(r, Section.ANSWER);
          }
          additional(resp, records);
          break;
        }
        List<RecordSet> cname = node.get(Type.CNAME);
        if (cname == null) {
          resp.addRecord(zone.negativeSoa(), Section.AUTHORITY);
          break;
        }
        List<Record> records = materialize(cname, Type.CNAME, name, 0);
        if (records.isEmpty()) {
          break;
        }
        resp.addRecord(records.get(0), Section.ANSWER);
        seen.add(name);
        Name target = ((CNAMERecord) records.get(0)).getTarget();
        if (hops + 1 >= MAX_CHAIN || seen.contains(target) || !target.subdomain(zone.origin())) {
          break; // out of the zone (the resolver follows it) or a loop
        }
        name = target;
      }
    }

    private Name wildcardFor(Name name) {
      Name encloser = name;
      int skip = 0;
      while (!zone.exists(encloser)) {
        skip++;
        encloser = new Name(name, skip);
      }
      try {
        return Name.concatenate(Name.fromConstantString("*"), encloser);
      } catch (org.xbill.DNS.NameTooLongException e) {
        return encloser;
      }
    }

    private void referral(Message resp, Name cut) {
      resp.getHeader().unsetFlag(Flags.AA);
      List<Record> ns = materialize(zone.sets(cut, Type.NS), Type.NS, cut, 0);
      for (Record r : ns) {
        resp.addRecord(r, Section.AUTHORITY);
      }
      additional(resp, ns);
    }

    private void additional(Message resp, List<Record> records) {
      for (Record r : records) {
        Name target =
            r instanceof MXRecord mx
                ? mx.getTarget()
                : r instanceof SRVRecord srv
                    ? srv.getTarget()
                    : r instanceof NSRecord ns ? ns.getTarget() : null;
        if (target == null || !target.subdomain(zone.origin())) {
          continue;
        }
        for (int t : new int[] {Type.A, Type.AAAA}) {
          for (Record g : materialize(zone.sets(target, t), t, target, 0)) {
            if (!resp.findRecord(g, Section.ADDITIONAL)) {
              resp.addRecord(g, Section.ADDITIONAL);
            }
          }
        }
      }
    }

    private List<Record> materialize(List<RecordSet> sets, int type, Name owner, int depth) {
      // A per-query work budget: alias fan-out (multi-value sets of aliases of multi-value sets,
      // ...) cannot make one query cost more than a bounded number of selections.
      if (sets.isEmpty() || ++work > MAX_WORK) {
        return List.of();
      }
      Selection sel = AnswerSelector.select(sets, s -> healthy(s, 0), client, rnd);
      scope = Math.max(scope, sel.scopePrefix());
      zoneOnly &= sets.get(0).routing() instanceof Routing.Simple;
      List<Record> out = new ArrayList<>();
      for (RecordSet s : sel.sets()) {
        if (s.isAlias()) {
          if (depth < MAX_CHAIN) {
            out.addAll(materialize(zone.sets(s.alias().name(), type), type, owner, depth + 1));
          }
        } else {
          for (Record r : s.records()) {
            out.add(r.getName().equals(owner) ? r : r.withName(owner));
          }
        }
      }
      if (sets.get(0).routing() instanceof Routing.MultiValue
          && out.size() > AnswerSelector.MULTIVALUE_LIMIT) {
        return out.subList(0, AnswerSelector.MULTIVALUE_LIMIT);
      }
      return out;
    }

    private boolean healthy(RecordSet s, int depth) {
      if (s.healthCheck() != null && !health.isHealthy(s.healthCheck())) {
        return false;
      }
      if (s.isAlias() && s.alias().evaluateTargetHealth() && depth < MAX_CHAIN) {
        // Memoized per query: aliases sharing targets are evaluated once, never exponentially.
        List<RecordSet> targets = zone.sets(s.alias().name(), s.type());
        if (targetHealth == null) {
          targetHealth = new java.util.IdentityHashMap<>();
        }
        Boolean known = targetHealth.get(targets);
        if (known != null) {
          return known;
        }
        boolean any = false;
        for (RecordSet t : targets) {
          if (healthy(t, depth + 1)) {
            any = true;
            break;
          }
        }
        targetHealth.put(targets, any);
        return any;
      }
      return true;
    }
  }
}
