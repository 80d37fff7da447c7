package io.bulwark.dns;

import static io.bulwark.dns.DnsClient.query;
import static io.bulwark.dns.DnsClient.rdata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.config.node.YamlTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class DnsConfigTest {
  /** The example in docs/dns.md. */
  static final String EXAMPLE =
      """
      dns:
        listen: 127.0.0.1:0
        allow-transfer: [127.0.0.1/32]
        latency-map:
          - subnet: 10.0.0.0/8
            rtt: {us-east-1: 20, eu-west-1: 90}
          - subnet: 0.0.0.0/0
            rtt: {us-east-1: 60, eu-west-1: 60}
        zones:
          - name: example.test
            name-servers: [ns1.example.test.]
            soa: {rname: hostmaster.example.test., serial: 2026112101, minimum: 60}
            record-sets:
              - name: ns1
                type: A
                resource-records: [127.0.0.53]
              - name: www
                type: A
                ttl: 60
                set-identifier: primary
                failover: PRIMARY
                health-check: primary-origin
                resource-records: [127.0.0.10]
              - name: www
                type: A
                ttl: 60
                set-identifier: secondary
                failover: SECONDARY
                resource-records: [127.0.0.20]
              - name: "@"
                type: A
                alias-target: {dns-name: www, evaluate-target-health: true}
              - name: canary
                type: A
                set-identifier: blue
                weight: 90
                resource-records: [127.0.0.31]
              - name: canary
                type: A
                set-identifier: green
                weight: 10
                health-check: green
                resource-records: [127.0.0.32]
              - name: api
                type: A
                set-identifier: use1
                region: us-east-1
                resource-records: [127.0.0.41]
              - name: api
                type: A
                set-identifier: euw1
                region: eu-west-1
                resource-records: [127.0.0.42]
              - name: shop
                type: A
                set-identifier: europe
                geo-location: {continent-code: EU}
                resource-records: [127.0.0.51]
              - name: shop
                type: A
                set-identifier: minnesota
                geo-location: {country-code: US, subdivision-code: MN}
                resource-records: [127.0.0.52]
              - name: shop
                type: A
                set-identifier: default
                geo-location: {country-code: "*"}
                resource-records: [127.0.0.53]
              - name: near
                type: A
                set-identifier: london
                geo-proximity-location: {coordinates: {latitude: 51.5, longitude: -0.12}, bias: 25}
                resource-records: [127.0.0.61]
              - name: near
                type: A
                set-identifier: minneapolis
                geo-proximity-location: {coordinates: {latitude: 44.98, longitude: -93.27}}
                resource-records: [127.0.0.62]
              - name: pool
                type: A
                set-identifier: a
                multi-value-answer: true
                health-check: green
                resource-records: [127.0.0.71]
              - name: pool
                type: A
                set-identifier: b
                multi-value-answer: true
                resource-records: [127.0.0.72]
              - name: "@"
                type: MX
                resource-records: ["10 mail"]
              - name: mail
                type: A
                resource-records: [127.0.0.25]
              - name: "@"
                type: TXT
                resource-records: ['"v=spf1 -all"']
          - name: files.test
            zone-file: files.test.zone
      """;

  private static ConfigNode dns(String yaml) throws ConfigException {
    return YamlTree.parse("bulwark.yaml", yaml).get("dns");
  }

  @Test
  void parsesTheDocumentedExampleAndServesIt(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("files.test.zone"),
        "$TTL 300\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 60\n@ IN NS ns1\nns1 IN A 127.0.0.1\nwww IN A 127.0.0.2\n");
    DnsSettings s = DnsConfig.parse(dns(EXAMPLE), Set.of("primary-origin", "green"), dir);
    assertThat(s.host()).isEqualTo("127.0.0.1");
    assertThat(s.zones())
        .extracting(z -> z.origin().toString())
        .containsExactly("example.test.", "files.test.");
    assertThat(s.transferAcl()).containsExactly(Cidr.parse("127.0.0.1/32"));
    assertThat(s.healthCheckIds()).containsExactly("primary-origin", "green");
    Zone z = s.zones().get(0);
    assertThat(z.soa().getSerial()).isEqualTo(2026112101L);
    assertThat(z.negativeSoa().getTTL()).isEqualTo(60);
    assertThat(z.sets(Name.fromString("www.example.test."), Type.A)).hasSize(2);

    Map<String, Boolean> health = new ConcurrentHashMap<>();
    try (DnsServer server = DnsServer.start(s, id -> health.getOrDefault(id, true))) {
      assertThat(rdata(DnsClient.udp(server.udpAddress(), query("example.test.", Type.A))))
          .containsExactly("127.0.0.10");
      health.put("primary-origin", false);
      assertThat(rdata(DnsClient.udp(server.udpAddress(), query("www.example.test.", Type.A))))
          .containsExactly("127.0.0.20");
      // The apex alias evaluates the failover pair's health: the pair still answers (SECONDARY).
      assertThat(rdata(DnsClient.udp(server.udpAddress(), query("example.test.", Type.A))))
          .containsExactly("127.0.0.20");
      assertThat(rdata(DnsClient.udp(server.udpAddress(), query("www.files.test.", Type.A))))
          .containsExactly("127.0.0.2");
      assertThat(rdata(DnsClient.udp(server.udpAddress(), query("mail.example.test.", Type.A))))
          .containsExactly("127.0.0.25");
    }
  }

  @Test
  void absentSectionMeansNoDns() throws ConfigException {
    assertThat(DnsConfig.parse(null, Set.of(), Path.of("."))).isNull();
  }

  private static final String HEAD =
      "dns:\n  zones:\n    - name: example.test\n      name-servers: [ns1.example.test.]\n      record-sets:\n";

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "- name: www\\n  type: A\\n  resource-records: [300.1.1.1]|8|is not a valid A value|IPv4 address",
        "- name: www\\n  type: SPF\\n  resource-records: [x]|7|record type 'SPF' is not served here|use A, AAAA",
        "- name: www\\n  type: A\\n  failover: PRIMARY\\n  set-identifier: p\\n  resource-records: [192.0.2.1]|6|PRIMARY failover record set needs a health check|health-check: ID",
        "- name: www\\n  type: A\\n  weight: 1\\n  resource-records: [192.0.2.1]|6|needs a set-identifier|set-identifier",
        "- name: www\\n  type: A\\n  weight: 1\\n  failover: PRIMARY\\n  set-identifier: x\\n  resource-records: [192.0.2.1]|8|one routing policy|keep one",
        "- name: www\\n  type: A\\n  set-identifier: p\\n  failover: PRIMARY\\n  health-check: primry\\n  resource-records: [192.0.2.1]|10|health check 'primry' is not declared|did you mean 'primary'?",
        "- name: www\\n  type: A\\n  resource-records: [192.0.2.1]\\n  ttl: -1|9|ttl must be|use a value",
        "- name: www\\n  type: A\\n  set-identifier: g\\n  geo-location: {continent-code: XX}\\n  resource-records: [192.0.2.1]|9|unknown continent-code 'XX'|AF, AN",
        "- name: www\\n  type: A\\n  alias-target: {dns-name: nothere}|6|alias target nothere.example.test. has no A record set|fix the record sets",
        "- name: www.other.test.\\n  type: A\\n  resource-records: [192.0.2.1]|6|is not inside zone|relative to the zone",
        "- name: www\\n  type: A\\n  resource-recrds: [192.0.2.1]|8|unknown key 'resource-recrds'|did you mean 'resource-records'?",
        "- name: www\\n  type: CNAME\\n  resource-records: [a]\\n- name: www\\n  type: A\\n  resource-records: [192.0.2.1]|6|cannot share its name with other record types|fix the record sets",
        "- name: a\\n  type: A\\n  alias-target: {dns-name: b}\\n- name: b\\n  type: A\\n  alias-target: {dns-name: a}|9|alias targets form a loop|fix the record sets",
        "- name: w\\n  type: A\\n  set-identifier: a\\n  failover: SECONDARY\\n  resource-records: [192.0.2.1]\\n- name: w\\n  type: A\\n  set-identifier: b\\n  failover: SECONDARY\\n  resource-records: [192.0.2.2]|11|two failover record sets for SECONDARY|fix the record sets",
      })
  void refusesBadRecordSetsWithLineAndFix(String sets, int line, String message, String fix) {
    StringBuilder yaml = new StringBuilder(HEAD);
    for (String l : sets.split("\\\\n")) {
      yaml.append("        ").append(l).append('\n');
    }
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> DnsConfig.parse(dns(yaml.toString()), Set.of("primary"), Path.of(".")));
    assertThat(e).as(yaml.toString()).isNotNull();
    assertThat(e.problems())
        .as(yaml.toString())
        .anySatisfy(
            p -> {
              assertThat(p.message()).contains(message);
              assertThat(p.fix()).contains(fix);
              assertThat(p.line()).isEqualTo(line);
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "dns:\\n  listen: localhost\\n  zones: []|2|is not ADDRESS:PORT",
        "dns:\\n  zones: []|2|dns needs a list of zones",
        "dns:\\n  zones:\\n    - name: example.test|3|has no name servers",
        "dns:\\n  zones:\\n    - name: example.test\\n      zone-file: missing.zone|4|cannot be read",
        "dns:\\n  udp-payload-size: 100\\n  zones: []|2|udp-payload-size must be 512-4096",
        "dns:\\n  allow-transfer: [everyone]\\n  zones: []|2|allow-transfer entry 'everyone'",
        "dns:\\n  latency-map:\\n    - subnet: 10.0.0.0/8\\n  zones: []|3|needs an rtt map",
      })
  void refusesBadSections(String yaml, int line, String message) throws IOException {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> DnsConfig.parse(dns(yaml.replace("\\n", "\n")), Set.of(), Path.of(".")));
    assertThat(e).isNotNull();
    assertThat(e.problems())
        .anySatisfy(
            p -> {
              assertThat(p.message()).contains(message);
              assertThat(p.line()).isEqualTo(line);
            });
  }
}
