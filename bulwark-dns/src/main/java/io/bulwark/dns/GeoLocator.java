package io.bulwark.dns;

import io.bulwark.dns.internal.MaxMindGeoLocator;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

/** Locates client addresses for geolocation and geoproximity routing. */
public interface GeoLocator extends Closeable {
  /** The location, or null when the address is not in the database. Never throws. */
  GeoPoint locate(InetAddress address);

  @Override
  default void close() throws IOException {}

  /** Locates nothing: every client gets the default geolocation set. */
  GeoLocator NONE = address -> null;

  /**
   * Opens a MaxMind (GeoLite2/GeoIP2 City or Country) database, memory-mapped. A Country database
   * gives no subdivisions or coordinates.
   */
  static GeoLocator maxMind(Path database) throws IOException {
    return new MaxMindGeoLocator(database);
  }
}
