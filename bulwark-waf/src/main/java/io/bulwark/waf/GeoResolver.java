package io.bulwark.waf;

import java.net.InetAddress;

/** Maps a client address to an ISO 3166-1 alpha-2 country code, for GeoMatch statements. */
@FunctionalInterface
public interface GeoResolver {
  /** The country code, or null when unknown. */
  String country(InetAddress address);

  /** A resolver that knows no country: GeoMatch statements never match. */
  GeoResolver NONE = address -> null;
}
