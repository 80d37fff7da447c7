package io.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.config.node.ConfigProblem;
import io.bulwark.config.node.YamlTree;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthChecksConfigTest {
  /** The example in docs/health.md. */
  static final String EXAMPLE =
      """
      health-checks:
        - id: primary-origin
          type: http
          ip-address: 127.0.0.1
          fully-qualified-domain-name: origin-primary.internal
          port: 8081
          resource-path: /healthz/deep
          request-interval: 10
          failure-threshold: 3
          timeout: 2s
          expected-status: 200-299
          measure-latency: true
        - id: secondary-origin
          type: https-str-match
          fully-qualified-domain-name: origin-secondary.example.com
          resource-path: /status
          search-string: '"db":"ok"'
          verify-certificate: true
          checkers: 5
          healthy-checker-share: 50%
        - id: redis
          type: tcp
          ip-address: 10.0.0.7
          port: 6379
          request-interval: 30
        - id: region-us-east
          type: calculated
          child-health-checks: [primary-origin, redis]
          health-threshold: 2
        - id: maintenance
          type: tcp
          ip-address: 127.0.0.1
          port: 1
          disabled: true
          inverted: true
      """;

  private static ConfigNode section(String yaml) throws ConfigException {
    return YamlTree.parse("bulwark.yaml", yaml).get("health-checks");
  }

  @Test
  void parsesTheDocumentedExample() throws ConfigException {
    List<CheckSpec> specs = HealthChecksConfig.parse(section(EXAMPLE));
    assertThat(specs)
        .extracting(CheckSpec::id)
        .containsExactly(
            "primary-origin", "secondary-origin", "redis", "region-us-east", "maintenance");
    CheckSpec p = specs.get(0);
    assertThat(p.type()).isEqualTo(CheckType.HTTP);
    assertThat(p.connectTo()).isEqualTo("127.0.0.1");
    assertThat(p.host()).isEqualTo("origin-primary.internal");
    assertThat(p.requestInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.statusMax()).isEqualTo(299);
    assertThat(p.checkers()).isEqualTo(3);
    assertThat(p.healthyShare()).isEqualTo(0.18);
    CheckSpec s = specs.get(1);
    assertThat(s.port()).isEqualTo(443);
    assertThat(s.enableSni()).isTrue();
    assertThat(s.verifyCertificate()).isTrue();
    assertThat(s.healthyShare()).isEqualTo(0.5);
    assertThat(s.searchString()).isEqualTo("\"db\":\"ok\"");
    assertThat(specs.get(3).children()).containsExactly("primary-origin", "redis");
    assertThat(specs.get(3).healthThreshold()).isEqualTo(2);
    // and it forms a valid graph: the disabled, inverted check is always unhealthy
    assertThat(HealthGraph.of(specs, java.time.InstantSource.system()).isHealthy("maintenance"))
        .isFalse();
  }

  @Test
  void absentSectionIsNoChecks() throws ConfigException {
    assertThat(HealthChecksConfig.parse(null)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "type: htp|3|unknown health check type 'htp'|did you mean 'http'?",
        "type: http\\n    fully-qualified-domain-nme: x|4|unknown key 'fully-qualified-domain-nme'|did you mean 'fully-qualified-domain-name'?",
        "type: http|2|has no target|add fully-qualified-domain-name",
        "type: http\\n    ip-address: 127.0.0.1\\n    failure-threshold: 11|5|failure-threshold must be 1-10, got 11|use a value from 1 to 10",
        "type: http\\n    ip-address: 127.0.0.1\\n    request-interval: 1500ms|5|whole number of seconds|use 10 or 30",
        "type: http\\n    ip-address: 127.0.0.1\\n    request-interval: 5\\n    timeout: 6s|6|at most the request-interval|lower the timeout",
        "type: http-str-match\\n    ip-address: 127.0.0.1|2|needs a search-string|first 5,120 bytes",
        "type: http\\n    ip-address: 127.0.0.1\\n    expected-status: 2xx|5|is not a status range|200-399",
        "type: tcp\\n    ip-address: 127.0.0.1\\n    resource-path: /x|5|does not apply to a tcp check|remove it",
        "type: calculated\\n    child-health-checks: [nope]|4|child health check 'nope' is not declared|declare it",
        "type: calculated\\n    port: 80\\n    child-health-checks: []|4|port does not apply to a calculated check|remove it",
        "type: http\\n    ip-address: 127.0.0.1\\n    healthy-checker-share: 100%|5|healthy-checker-share must be a share|18%",
        "type: http\\n    ip-address: 127.0.0.1\\n    resource-path: healthz|5|must start with /|/healthz",
      })
  void refusesBadInputWithLineAndFix(String body, int line, String message, String fix) {
    String yaml = "health-checks:\n  - id: c1\n    " + body.replace("\\n", "\n") + "\n";
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> HealthChecksConfig.parse(section(yaml)));
    assertThat(e).as(yaml).isNotNull();
    assertThat(e.problems())
        .anySatisfy(
            p -> {
              assertThat(p.file()).isEqualTo("bulwark.yaml");
              assertThat(p.message()).contains(message);
              assertThat(p.fix()).contains(fix);
              assertThat(p.line()).isEqualTo(line);
            });
  }

  @Test
  void duplicateIdsAndCyclesAreRefused() {
    String dup =
        "health-checks:\n  - id: a\n    type: tcp\n    ip-address: 127.0.0.1\n  - id: a\n    type: tcp\n    ip-address: 127.0.0.1\n";
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> HealthChecksConfig.parse(section(dup)));
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .anySatisfy(m -> assertThat(m).contains("declared twice (first at line 2)"));
    String cycle =
        "health-checks:\n  - id: a\n    type: calculated\n    child-health-checks: [b]\n  - id: b\n    type: calculated\n    child-health-checks: [a]\n";
    e = catchThrowableOfType(ConfigException.class, () -> HealthChecksConfig.parse(section(cycle)));
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .anySatisfy(m -> assertThat(m).contains("cycle"));
  }
}
