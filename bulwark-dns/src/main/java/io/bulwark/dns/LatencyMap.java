package io.bulwark.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Where latency routing gets its round-trip times: a configured map from client subnet to the RTT
 * (milliseconds) of each region, matched by longest prefix. Route 53 measures these itself; here
 * the operator states them (and may refresh them on reload from measurements).
 *
 * @param entries subnet to region RTTs; an entry for {@code 0.0.0.0/0} or {@code ::/0} is the
 *     default
 */
public record LatencyMap(List<Entry> entries) {
  public static final LatencyMap EMPTY = new LatencyMap(List.of());

  public LatencyMap {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingInt((Entry e) -> e.subnet().prefix()).reversed());
    entries = List.copyOf(sorted);
  }

  /** One subnet's RTTs per region. */
  public record Entry(Cidr subnet, Map<String, Integer> rttMillis) {
    public Entry {
      rttMillis = Map.copyOf(rttMillis);
    }
  }

  /** The most specific entry containing the address, or null. */
  public Entry match(InetAddress address) {
    for (Entry e : entries) {
      if (e.subnet().contains(address)) {
        return e;
      }
    }
    return null;
  }
}
