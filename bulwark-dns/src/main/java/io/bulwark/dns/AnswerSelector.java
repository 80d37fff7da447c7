package io.bulwark.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Chooses which record sets answer a query: a pure function of (record sets, health, client
 * location, random source), so that every policy is tested with tables.
 *
 * <p>Health rule for every policy (Route 53's, seed 002 §1): unhealthy sets are left out; when
 * every candidate is unhealthy the policy runs as if all were healthy, because answering with
 * something that may work beats answering with nothing. Per policy:
 *
 * <ul>
 *   <li>simple: the one set.
 *   <li>failover: PRIMARY if healthy, else SECONDARY if healthy, else PRIMARY.
 *   <li>weighted: by weight among healthy sets with weight &gt; 0; if there are none, uniformly
 *       among the healthy weight-0 sets.
 *   <li>latency: the healthy set whose region has the lowest RTT for the client's subnet (regions
 *       without an RTT rank last, ties go to config order).
 *   <li>geolocation: the most specific healthy match, subdivision, country, continent, default; an
 *       unhealthy match falls back to the broader one; no match at all is no data.
 *   <li>geoproximity: the healthy set with the smallest distance × (1 - bias/100).
 *   <li>multi-value: up to 8 healthy sets in random order.
 * </ul>
 */
public final class AnswerSelector {
  /** Route 53 answers a multi-value query with at most eight records. */
  public static final int MULTIVALUE_LIMIT = 8;

  private AnswerSelector() {}

  public static Selection select(
      List<RecordSet> sets,
      Predicate<RecordSet> healthy,
      ClientLocation client,
      RandomGenerator random) {
    if (sets.isEmpty()) {
      return Selection.NONE;
    }
    Routing routing = sets.get(0).routing();
    if (routing instanceof Routing.Simple) {
      return Selection.of(sets.get(0));
    }
    if (routing instanceof Routing.Failover) {
      return failover(sets, healthy);
    }
    if (routing instanceof Routing.Weighted) {
      return weighted(sets, healthy, random);
    }
    if (routing instanceof Routing.MultiValue) {
      return multiValue(sets, healthy, random);
    }
    if (routing instanceof Routing.Latency) {
      return latency(sets, healthy, client);
    }
    if (routing instanceof Routing.Geolocation) {
      return geolocation(sets, healthy, client);
    }
    if (routing instanceof Routing.Geoproximity) {
      return geoproximity(sets, healthy, client);
    }
    throw new IllegalStateException("unknown routing " + routing);
  }

  private static List<RecordSet> healthyOrAll(List<RecordSet> sets, Predicate<RecordSet> healthy) {
    List<RecordSet> out = new ArrayList<>(sets.size());
    for (RecordSet s : sets) {
      if (healthy.test(s)) {
        out.add(s);
      }
    }
    return out.isEmpty() ? sets : out;
  }

  private static Selection failover(List<RecordSet> sets, Predicate<RecordSet> healthy) {
    RecordSet primary = null;
    RecordSet secondary = null;
    for (RecordSet s : sets) {
      if (((Routing.Failover) s.routing()).role() == Routing.Role.PRIMARY) {
        primary = s;
      } else {
        secondary = s;
      }
    }
    if (primary != null && healthy.test(primary)) {
      return Selection.of(primary);
    }
    if (secondary != null && healthy.test(secondary)) {
      return Selection.of(secondary);
    }
    return Selection.of(primary != null ? primary : secondary);
  }

  private static Selection weighted(
      List<RecordSet> sets, Predicate<RecordSet> healthy, RandomGenerator random) {
    List<RecordSet> pool = healthyOrAll(sets, healthy);
    long total = 0;
    for (RecordSet s : pool) {
      total += ((Routing.Weighted) s.routing()).weight();
    }
    if (total == 0) {
      return Selection.of(pool.get(random.nextInt(pool.size())));
    }
    long pick = random.nextLong(total);
    for (RecordSet s : pool) {
      pick -= ((Routing.Weighted) s.routing()).weight();
      if (pick < 0) {
        return Selection.of(s);
      }
    }
    throw new IllegalStateException("weights changed during selection");
  }

