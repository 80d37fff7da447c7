package io.bulwark.dns;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.xbill.DNS.Name;

/** Loads the zone files under src/test/resources. */
final class TestZones {
  private TestZones() {}

  static Path resource(String name) {
    try {
      return Path.of(TestZones.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Zone load(String file, String origin) {
    try {
      Name o = Name.fromString(origin);
      return Zone.of(o, Zone.simpleSets(Zone.readZoneFile(resource(file), o)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Zone> standard() {
    return List.of(
        load("example.test.zone", "example.test."), load("reverse.zone", "2.0.192.in-addr.arpa."));
  }
}
