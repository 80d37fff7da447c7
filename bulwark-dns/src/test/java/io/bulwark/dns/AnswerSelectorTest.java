package io.bulwark.dns;

import static io.bulwark.dns.Sets.a;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The answer choice as a pure function: tables of (sets, health, client, random) to answer. */
class AnswerSelectorTest {
  private static final ClientLocation NOWHERE = ClientLocation.fixed(null, null, LatencyMap.EMPTY);

  /** Health by set identifier: the listed ids are unhealthy. */
  private static java.util.function.Predicate<RecordSet> unhealthy(String ids) {
    Set<String> bad = ids == null ? Set.of() : Set.of(ids.split(" "));
    return s -> !bad.contains(s.setIdentifier());
  }

  /** A random source whose every draw is {@code value} (clamped below the bound). */
  private static RandomGenerator fixed(long value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return value;
      }

      @Override
      public long nextLong(long bound) {
        return Math.min(value, bound - 1);
      }

      @Override
      public int nextInt(int bound) {
        return (int) Math.min(value, bound - 1);
      }
    };
  }

  private static String chosen(Selection s) {
    return String.join(" ", s.sets().stream().map(RecordSet::setIdentifier).toList());
  }

  @ParameterizedTest(name = "unhealthy [{0}], secondary present {1} -> {2}")
  @CsvSource({
    ", true, primary",
    "primary, true, secondary",
    "secondary, true, primary",
    "primary secondary, true, primary", // all unhealthy: as if all healthy
    "primary, false, primary",
  })
  void failover(String bad, boolean withSecondary, String expected) {
    var sets = new java.util.ArrayList<RecordSet>();
    sets.add(a("w.", "primary", new Routing.Failover(Routing.Role.PRIMARY), "p", "192.0.2.10"));
    if (withSecondary) {
      sets.add(
          a("w.", "secondary", new Routing.Failover(Routing.Role.SECONDARY), null, "192.0.2.20"));
    }
    assertThat(chosen(AnswerSelector.select(sets, unhealthy(bad), NOWHERE, fixed(0))))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "weights {0}, unhealthy [{1}], draw {2} -> {3}")
  @CsvSource({
    "1 3 0, , 0, s0",
    "1 3 0, , 1, s1",
    "1 3 0, , 3, s1",
    "1 3 0, s0, 0, s1",
    "1 3 0, s0 s1, 0, s2", // weight 0 answers only when every weighted set is unhealthy
    "1 3 0, s0 s1 s2, 0, s0", // all unhealthy: as if all healthy, weight 0 still last
    "1 3 0, s0 s1 s2, 3, s1",
    "0 0 0, , 2, s2", // all zero: equal chance
    "0 0 0, s2, 1, s1",
    "5 0 5, s0, 9, s2",
  })
  void weighted(String weights, String bad, long draw, String expected) {
    String[] w = weights.split(" ");
    var sets = new java.util.ArrayList<RecordSet>();
    for (int i = 0; i < w.length; i++) {
      sets.add(
          a(
              "w.",
              "s" + i,
              new Routing.Weighted(Long.parseLong(w[i])),
              "c" + i,
              "192.0.2." + (i + 1)));
    }
    assertThat(chosen(AnswerSelector.select(sets, unhealthy(bad), NOWHERE, fixed(draw))))
        .isEqualTo(expected);
  }

  @Test
  void weightedFollowsTheWeightsOverManyDraws() {
    List<RecordSet> sets =
        List.of(
            a("w.", "one", new Routing.Weighted(1), null, "192.0.2.1"),
            a("w.", "three", new Routing.Weighted(3), null, "192.0.2.3"),
            a("w.", "zero", new Routing.Weighted(0), null, "192.0.2.9"));
    Map<String, Integer> counts = new HashMap<>();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 40_000; i++) {
      counts.merge(
          chosen(AnswerSelector.select(sets, s -> true, NOWHERE, random)), 1, Integer::sum);
    }
    assertThat(counts.get("one") / 40_000.0)
        .isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.01));
    assertThat(counts.get("three") / 40_000.0)
        .isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.01));
    assertThat(counts).doesNotContainKey("zero");
  }

  @Test
  void multiValueNeverReturnsAnUnhealthySetAndAtMostEight() {
    var sets = new java.util.ArrayList<RecordSet>();
    for (int i = 0; i < 12; i++) {
      sets.add(a("m.", "m" + i, new Routing.MultiValue(), "c" + i, "192.0.2." + (i + 1)));
    }
    SplittableRandom random = new SplittableRandom(3);
    Set<String> firsts = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      Selection s = AnswerSelector.select(sets, unhealthy("m0 m3 m5 m7 m9"), NOWHERE, random);
      assertThat(s.sets())
          .hasSize(7)
          .extracting(RecordSet::setIdentifier)
          .doesNotContain("m0", "m3", "m5", "m7", "m9")
          .doesNotHaveDuplicates();
      firsts.add(s.sets().get(0).setIdentifier());
    }
    assertThat(firsts).hasSize(7); // random order: every healthy set comes first sometimes
    Selection healthy = AnswerSelector.select(sets, s -> true, NOWHERE, random);
    assertThat(healthy.sets()).hasSize(8);
    Selection allBad = AnswerSelector.select(sets, s -> false, NOWHERE, random);
    assertThat(allBad.sets()).hasSize(8); // as if all healthy
  }

  private static final List<RecordSet> GEO =
      List.of(
          a("g.", "us-mn", new Routing.Geolocation(null, "US", "MN"), "c1", "192.0.2.11"),
          a("g.", "us", new Routing.Geolocation(null, "us", null), "c2", "192.0.2.12"),
          a("g.", "gb", new Routing.Geolocation(null, "GB", null), "c3", "192.0.2.13"),
          a("g.", "eu", new Routing.Geolocation("EU", null, null), "c4", "192.0.2.14"),
          a("g.", "default", new Routing.Geolocation(null, null, null), "c5", "192.0.2.15"));

  @ParameterizedTest(name = "{0}/{1}/{2}, unhealthy [{3}] -> {4}")
  @CsvSource({
    "NA, US, MN, , us-mn",
    "NA, US, CA, , us",
    "NA, US, , , us",
    "EU, GB, ENG, , gb",
    "EU, SE, AB, , eu",
    "OC, AU, , , default",
    ", , , , default", // not in the database
    "NA, US, MN, us-mn, us", // unhealthy: the broader region answers
    "NA, US, MN, us-mn us, default",
    "EU, GB, , gb, eu",
    "EU, GB, , gb eu default, gb", // all candidates unhealthy: the most specific
  })
  void geolocation(String continent, String country, String sub, String bad, String expected) {
    GeoPoint p =
        continent == null
            ? null
            : new GeoPoint(continent, country, sub, Double.NaN, Double.NaN, 21);
    ClientLocation c = ClientLocation.fixed(ip("198.51.100.7"), p, LatencyMap.EMPTY);
    Selection s = AnswerSelector.select(GEO, unhealthy(bad), c, fixed(0));
    assertThat(chosen(s)).isEqualTo(expected);
    assertThat(s.scopePrefix()).isEqualTo(p == null ? 32 : 21);
  }

  @Test
  void geolocationWithoutDefaultHasNoAnswerOutsideItsRegions() {
    List<RecordSet> sets = GEO.subList(0, 4);
    ClientLocation au =
        ClientLocation.fixed(
            ip("1.1.1.1"), new GeoPoint("OC", "AU", null, 0, 0, 24), LatencyMap.EMPTY);
    assertThat(AnswerSelector.select(sets, s -> true, au, fixed(0)).sets()).isEmpty();
  }

  private static final LatencyMap LATENCY =
      new LatencyMap(
          List.of(
              new LatencyMap.Entry(
                  Cidr.parse("10.0.0.0/8"),
                  Map.of("us-east-1", 20, "eu-west-1", 90, "ap-south-1", 200)),
              new LatencyMap.Entry(
                  Cidr.parse("10.1.0.0/16"), Map.of("eu-west-1", 5, "us-east-1", 80)),
              new LatencyMap.Entry(Cidr.parse("0.0.0.0/0"), Map.of("ap-south-1", 50))));

  @ParameterizedTest(name = "{0}, unhealthy [{1}] -> {2} (scope {3})")
  @CsvSource({
    "10.9.9.9, , us, 8",
    "10.1.2.3, , eu, 16",
    "10.1.2.3, eu, us, 16",
    "10.1.2.3, eu us, ap, 16", // ap has no RTT in the /16: ranked last, still answers
    "192.0.2.1, , ap, 0",
    "10.9.9.9, us eu ap, us, 8", // all unhealthy: as if all healthy
  })
  void latency(String client, String bad, String expected, int scope) {
    List<RecordSet> sets =
        List.of(
            a("l.", "us", new Routing.Latency("us-east-1"), "c1", "192.0.2.1"),
            a("l.", "eu", new Routing.Latency("eu-west-1"), "c2", "192.0.2.2"),
            a("l.", "ap", new Routing.Latency("ap-south-1"), "c3", "192.0.2.3"));
    Selection s =
        AnswerSelector.select(
            sets, unhealthy(bad), ClientLocation.fixed(ip(client), null, LATENCY), fixed(0));
    assertThat(chosen(s)).isEqualTo(expected);
    assertThat(s.scopePrefix()).isEqualTo(scope);
  }

  @ParameterizedTest(name = "client {0},{1}, london bias {2}, nyc bias {3}, unhealthy [{4}] -> {5}")
  @CsvSource({
    "48.85, 2.35, 0, 0, , london", // Paris
    "40.0, -75.0, 0, 0, , nyc", // Philadelphia
    "48.85, 2.35, -99, 99, , nyc", // bias shrinks London to nothing and grows New York
    "48.85, 2.35, 0, 0, london, nyc",
    "64.1, -21.9, 0, 0, , london", // Reykjavik: 1,890 km to London, 4,200 to New York
    "64.1, -21.9, 0, 60, , nyc", // 4,200 x 0.4 = 1,680 km
  })
  void geoproximity(
      double lat, double lon, int londonBias, int nycBias, String bad, String expected) {
    List<RecordSet> sets =
        List.of(
            a("p.", "london", new Routing.Geoproximity(51.5, -0.12, londonBias), "c1", "192.0.2.1"),
            a("p.", "nyc", new Routing.Geoproximity(40.71, -74.0, nycBias), "c2", "192.0.2.2"));
    ClientLocation c =
        ClientLocation.fixed(
            ip("192.0.2.200"), new GeoPoint("EU", "FR", null, lat, lon, 20), LatencyMap.EMPTY);
    Selection s = AnswerSelector.select(sets, unhealthy(bad), c, fixed(0));
    assertThat(chosen(s)).isEqualTo(expected);
    assertThat(s.scopePrefix()).isEqualTo(20);
  }

  @Test
  void simpleAnswersWithTheWholeSetAndNoScope() {
    RecordSet s = a("s.", null, new Routing.Simple(), null, "192.0.2.1", "192.0.2.2");
    Selection sel = AnswerSelector.select(List.of(s), x -> false, NOWHERE, fixed(0));
    assertThat(sel.sets()).containsExactly(s);
    assertThat(sel.scopePrefix()).isZero();
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
