package io.bulwark.dns;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The frozen {@code dns:} section.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>host, port</td><td>127.0.0.1, 8053 (UDP and TCP on the same port)</td></tr>
 *   <tr><td>udpPayloadSize</td><td>1232, the EDNS0 size this server advertises and the most it
 *       sends over UDP (512 to queries without EDNS0)</td></tr>
 *   <tr><td>transferAcl</td><td>empty: every AXFR/IXFR is refused</td></tr>
 *   <tr><td>latency</td><td>empty: latency records answer with the first healthy set</td></tr>
 *   <tr><td>geoipDatabase</td><td>none: geolocation answers with the default set</td></tr>
 *   <tr><td>tcpIdleTimeoutSeconds</td><td>10: a TCP client that sends nothing for this long is
 *       disconnected</td></tr>
 * </table>
 */
public record DnsSettings(
    String host,
    int port,
    List<Zone> zones,
    List<Cidr> transferAcl,
    LatencyMap latency,
    Path geoipDatabase,
    int udpPayloadSize,
    int tcpIdleTimeoutSeconds) {

  public static final int DEFAULT_UDP_PAYLOAD = 1232;

  public DnsSettings {
    Objects.requireNonNull(host, "host");
    zones = List.copyOf(zones);
    transferAcl = List.copyOf(transferAcl);
    latency = latency == null ? LatencyMap.EMPTY : latency;
    if (udpPayloadSize < 512 || udpPayloadSize > 65535) {
      throw new IllegalArgumentException("udp payload size must be 512-65535");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535");
    }
    Zone.index(zones);
  }

  /** Defaults for everything but the listener and zones. */
  public static DnsSettings of(String host, int port, List<Zone> zones) {
    return new DnsSettings(
        host, port, zones, List.of(), LatencyMap.EMPTY, null, DEFAULT_UDP_PAYLOAD, 10);
  }

  public DnsSettings withTransferAcl(List<Cidr> acl) {
    return new DnsSettings(
        host, port, zones, acl, latency, geoipDatabase, udpPayloadSize, tcpIdleTimeoutSeconds);
  }

  public DnsSettings withLatency(LatencyMap map) {
    return new DnsSettings(
        host, port, zones, transferAcl, map, geoipDatabase, udpPayloadSize, tcpIdleTimeoutSeconds);
  }

  public DnsSettings withGeoipDatabase(Path db) {
    return new DnsSettings(
        host, port, zones, transferAcl, latency, db, udpPayloadSize, tcpIdleTimeoutSeconds);
  }

  /** Every health check id named by a record set, for validation against the health graph. */
  public java.util.Set<String> healthCheckIds() {
    java.util.Set<String> ids = new java.util.LinkedHashSet<>();
    for (Zone z : zones) {
      for (RecordSet s : z.sets()) {
        if (s.healthCheck() != null) {
          ids.add(s.healthCheck());
        }
      }
    }
    return ids;
  }
}
