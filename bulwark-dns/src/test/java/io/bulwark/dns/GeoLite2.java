package io.bulwark.dns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The GeoLite2 test databases from org.elasticsearch:geolite2-databases (2019-11-19), copied out of
 * the jar once into target/ so they can be memory-mapped like a real deployment's.
 */
final class GeoLite2 {
  private GeoLite2() {}

  static synchronized Path city() throws IOException {
    return extract("GeoLite2-City.mmdb");
  }

  static synchronized Path country() throws IOException {
    return extract("GeoLite2-Country.mmdb");
  }

  private static Path extract(String name) throws IOException {
    Path dir = Path.of("target", "geolite2");
    Path out = dir.resolve(name);
    if (Files.exists(out)) {
      return out;
    }
    Files.createDirectories(dir);
    try (InputStream in = GeoLite2.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IOException(name + " is not on the test classpath");
      }
      Path tmp = Files.createTempFile(dir, name, ".part");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    }
    return out;
  }
}
