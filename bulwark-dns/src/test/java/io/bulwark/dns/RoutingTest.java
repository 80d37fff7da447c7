package io.bulwark.dns;

import static io.bulwark.dns.DnsClient.edns;
import static io.bulwark.dns.DnsClient.query;
import static io.bulwark.dns.DnsClient.rdata;
import static io.bulwark.dns.Sets.a;
import static io.bulwark.dns.Sets.alias;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** Routing policies end to end: real UDP queries, answers driven by health and client location. */
class RoutingTest {
  private final Map<String, Boolean> health = new ConcurrentHashMap<>();
  private final HealthView view = id -> health.getOrDefault(id, true);

  private static String one(Message m) {
    List<String> r = rdata(m);
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @Test
  void weightedAnswersFollowTheWeights() throws IOException {
    Zone zone =
        Sets.zone(
            "example.test.",
            a("w.example.test.", "blue", new Routing.Weighted(1), null, "192.0.2.1"),
            a("w.example.test.", "green", new Routing.Weighted(3), null, "192.0.2.3"),
            a("w.example.test.", "off", new Routing.Weighted(0), null, "192.0.2.9"));
    try (DnsServer s = DnsServer.start(DnsSettings.of("127.0.0.1", 0, List.of(zone)), view)) {
      Map<String, Integer> counts = new HashMap<>();
      int n = 2000;
      for (int i = 0; i < n; i++) {
        counts.merge(
            one(DnsClient.udp(s.udpAddress(), query("w.example.test.", Type.A))), 1, Integer::sum);
      }
      // Binomial standard deviation at n=2000, p=0.25 is about 1%; 4% is four of them.
      assertThat(counts.get("192.0.2.1") / (double) n).isCloseTo(0.25, Offset.offset(0.04));
      assertThat(counts.get("192.0.2.3") / (double) n).isCloseTo(0.75, Offset.offset(0.04));
      assertThat(counts).doesNotContainKey("192.0.2.9");
    }
  }

  @Test
  void multiValueNeverReturnsAnUnhealthyRecord() throws IOException {
    RecordSet[] sets = new RecordSet[10];
    for (int i = 0; i < 10; i++) {
      sets[i] =
          a(
              "m.example.test.",
              "m" + i,
              new Routing.MultiValue(),
              "check-" + i,
              "192.0.2." + (i + 1));
    }
    Set<String> unhealthy = Set.of("192.0.2.2", "192.0.2.5", "192.0.2.9");
    health.put("check-1", false);
    health.put("check-4", false);
    health.put("check-8", false);
    try (DnsServer s =
        DnsServer.start(
            DnsSettings.of("127.0.0.1", 0, List.of(Sets.zone("example.test.", sets))), view)) {
      Set<String> seen = new HashSet<>();
      Set<String> firsts = new HashSet<>();
      for (int i = 0; i < 200; i++) {
        List<String> r = rdata(DnsClient.udp(s.udpAddress(), query("m.example.test.", Type.A)));
        assertThat(r).hasSize(7).doesNotContainAnyElementsOf(unhealthy).doesNotHaveDuplicates();
        seen.addAll(r);
        firsts.add(r.get(0));
      }
      assertThat(seen).hasSize(7);
      assertThat(firsts.size()).isGreaterThan(3);
      health.put("check-1", true);
      health.put("check-4", true);
      assertThat(rdata(DnsClient.udp(s.udpAddress(), query("m.example.test.", Type.A)))).hasSize(8);
    }
  }

  @Test
  void aliasAtTheApexWithEvaluateTargetHealth() throws IOException {
    Zone zone =
        Sets.zone(
            "example.test.",
            // Apex alias (a CNAME could not be here) in a failover pair: PRIMARY points at the
            // "lb" weighted sets and evaluates their health; SECONDARY is a plain address.
            alias(
                "example.test.",
                Type.A,
                "primary",
                new Routing.Failover(Routing.Role.PRIMARY),
                null,
                "lb.example.test.",
                true),
            a(
                "example.test.",
                "secondary",
                new Routing.Failover(Routing.Role.SECONDARY),
                null,
                "192.0.2.20"),
            a("lb.example.test.", "lb1", new Routing.Weighted(1), "lb1", "192.0.2.31"),
            a("lb.example.test.", "lb2", new Routing.Weighted(1), "lb2", "192.0.2.32"),
            alias(
                "plain.example.test.",
                Type.A,
                null,
                new Routing.Simple(),
                null,
                "lb.example.test.",
                false));
    try (DnsServer s = DnsServer.start(DnsSettings.of("127.0.0.1", 0, List.of(zone)), view)) {
      health.put("lb1", false);
      Message m = DnsClient.udp(s.udpAddress(), query("example.test.", Type.A));
      assertThat(DnsClient.answers(m)).containsExactly("example.test. A 192.0.2.32");
      health.put("lb2", false); // every target unhealthy: the alias is unhealthy, SECONDARY answers
      assertThat(one(DnsClient.udp(s.udpAddress(), query("example.test.", Type.A))))
          .isEqualTo("192.0.2.20");
      // Without evaluate-target-health the alias still answers, from the targets as if healthy.
      assertThat(one(DnsClient.udp(s.udpAddress(), query("plain.example.test.", Type.A))))
          .startsWith("192.0.2.3");
    }
  }

  @Test
  void geolocationFromClientSubnetAgainstGeoLite2() throws Exception {
    Zone zone =
        Sets.zone(
            "example.test.",
            a(
                "geo.example.test.",
                "us-mn",
                new Routing.Geolocation(null, "US", "MN"),
                null,
                "192.0.2.11"),
            a(
                "geo.example.test.",
                "us",
                new Routing.Geolocation(null, "US", null),
                "us",
                "192.0.2.12"),
            a(
                "geo.example.test.",
                "gb",
                new Routing.Geolocation(null, "GB", null),
                null,
                "192.0.2.13"),
            a(
                "geo.example.test.",
                "eu",
                new Routing.Geolocation("EU", null, null),
                null,
                "192.0.2.14"),
            a(
                "geo.example.test.",
                "default",
                new Routing.Geolocation(null, null, null),
                null,
                "192.0.2.15"),
            a("plain.example.test.", null, new Routing.Simple(), null, "192.0.2.100"));
    DnsSettings settings =
        DnsSettings.of("127.0.0.1", 0, List.of(zone)).withGeoipDatabase(GeoLite2.city());
    try (DnsServer s = DnsServer.start(settings, view)) {
      // subnet -> expected answer and ECS scope (the GeoLite2 network, capped at the /24 sent)
      String[][] cases = {
        {"128.101.101.0", "192.0.2.11", "21"}, // Minneapolis, US-MN, 128.101.96.0/21
        {"216.160.83.0", "192.0.2.12", "24"}, // US-ID: the country set
        {"81.2.69.0", "192.0.2.13", "22"}, // GB
        {"89.160.20.0", "192.0.2.14", "24"}, // SE: the continent set
        {"1.1.1.0", "192.0.2.15", "24"}, // AU: the default set
        {"10.0.0.0", "192.0.2.15", "24"}, // not in the database: default, valid for the /24 only
      };
      for (String[] c : cases) {
        Message m = DnsClient.udp(s.udpAddress(), ecsQuery("geo.example.test.", c[0], 24));
        assertThat(one(m)).as(c[0]).isEqualTo(c[1]);
        ClientSubnetOption ecs = ecsOf(m);
        assertThat(ecs.getSourcePrefixLength()).isEqualTo(24);
        assertThat(ecs.getScopePrefixLength()).as(c[0]).isEqualTo(Integer.parseInt(c[2]));
        assertThat(ecs.getAddress()).isEqualTo(InetAddress.getByName(c[0]));
      }
      // Without ECS the resolver's own address (loopback, not in the database) decides.
      assertThat(one(DnsClient.udp(s.udpAddress(), query("geo.example.test.", Type.A))))
          .isEqualTo("192.0.2.15");
      // An answer that does not depend on the client says so with scope 0.
      Message plain =
          DnsClient.udp(s.udpAddress(), ecsQuery("plain.example.test.", "128.101.101.0", 24));
      assertThat(ecsOf(plain).getScopePrefixLength()).isZero();
      // Source prefix 0: the client opted out; the resolver's address is used, scope 0.
      Message optOut = DnsClient.udp(s.udpAddress(), ecsQuery("geo.example.test.", "0.0.0.0", 0));
      assertThat(one(optOut)).isEqualTo("192.0.2.15");
      assertThat(ecsOf(optOut).getScopePrefixLength()).isZero();
      // The US set goes unhealthy: Idaho falls back to the default set.
      health.put("us", false);
      assertThat(
              one(DnsClient.udp(s.udpAddress(), ecsQuery("geo.example.test.", "216.160.83.0", 24))))
          .isEqualTo("192.0.2.15");
      health.put("us", true);

      String dig = Dig.run(s.udpAddress(), "+subnet=128.101.101.0/24", "geo.example.test", "A");
      assertThat(dig).contains("CLIENT-SUBNET: 128.101.101.0/24/21").contains("192.0.2.11");
    }
  }

  @Test
  void countryDatabaseAndGeoproximity() throws Exception {
    Zone zone =
        Sets.zone(
            "example.test.",
            a(
                "geo.example.test.",
                "gb",
                new Routing.Geolocation(null, "GB", null),
                null,
                "192.0.2.13"),
            a(
                "geo.example.test.",
                "default",
                new Routing.Geolocation(null, null, null),
                null,
                "192.0.2.15"),
            a(
                "near.example.test.",
                "london",
                new Routing.Geoproximity(51.5, -0.12, 0),
                null,
                "192.0.2.41"),
            a(
                "near.example.test.",
                "minneapolis",
                new Routing.Geoproximity(44.98, -93.27, 0),
                null,
                "192.0.2.42"));
    try (DnsServer s =
        DnsServer.start(
            DnsSettings.of("127.0.0.1", 0, List.of(zone)).withGeoipDatabase(GeoLite2.country()),
            view)) {
      assertThat(one(DnsClient.udp(s.udpAddress(), ecsQuery("geo.example.test.", "81.2.69.0", 24))))
          .isEqualTo("192.0.2.13");
    }
    try (DnsServer s =
        DnsServer.start(
            DnsSettings.of("127.0.0.1", 0, List.of(zone)).withGeoipDatabase(GeoLite2.city()),
            view)) {
      assertThat(
              one(DnsClient.udp(s.udpAddress(), ecsQuery("near.example.test.", "89.160.20.0", 24))))
          .isEqualTo("192.0.2.41");
      assertThat(
              one(
                  DnsClient.udp(
                      s.udpAddress(), ecsQuery("near.example.test.", "216.160.83.0", 24))))
          .isEqualTo("192.0.2.42");
    }
  }

  @Test
  void latencyFromTheConfiguredSubnetMap() throws IOException {
    Zone zone =
        Sets.zone(
            "example.test.",
            a("api.example.test.", "use1", new Routing.Latency("us-east-1"), "use1", "192.0.2.51"),
            a("api.example.test.", "euw1", new Routing.Latency("eu-west-1"), null, "192.0.2.52"));
    LatencyMap map =
        new LatencyMap(
            List.of(
                new LatencyMap.Entry(
                    Cidr.parse("198.51.100.0/24"), Map.of("us-east-1", 10, "eu-west-1", 80)),
                new LatencyMap.Entry(
                    Cidr.parse("203.0.113.0/24"), Map.of("us-east-1", 90, "eu-west-1", 15))));
    try (DnsServer s =
        DnsServer.start(DnsSettings.of("127.0.0.1", 0, List.of(zone)).withLatency(map), view)) {
      assertThat(
              one(DnsClient.udp(s.udpAddress(), ecsQuery("api.example.test.", "198.51.100.0", 24))))
          .isEqualTo("192.0.2.51");
      assertThat(
              one(DnsClient.udp(s.udpAddress(), ecsQuery("api.example.test.", "203.0.113.0", 24))))
          .isEqualTo("192.0.2.52");
      health.put("use1", false);
      assertThat(
              one(DnsClient.udp(s.udpAddress(), ecsQuery("api.example.test.", "198.51.100.0", 24))))
          .isEqualTo("192.0.2.52");
    }
  }

  private static Message ecsQuery(String name, String subnet, int prefix) throws IOException {
    return edns(
        query(name, Type.A), 1232, new ClientSubnetOption(prefix, InetAddress.getByName(subnet)));
  }

  private static ClientSubnetOption ecsOf(Message m) {
    List<EDNSOption> opts = m.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET);
    assertThat(opts).hasSize(1);
    return (ClientSubnetOption) opts.get(0);
  }
}
