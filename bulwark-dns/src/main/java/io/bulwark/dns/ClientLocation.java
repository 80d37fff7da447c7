package io.bulwark.dns;

import java.net.InetAddress;

/**
 * Who is asking, for the policies that care: the address (from EDNS Client Subnet when present,
 * else the resolver's), its GeoIP location and its latency-map entry. Location lookups are lazy, so
 * queries for simple records never touch the GeoIP database. Not thread-safe; one per query.
 */
public final class ClientLocation {
  private final InetAddress address;
  private final GeoLocator geo;
  private final LatencyMap latency;
  private GeoPoint point;
  private boolean located;

  private ClientLocation(InetAddress address, GeoLocator geo, LatencyMap latency) {
    this.address = address;
    this.geo = geo;
    this.latency = latency;
  }

  public static ClientLocation of(InetAddress address, GeoLocator geo, LatencyMap latency) {
    return new ClientLocation(address, geo, latency);
  }

  /** A fixed location, for tables of cases. */
  public static ClientLocation fixed(InetAddress address, GeoPoint point, LatencyMap latency) {
    ClientLocation c = new ClientLocation(address, GeoLocator.NONE, latency);
    c.point = point;
    c.located = true;
    return c;
  }

  public InetAddress address() {
    return address;
  }

  /** The GeoIP location, or null when unknown. */
  public GeoPoint geo() {
    if (!located) {
      located = true;
      point = address == null ? null : geo.locate(address);
    }
    return point;
  }

  /** The latency-map entry for the address, or null. */
  public LatencyMap.Entry latency() {
    return address == null ? null : latency.match(address);
  }

  /** The address length in bits (32 or 128), the most specific ECS scope. */
  public int hostPrefix() {
    return address == null ? 0 : address.getAddress().length * 8;
  }
}
