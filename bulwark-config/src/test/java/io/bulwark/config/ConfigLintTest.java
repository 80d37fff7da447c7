package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each lint rule against a configuration that shows it, and one that does not. */
class ConfigLintTest {
  @TempDir static Path base;

  @BeforeAll
  static void layout() throws IOException {
    ConfigValidationTest.prepareBaseDir(base);
  }

  /** Two static origins in a group: the quickstart's shape, which lint has nothing to say about. */
  private static final String STATIC_PAIR =
      """
      static-origins:
        - {id: site-a, root: site-a}
        - {id: site-b, root: site-b}
      origins:
        - {id: primary, static: site-a}
        - {id: secondary, static: site-b}
      """;

  private static final String LOCKED_API =
      """
        - id: api
          domain-name: api.example.test
          custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}}
      """;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "a clean configuration has no findings",
            STATIC_PAIR
                + LOCKED_API
                + """
                origin-groups:
                  - id: og
                    members: [primary, secondary]
                    failover-status-codes: [500, 502, 503, 504, 404]
                distributions:
                  - id: d
                    hosts: [localhost]
                    default-behavior: {target: og, cache-policy: CachingOptimized}
                """,
            List.of()),
        Arguments.of(
            "row 1: a behavior targeting an origin never fails over",
            STATIC_PAIR
                + """
                distributions:
                  - id: d
                    hosts: [localhost]
                    default-behavior:
                      target: primary
                      cache-policy: CachingOptimized
                """,
            List.of(
                "WARNING origin-target-no-failover 11 distributions[0].default-behavior.target")),
        Arguments.of(
            "row 2: a group failing over on 5xx only leaves the 429/4xx gap",
            STATIC_PAIR
                + """
                origin-groups:
                  - id: og
                    members: [primary, secondary]
                    failover-status-codes: [500, 502, 503, 504]
                """,
            List.of("INFO failover-4xx-gap 10 origin-groups[0].failover-status-codes")),
        Arguments.of(
            "row 3: all headers in the key of a caching behavior",
            STATIC_PAIR
                + """
                origin-groups:
                  - id: og
                    members: [primary, secondary]
                    failover-status-codes: [503, 404]
                cache-policies:
                  - id: per-request
                    headers: {behavior: all}
                  - id: all-cookies-uncached
                    min-ttl: 0s
                    default-ttl: 0s
                    max-ttl: 0s
                    cookies: {behavior: all}
                distributions:
                  - id: d
                    hosts: [localhost]
                    default-behavior: {target: og, cache-policy: all-cookies-uncached}
                    behaviors:
                      - path: /pages/*
                        target: og
                        cache-policy: per-request
                """,
            List.of("WARNING cache-key-all 26 distributions[0].behaviors[0].cache-policy")),
        Arguments.of(
            "row 3: all cookies but one in the key is all cookies too",
            STATIC_PAIR
                + """
                origin-groups:
                  - id: og
                    members: [primary, secondary]
                    failover-status-codes: [503, 404]
                cache-policies:
                  - id: cookies
                    cookies: {behavior: all-except, items: [tracking]}
                distributions:
                  - id: d
                    hosts: [localhost]
                    default-behavior:
                      target: og
                      cache-policy: cookies
                """,
            List.of("WARNING cache-key-all 19 distributions[0].default-behavior.cache-policy")),
        Arguments.of(
            "row 4: a network origin without a secret header is reachable around the edge",
            """
            origins:
              - id: api
                domain-name: api.example.test
            """,
            List.of("WARNING origin-no-secret-header 2 origins[0]")),
        Arguments.of(
            "row 11: http-only to a remote origin is plaintext",
            """
            origins:
              - id: api
                domain-name: api.example.test
                protocol-policy: http-only
                custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}}
            """,
            List.of("WARNING origin-plaintext 4 origins[0].protocol-policy")),
        Arguments.of(
            "row 11: match-viewer to a remote origin is plaintext for HTTP viewers",
            """
            origins:
              - id: api
                domain-name: 10.0.0.5
                protocol-policy: match-viewer
                custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}}
            """,
            List.of("WARNING origin-plaintext 4 origins[0].protocol-policy")),
        Arguments.of(
            "row 11: http-only to a loopback origin never leaves the machine",
            """
            origins:
              - id: local
                domain-name: 127.0.0.1
                protocol-policy: http-only
                custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}}
              - id: local6
                domain-name: "::1"
                protocol-policy: http-only
                custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}}
              - id: localhost
                domain-name: localhost
                protocol-policy: http-only
                custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}}
            """,
            List.of()),
        Arguments.of(
            "row 15: TLS below 1.2 towards the origin",
            """
            origins:
              - id: api
                domain-name: api.example.test
                min-tls: TLSv1.1
                custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}}
              - id: legacy
                domain-name: legacy.example.test
                min-tls: TLSv1
                custom-headers: {X-Origin-Verify: {env: ORIGIN_SECRET}}
            """,
            List.of(
                "WARNING origin-weak-tls 4 origins[0].min-tls",
                "WARNING origin-weak-tls 8 origins[1].min-tls")),
        Arguments.of(
            "writes through a group never fail over",
            STATIC_PAIR
                + """
                origin-groups:
                  - id: og
                    members: [primary, secondary]
                    failover-status-codes: [503, 404]
                distributions:
                  - id: d
                    hosts: [localhost]
                    default-behavior: {target: og, cache-policy: CachingOptimized}
                    behaviors:
                      - path: /api/*
                        target: og
                        cache-policy: CachingDisabled
                        allowed-methods: [GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE]
                """,
            List.of(
                "INFO writes-never-fail-over 19 distributions[0].behaviors[0].allowed-methods")),
        Arguments.of(
            "findings come in file order",
            """
            origins:
              - id: api
                domain-name: api.example.test
                protocol-policy: http-only
            distributions:
              - id: d
                hosts: [localhost]
                default-behavior: {target: api, cache-policy: CachingDisabled}
            """,
            List.of(
                "WARNING origin-no-secret-header 2 origins[0]",
                "WARNING origin-plaintext 4 origins[0].protocol-policy",
                "WARNING origin-target-no-failover 8 distributions[0].default-behavior.target")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void findings(String name, String yaml, List<String> expected) throws Exception {
    ConfigSnapshot s = ConfigLoader.load("lint.yaml", yaml, base, ConfigValidationTest.ENV);
    List<String> got =
        ConfigLint.lint(s).stream()
            .map(f -> f.severity() + " " + f.rule() + " " + f.line() + " " + f.path())
            .toList();
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void aFindingSaysWhatHappensWhereAndTheFix() throws Exception {
    ConfigSnapshot s =
        ConfigLoader.load(
            "lint.yaml",
            STATIC_PAIR
                + """
                distributions:
                  - id: d
                    hosts: [localhost]
                    default-behavior: {target: primary, cache-policy: CachingOptimized}
                """,
            base,
            ConfigValidationTest.ENV);
    LintFinding f = ConfigLint.lint(s).get(0);
    assertThat(f.file()).isEqualTo("lint.yaml");
    assertThat(f.message())
        .isEqualTo(
            "behavior 'default' of distribution 'd' targets origin 'primary' directly, so it"
                + " never fails over: when that origin fails, viewers get the error (seed 002"
                + " playbook row 1)");
    assertThat(f.fix()).contains("origin group");
    assertThat(f.toString())
        .startsWith("lint.yaml:10: warning: distributions[0].default-behavior.target: behavior")
        .contains("[origin-target-no-failover]")
        .endsWith("point target at the group)");
  }
}