  private static Selection multiValue(
      List<RecordSet> sets, Predicate<RecordSet> healthy, RandomGenerator random) {
    List<RecordSet> pool = new ArrayList<>(healthyOrAll(sets, healthy));
    for (int i = pool.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      RecordSet t = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, t);
    }
    return new Selection(pool.subList(0, Math.min(MULTIVALUE_LIMIT, pool.size())), 0);
  }

  private static Selection latency(
      List<RecordSet> sets, Predicate<RecordSet> healthy, ClientLocation client) {
    List<RecordSet> pool = healthyOrAll(sets, healthy);
    LatencyMap.Entry entry = client.latency();
    if (entry == null) {
      return new Selection(List.of(pool.get(0)), 0);
    }
    RecordSet best = null;
    long bestRtt = Long.MAX_VALUE;
    for (RecordSet s : pool) {
      Integer rtt = entry.rttMillis().get(((Routing.Latency) s.routing()).region());
      long r = rtt == null ? Long.MAX_VALUE - 1 : rtt;
      if (best == null || r < bestRtt) {
        best = s;
        bestRtt = r;
      }
    }
    return new Selection(List.of(best), entry.subnet().prefix());
  }

  private static Selection geolocation(
      List<RecordSet> sets, Predicate<RecordSet> healthy, ClientLocation client) {
    GeoPoint p = client.geo();
    List<RecordSet> chain = new ArrayList<>(4);
    if (p != null) {
      if (p.country() != null && p.subdivision() != null) {
        addMatches(
            chain,
            sets,
            g -> p.country().equals(g.country()) && p.subdivision().equals(g.subdivision()));
      }
      if (p.country() != null) {
        addMatches(chain, sets, g -> p.country().equals(g.country()) && g.subdivision() == null);
      }
      if (p.continent() != null) {
        addMatches(chain, sets, g -> p.continent().equals(g.continent()) && g.country() == null);
      }
    }
    addMatches(chain, sets, Routing.Geolocation::isDefault);
    // An unlocated client's answer holds only for its own address; a located one's for its
    // database network.
    int scope = p != null ? p.networkPrefix() : client.hostPrefix();
    if (chain.isEmpty()) {
      return new Selection(List.of(), scope);
    }
    for (RecordSet s : chain) {
      if (healthy.test(s)) {
        return new Selection(List.of(s), scope);
      }
    }
    return new Selection(List.of(chain.get(0)), scope);
  }

  private static void addMatches(
      List<RecordSet> chain, List<RecordSet> sets, Predicate<Routing.Geolocation> match) {
    for (RecordSet s : sets) {
      if (match.test((Routing.Geolocation) s.routing())) {
        chain.add(s);
      }
    }
  }

  private static Selection geoproximity(
      List<RecordSet> sets, Predicate<RecordSet> healthy, ClientLocation client) {
    List<RecordSet> pool = healthyOrAll(sets, healthy);
    GeoPoint p = client.geo();
    if (p == null || !p.hasCoordinates()) {
      return new Selection(
          List.of(pool.get(0)), p != null ? p.networkPrefix() : client.hostPrefix());
    }
    RecordSet best = null;
    double bestDistance = Double.MAX_VALUE;
    for (RecordSet s : pool) {
      Routing.Geoproximity g = (Routing.Geoproximity) s.routing();
      double d =
          distanceKm(p.latitude(), p.longitude(), g.latitude(), g.longitude())
              * (1 - g.bias() / 100.0);
      if (best == null || d < bestDistance) {
        best = s;
        bestDistance = d;
      }
    }
    return new Selection(List.of(best), p.networkPrefix());
  }

  /** Great-circle distance (haversine) in kilometres. */
  static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double a =
        Math.sin(dLat / 2) * Math.sin(dLat / 2)
            + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2))
                * Math.sin(dLon / 2)
                * Math.sin(dLon / 2);
    return 2 * 6371.0 * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
