package io.bulwark.waf;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.config.node.YamlTree;
import io.bulwark.waf.internal.Ips;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** Shared helpers: the test environment, YAML parsing and request building. */
final class TestRequests {
  private TestRequests() {}

  static final byte[] SECRET =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static volatile GeoResolver geo;

  static GeoResolver geo() {
    if (geo == null) {
      try (InputStream in = TestRequests.class.getResourceAsStream("/GeoLite2-Country.mmdb")) {
        geo = MaxMindGeoResolver.open(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return geo;
  }

  static Path resources() {
    URL u = TestRequests.class.getResource("/lists");
    try {
      return Path.of(u.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An environment with the test geo database, a fixed challenge secret and fresh counters. */
  static WafEnvironment env() {
    return new WafEnvironment(
        new InMemoryRateCounterStore(),
        geo(),
        new ChallengeService(SECRET, Duration.ofSeconds(300), 8),
        resources());
  }

  static ConfigNode yaml(String name, String text) {
    try {
      return YamlTree.parse(name, text);
    } catch (ConfigException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static WebAcl acl(String yaml) throws ConfigException {
    List<WebAcl> acls = WebAclParser.parse(yaml("test.yaml", yaml), env());
    return acls.get(0);
  }

  static InetAddress ip(String s) {
    InetAddress a = Ips.parseLiteral(s);
    if (a == null) {
      throw new IllegalArgumentException("not an IP: " + s);
    }
    return a;
  }

  /** A request from a YAML map: method, target, headers (list of "Name: value"), body, ... */
  static WafRequest request(ConfigNode r, java.time.Instant now) {
    WafRequest.Builder b = WafRequest.builder();
    if ("valid".equals(text(r, "challenge-token", ""))) {
      String token =
          new ChallengeService(SECRET, Duration.ofSeconds(300), 8)
              .issueToken(text(r, "host", "www.example.com"), now);
      b.header("Cookie", ChallengeService.TOKEN_COOKIE + "=" + token);
    }
    if (r.get("host") != null) {
      b.header("Host", r.get("host").text());
    }
    b.method(text(r, "method", "GET"));
    b.target(text(r, "target", "/"));
    b.clientIp(ip(text(r, "client-ip", "198.51.100.7")));
    boolean ua = false;
    ConfigNode hs = r.get("headers");
    if (hs != null) {
      for (ConfigNode h : hs.items()) {
        String line = h.text();
        int c = line.indexOf(':');
        String name = line.substring(0, c).strip();
        ua |= name.equalsIgnoreCase("user-agent");
        b.header(name, line.substring(c + 1).strip());
      }
    }
    if (!ua && !"false".equals(text(r, "default-user-agent", "true"))) {
      b.header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
    }
    boolean oversize = "true".equals(text(r, "body-oversize", "false"));
    if (r.get("body") != null) {
      b.body(r.get("body").text().getBytes(StandardCharsets.UTF_8), oversize);
    } else if (r.get("body-base64") != null) {
      b.body(Base64.getDecoder().decode(r.get("body-base64").text()), oversize);
    } else if (oversize) {
      b.body(new byte[0], true);
    }
    return b.build();
  }

  static String text(ConfigNode n, String key, String dflt) {
    ConfigNode v = n.get(key);
    return v == null || v.text() == null ? dflt : v.text();
  }
}
