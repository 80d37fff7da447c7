package io.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.config.ConfigLoader;
import io.bulwark.config.node.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cross-section references (edge to WAF and health) are refused with file, line and the fix. */
class PlanesTest {
  private static final String CONFIG =
      """
      origins:
        - id: o
          domain-name: 127.0.0.1
          protocol-policy: http-only
          health-check: nope
      web-acls:
        - name: real
          default-action: allow
          rules: []
      distributions:
        - id: d
          hosts: [localhost]
          web-acl: typo
          default-behavior: {target: o, cache-policy: CachingDisabled}
      """;

  @Test
  void unknownWebAclAndHealthCheckAreRefusedWithTheirLines() throws Exception {
    var snapshot = ConfigLoader.load("x.yaml", CONFIG, Path.of("."), Map.of());
    assertThatThrownBy(() -> Planes.parse(snapshot))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              var problems = ((ConfigException) e).problems();
              assertThat(problems).hasSize(2);
              assertThat(problems)
                  .anySatisfy(
                      p -> {
                        assertThat(p.line()).isEqualTo(13);
                        assertThat(p.message()).contains("unknown web ACL 'typo'");
                        assertThat(p.fix()).contains("real");
                      });
              assertThat(problems)
                  .anySatisfy(
                      p -> {
                        assertThat(p.line()).isEqualTo(5);
                        assertThat(p.message()).contains("unknown health check 'nope'");
                      });
            });
  }

  @Test
  void anOverCapacityWebAclIsRefusedAtLoad() throws Exception {
    StringBuilder rules = new StringBuilder();
    for (int i = 0; i < 80; i++) {
      rules.append(
          "      - {name: r%d, priority: %d, action: block, statement: {sqli-match: {field: body, text-transformations: [NONE]}}}\n"
              .formatted(i, i));
    }
    String yaml =
        "web-acls:\n  - name: big\n    default-action: allow\n    rules:\n"
            + rules.toString().replace("      - ", "      - ").indent(-2)
            + "distributions:\n  - id: d\n    hosts: [localhost]\n    web-acl: big\n    default-behavior: {target: o, cache-policy: CachingDisabled}\norigins:\n  - {id: o, domain-name: 127.0.0.1, protocol-policy: http-only}\n";
    var snapshot = ConfigLoader.load("big.yaml", yaml, Path.of("."), Map.of());
    assertThatThrownBy(() -> Planes.parse(snapshot))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("big.yaml:")
        .hasMessageContaining("1500");
  }

  @Test
  void aLabelHeaderThatIsAnOriginCustomHeaderOrInACacheKeyIsRefused() throws Exception {
    var snapshot =
        ConfigLoader.load(
            "x.yaml",
            """
            origins:
              - id: o
                domain-name: 127.0.0.1
                protocol-policy: http-only
                custom-headers: {X-Waf-Labels: secret-value}
              - {id: p, domain-name: 127.0.0.2, protocol-policy: http-only}
            cache-policies:
              - {id: keyed, headers: {behavior: whitelist, items: [x-bulwark-waf-labels]}}
            web-acls:
              - name: clash
                default-action: allow
                forward-labels:
                  header: x-waf-labels
              - name: keyed
                default-action: allow
                forward-labels: {namespaces: ["bulwark:managed:"]}
            distributions:
              - id: d
                hosts: [localhost]
                web-acl: clash
                default-behavior: {target: o, cache-policy: CachingDisabled}
              - id: e
                hosts: [example.test]
                web-acl: keyed
                default-behavior: {target: p, cache-policy: keyed}
            """,
            Path.of("."),
            Map.of());
    assertThatThrownBy(() -> Planes.parse(snapshot))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              var problems = ((ConfigException) e).problems();
              assertThat(problems).hasSize(2);
              assertThat(problems.get(0).line()).isEqualTo(13);
              assertThat(problems.get(0).path()).isEqualTo("web-acls[0].forward-labels.header");
              assertThat(problems.get(0).message())
                  .contains("also a custom header of origin 'o'")
                  .doesNotContain("secret-value");
              assertThat(problems.get(0).fix()).contains("x-bulwark-waf-labels");
              assertThat(problems.get(1).line()).isEqualTo(16);
              assertThat(problems.get(1).path()).isEqualTo("web-acls[1].forward-labels");
              assertThat(problems.get(1).message())
                  .contains("cache policy 'keyed'")
                  .contains("labels are not part of the cache key");
            });
  }
}
