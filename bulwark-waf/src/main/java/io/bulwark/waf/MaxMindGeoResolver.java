package io.bulwark.waf;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CountryResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;

/** A {@link GeoResolver} over a MaxMind GeoLite2/GeoIP2 Country (or City) database. */
public final class MaxMindGeoResolver implements GeoResolver {
  private final DatabaseReader reader;

  private MaxMindGeoResolver(DatabaseReader reader) {
    this.reader = reader;
  }

  public static MaxMindGeoResolver open(Path mmdb) throws IOException {
    return new MaxMindGeoResolver(
        new DatabaseReader.Builder(mmdb.toFile()).withCache(new CHMCache()).build());
  }

  public static MaxMindGeoResolver open(InputStream mmdb) throws IOException {
    return new MaxMindGeoResolver(
        new DatabaseReader.Builder(mmdb).withCache(new CHMCache()).build());
  }

  @Override
  public String country(InetAddress address) {
    try {
      Optional<CountryResponse> r = reader.tryCountry(address);
      if (r.isEmpty() || r.get().country() == null) {
        return null;
      }
      return r.get().country().isoCode();
    } catch (IOException | GeoIp2Exception | RuntimeException e) {
      return null;
    }
  }
}
