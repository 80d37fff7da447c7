package io.bulwark.dns;

import static io.bulwark.dns.DnsClient.query;
import static io.bulwark.dns.DnsClient.rdata;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.node.ConfigNode;
import io.bulwark.config.node.YamlTree;
import io.bulwark.health.CheckSpec;
import io.bulwark.health.HealthChecksConfig;
import io.bulwark.health.HealthGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** The full examples in docs/health.md and docs/dns.md parse, validate and serve. */
class DocsExampleTest {
  static String example(String doc) throws Exception {
    String text = Files.readString(Path.of("..", "docs", doc));
    int section = text.indexOf("\n## Example");
    int start = text.indexOf("```yaml\n", section) + "```yaml\n".length();
    return text.substring(start, text.indexOf("```", start));
  }

  @Test
  void healthExample() throws Exception {
    ConfigNode root = YamlTree.parse("health.md", example("health.md"));
    List<CheckSpec> specs = HealthChecksConfig.parse(root.get("health-checks"));
    assertThat(specs).hasSize(5);
    assertThat(HealthGraph.of(specs, InstantSource.system()).isHealthy("maintenance")).isFalse();
  }

  @Test
  void dnsExample(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("files.test.zone"),
        "$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 60\n@ IN NS ns1\nns1 IN A 127.0.0.1\n");
    ConfigNode root =
        YamlTree.parse("dns.md", example("dns.md").replace("127.0.0.1:8053", "127.0.0.1:0"));
    List<CheckSpec> specs = HealthChecksConfig.parse(root.get("health-checks"));
    HealthGraph graph = HealthGraph.of(specs, InstantSource.system());
    DnsSettings settings = DnsConfig.parse(root.get("dns"), new HashSet<>(graph.checkIds()), dir);
    assertThat(settings.zones()).hasSize(2);
    try (DnsServer s = DnsServer.start(settings, graph::isHealthy)) {
      assertThat(rdata(DnsClient.udp(s.udpAddress(), query("www.example.test.", Type.A))))
          .containsExactly("127.0.0.10");
      assertThat(rdata(DnsClient.udp(s.udpAddress(), query("shop.example.test.", Type.A))))
          .containsExactly("127.0.0.53");
      assertThat(rdata(DnsClient.udp(s.udpAddress(), query("pool.example.test.", Type.A))))
          .hasSize(2);
    }
  }
}
