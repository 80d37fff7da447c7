package io.bulwark.dns;

import java.util.Locale;

/**
 * A record set's routing policy (seed 002 §1). Record sets that share a name and type share one
 * policy kind and are told apart by their set identifier.
 */
public sealed interface Routing {
  /** The config spelling of the policy kind. */
  String kind();

  /** One record set answers with all its values; no health check. */
  record Simple() implements Routing {
    public String kind() {
      return "simple";
    }
  }

  /** PRIMARY while its health check passes, else SECONDARY. */
  record Failover(Role role) implements Routing {
    public String kind() {
      return "failover";
    }
  }

  /** Failover roles. */
  enum Role {
    PRIMARY,
    SECONDARY
  }

  /** Chosen with probability weight / sum of weights; weight 0 only when nothing else is left. */
  record Weighted(long weight) implements Routing {
    public String kind() {
      return "weighted";
    }
  }

  /** The set whose region has the lowest round-trip time from the client. */
  record Latency(String region) implements Routing {
    public String kind() {
      return "latency";
    }
  }

  /**
   * Matched on the client's location: subdivision (with country), else country, else continent,
   * else the default set (all three null, written {@code "*"}).
   */
  record Geolocation(String continent, String country, String subdivision) implements Routing {
    public Geolocation {
      continent = upper(continent);
      country = upper(country);
      subdivision = upper(subdivision);
    }

    public boolean isDefault() {
      return continent == null && country == null && subdivision == null;
    }

    public String kind() {
      return "geolocation";
    }

    private static String upper(String s) {
      return s == null ? null : s.toUpperCase(Locale.ROOT);
    }
  }

  /**
   * The set nearest the client, with distances scaled by {@code 1 - bias/100} (bias -99..99, as
   * Route 53 does): a positive bias grows the set's area, a negative one shrinks it.
   */
  record Geoproximity(double latitude, double longitude, int bias) implements Routing {
    public String kind() {
      return "geoproximity";
    }
  }

  /** Up to eight healthy sets, in random order. */
  record MultiValue() implements Routing {
    public String kind() {
      return "multivalue";
    }
  }
}
