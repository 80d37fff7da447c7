package io.bulwark.dns.internal;

import com.maxmind.db.Reader;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.Subdivision;
import io.bulwark.dns.GeoLocator;
import io.bulwark.dns.GeoPoint;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link GeoLocator} over a MaxMind database, memory-mapped so lookups do no I/O. */
public final class MaxMindGeoLocator implements GeoLocator {
  private final DatabaseReader reader;
  private final boolean city;

  public MaxMindGeoLocator(Path database) throws IOException {
    this.reader =
        new DatabaseReader.Builder(database.toFile())
            .fileMode(Reader.FileMode.MEMORY_MAPPED)
            .build();
    this.city = reader.metadata().databaseType().contains("City");
  }

  @Override
  public GeoPoint locate(InetAddress address) {
    try {
      if (city) {
        Optional<CityResponse> r = reader.tryCity(address);
        if (r.isEmpty()) {
          return null;
        }
        CityResponse c = r.get();
        List<Subdivision> subs = c.subdivisions();
        String sub = subs == null || subs.isEmpty() ? null : subs.get(0).isoCode();
        Double lat = c.location() == null ? null : c.location().latitude();
        Double lon = c.location() == null ? null : c.location().longitude();
        return new GeoPoint(
            c.continent() == null ? null : c.continent().code(),
            c.country() == null ? null : c.country().isoCode(),
            sub,
            lat == null ? Double.NaN : lat,
            lon == null ? Double.NaN : lon,
            c.traits() != null && c.traits().network() != null
                ? c.traits().network().prefixLength()
                : address.getAddress().length * 8);
      }
      Optional<CountryResponse> r = reader.tryCountry(address);
      if (r.isEmpty()) {
        return null;
      }
      CountryResponse c = r.get();
      return new GeoPoint(
          c.continent() == null ? null : c.continent().code(),
          c.country() == null ? null : c.country().isoCode(),
          null,
          Double.NaN,
          Double.NaN,
          c.traits() != null && c.traits().network() != null
              ? c.traits().network().prefixLength()
              : address.getAddress().length * 8);
    } catch (IOException | com.maxmind.geoip2.exception.GeoIp2Exception | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
