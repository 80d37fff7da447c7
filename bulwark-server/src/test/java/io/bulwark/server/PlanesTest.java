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
}
