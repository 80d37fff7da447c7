package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.config.OriginSpec.OriginProtocolPolicy;
import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final String SECRET = ConfigValidationTest.SECRET;
  private static final String FILE_SECRET = ConfigValidationTest.FILE_SECRET;
  private static final Map<String, String> ENV = ConfigValidationTest.ENV;

  @TempDir static Path base;

  @BeforeAll
  static void layout() throws IOException {
    ConfigValidationTest.prepareBaseDir(base);
  }

  /** The schema example of docs/configuration.md, complete. */
  static final String FULL =
      """
      edge:
        http: 127.0.0.1:8080
        https: "[::1]:8443"
        max-request-line: 4KiB
        max-header-bytes: 32KB
        max-request-body: 1MiB
        idle-timeout: 30s
        request-header-timeout: 500ms
      admin:
        address: 127.0.0.1:9902
      logging:
        access-log: logs/access.log
      cache:
        max-bytes: 64MiB
        max-object-bytes: 1MiB
      static-origins:
        - id: site-a
          root: site-a
          address: 127.0.0.1:0
          index-document: home.html
        - id: site-b
          root: site-b
      origins:
        - id: primary
          static: site-a
        - id: secondary
          static: site-b
        - id: api
          domain-name: API.Internal
          http-port: 8080
          https-port: 8443
          origin-path: /v1
          protocol-policy: match-viewer
          min-tls: TLSv1.3
          verify-tls: false
          connection-attempts: 2
          connect-timeout: 2s
          response-timeout: 45s
          keepalive-timeout: 10s
          custom-headers:
            X-Origin-Verify: {env: ORIGIN_SECRET}
            X-From-File: {file: secret.txt}
            X-Plain: plain-value
      origin-groups:
        - id: og-site
          members: [primary, secondary]
          failover-status-codes: [504, 500, 503, 404]
      cache-policies:
        - id: site-cache
          min-ttl: 0s
          default-ttl: 1h
          max-ttl: 365d
          headers: {behavior: whitelist, items: [Authorization, X-Tenant]}
          cookies: {behavior: all-except, items: [tracking]}
          query-strings: {behavior: all}
          gzip: false
          brotli: true
          cache-private-at-min-ttl: true
      origin-request-policies:
        - id: my-orp
          headers: {behavior: all-viewer}
          cookies: {behavior: none}
          query-strings: {behavior: whitelist, items: [page]}
      distributions:
        - id: site
          hosts: [LocalHost, 127.0.0.1, "*.Example.Test", "[::1]"]
          tls: {certificate: cert.pem, private-key: key.pem, min-protocol: TLSv1.3}
          web-acl: default-acl
          default-behavior:
            target: og-site
            cache-policy: site-cache
            origin-request-policy: AllViewerExceptHostHeader
            viewer-protocol-policy: redirect-to-https
            allowed-methods: [head, get, options]
            cached-methods: [GET, HEAD, OPTIONS]
            compress: false
          behaviors:
            - path: api/*
              target: api
              cache-policy: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad
              origin-request-policy: my-orp
              viewer-protocol-policy: https-only
              allowed-methods: [DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT]
            - path: /static/*
              target: og-site
              cache-policy: CachingOptimized
          custom-error-responses:
            - error-code: 404
              response-page-path: /errors/404.html
            - error-code: 503
              response-page-path: /errors/503.html
              response-code: 200
              error-caching-min-ttl: 30s
            - error-code: 500
              error-caching-min-ttl: 0s
        - id: other
          hosts: [other.test]
          tls: {}
          default-behavior: {target: api, cache-policy: CachingDisabled}
      web-acls:
        - name: default-acl
      health-checks: {}
      dns: {zones: []}
      """;

  private static ConfigSnapshot load(String yaml) throws ConfigException {
    return ConfigLoader.load("test.yaml", yaml, base, ENV);
  }

  @Test
  void everyValueOfTheFullExampleIsRead() throws Exception {
    ConfigSnapshot s = load(FULL);

    assertThat(s.source()).isEqualTo(Path.of("test.yaml"));
    assertThat(s.edge())
        .isEqualTo(
            new EdgeSettings(
                new HostPort("127.0.0.1", 8080),
                new HostPort("::1", 8443),
                4096,
                32000,
                1 << 20,
                Duration.ofSeconds(30),
                Duration.ofMillis(500)));
    assertThat(s.edge().https()).hasToString("[::1]:8443");
    assertThat(s.admin().address()).isEqualTo(new HostPort("127.0.0.1", 9902));
    assertThat(s.logging().accessLog()).isEqualTo(base.resolve("logs/access.log").toString());
    assertThat(s.cache()).isEqualTo(new CacheSettings(64L << 20, 1L << 20));

    assertThat(s.staticOrigins()).containsOnlyKeys("site-a", "site-b");
    assertThat(s.staticOrigins().get("site-a"))
        .isEqualTo(
            new StaticOriginSpec(
                "site-a", base.resolve("site-a"), new HostPort("127.0.0.1", 0), "home.html"));
    assertThat(s.staticOrigins().get("site-b").indexDocument()).isEqualTo("index.html");

    assertThat(s.origins().keySet()).containsExactly("primary", "secondary", "api");
    OriginSpec primary = s.origins().get("primary");
    assertThat(primary.staticOriginId()).isEqualTo("site-a");
    assertThat(primary.host()).isEqualTo("127.0.0.1");
    assertThat(primary.httpPort()).isZero(); // resolved when the static origin starts
    assertThat(primary.protocolPolicy()).isEqualTo(OriginProtocolPolicy.HTTP_ONLY);
    OriginSpec api = s.origins().get("api");
    assertThat(api.host()).isEqualTo("api.internal");
    assertThat(api.httpPort()).isEqualTo(8080);
    assertThat(api.httpsPort()).isEqualTo(8443);
    assertThat(api.staticOriginId()).isNull();
    assertThat(api.pathPrefix()).isEqualTo("/v1");
    assertThat(api.protocolPolicy()).isEqualTo(OriginProtocolPolicy.MATCH_VIEWER);
    assertThat(api.minTls()).isEqualTo("TLSv1.3");
    assertThat(api.verifyTls()).isFalse();
    assertThat(api.connectionAttempts()).isEqualTo(2);
    assertThat(api.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(api.responseTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(api.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(api.customHeaders())
        .extracting(OriginSpec.CustomHeader::name)
        .containsExactly("X-Origin-Verify", "X-From-File", "X-Plain");

    OriginGroupSpec og = s.originGroups().get("og-site");
    assertThat(og.members()).containsExactly(primary, s.origins().get("secondary"));
    assertThat(og.failoverStatusCodes()).containsExactly(404, 500, 503, 504); // sorted
    assertThat(og.implicit()).isFalse();

    CachePolicy site = s.cachePolicies().get("site-cache");
    assertThat(site)
        .isEqualTo(
            new CachePolicy(
                "site-cache",
                Duration.ZERO,
                Duration.ofHours(1),
                Duration.ofDays(365),
                new KeyFields(KeyFields.Behavior.WHITELIST, List.of("authorization", "x-tenant")),
                new KeyFields(KeyFields.Behavior.ALL_EXCEPT, List.of("tracking")),
                KeyFields.ALL,
                false,
                true,
                true));
    assertThat(s.originRequestPolicies().get("my-orp"))
        .isEqualTo(
            new OriginRequestPolicy(
                "my-orp",
                KeyFields.ALL,
                KeyFields.NONE,
                new KeyFields(KeyFields.Behavior.WHITELIST, List.of("page"))));

    assertThat(s.distributions()).extracting(Distribution::id).containsExactly("site", "other");
    Distribution d = s.distributions().get(0);
    assertThat(d.hosts()).containsExactly("localhost", "127.0.0.1", "*.example.test", "::1");
    assertThat(d.tls())
        .isEqualTo(new TlsSettings(base.resolve("cert.pem"), base.resolve("key.pem"), "TLSv1.3"));
    assertThat(d.webAcl()).isEqualTo("default-acl");
    Behavior def = d.defaultBehavior();
    assertThat(def.isDefault()).isTrue();
    assertThat(def.target()).isSameAs(og);
    assertThat(def.cachePolicy()).isSameAs(site);
    assertThat(def.originRequestPolicy().id()).isEqualTo("AllViewerExceptHostHeader");
    assertThat(def.viewerProtocolPolicy()).isEqualTo(ViewerProtocolPolicy.REDIRECT_TO_HTTPS);
    assertThat(def.allowedMethods()).containsExactly("GET", "HEAD", "OPTIONS");
    assertThat(def.cachedMethods()).containsExactly("GET", "HEAD", "OPTIONS");
    assertThat(def.compress()).isFalse();

    Behavior apiBehavior = d.behaviors().get(0);
    assertThat(apiBehavior.pattern().pattern()).isEqualTo("/api/*");
    assertThat(apiBehavior.target().id()).isEqualTo("origin:api");
    assertThat(apiBehavior.target().implicit()).isTrue();
    assertThat(apiBehavior.target().members()).containsExactly(api);
    assertThat(apiBehavior.target().failoverStatusCodes()).isEmpty();
    assertThat(apiBehavior.cachePolicy().id()).isEqualTo("CachingDisabled");
    assertThat(apiBehavior.originRequestPolicy().id()).isEqualTo("my-orp");
    assertThat(apiBehavior.viewerProtocolPolicy()).isEqualTo(ViewerProtocolPolicy.HTTPS_ONLY);
    assertThat(apiBehavior.allowedMethods())
        .containsExactly("GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE");
    assertThat(apiBehavior.cachedMethods()).containsExactly("GET", "HEAD");
    assertThat(apiBehavior.compress()).isTrue();
    assertThat(d.behaviorFor("/api/users")).isSameAs(apiBehavior);
    assertThat(d.behaviorFor("/static/app.js")).isSameAs(d.behaviors().get(1));
    assertThat(d.behaviorFor("/")).isSameAs(def);

    assertThat(d.customErrorResponses())
        .containsExactly(
            new CustomErrorResponse(404, "/errors/404.html", 0, null),
            new CustomErrorResponse(503, "/errors/503.html", 200, Duration.ofSeconds(30)),
            new CustomErrorResponse(500, null, 0, Duration.ZERO));
    assertThat(d.customErrorResponse(404).statusWithPage(404)).isEqualTo(404);
    assertThat(d.customErrorResponse(503).statusWithPage(503)).isEqualTo(200);
    assertThat(d.customErrorResponse(500).hasPage()).isFalse();
    assertThat(d.customErrorResponse(502)).isNull();
    assertThat(d.errorCachingMinTtl(503)).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.errorCachingMinTtl(500)).isEqualTo(Duration.ZERO);
    assertThat(d.errorCachingMinTtl(404)).isNull(); // the cache policy's error-caching-ttl
    assertThat(d.hasCustomErrorPages()).isTrue();

    Distribution other = s.distributions().get(1);
    assertThat(other.customErrorResponses()).isEmpty();
    assertThat(other.hasCustomErrorPages()).isFalse();
    assertThat(other.tls()).isEqualTo(new TlsSettings(null, null, "TLSv1.2"));
    // One implicit group per origin, shared by every behavior naming it.
    assertThat(other.defaultBehavior().target()).isSameAs(apiBehavior.target());
    assertThat(s.originGroups().keySet()).containsExactly("og-site", "origin:api");

    assertThat(s.raw().get("dns").get("zones").isList()).isTrue();
    assertThat(s.raw().get("web-acls").items()).hasSize(1);
  }

  @Test
  void absentSectionsTakeTheirDefaults() throws Exception {
    ConfigSnapshot s = load("web-acls: []\n");
    assertThat(s.edge())
        .isEqualTo(
            new EdgeSettings(
                new HostPort("127.0.0.1", 8080),
                null,
                8192,
                16384,
                10L << 20,
                Duration.ofSeconds(60),
                Duration.ofSeconds(10)));
    assertThat(s.admin().address()).isEqualTo(new HostPort("127.0.0.1", 9901));
    assertThat(s.logging().accessLog()).isEqualTo("stdout");
    assertThat(s.logging().enabled()).isTrue();
    assertThat(s.cache()).isEqualTo(new CacheSettings(256L << 20, 10L << 20));
    assertThat(s.origins()).isEmpty();
    assertThat(s.distributions()).isEmpty();
    assertThat(s.cachePolicies().keySet())
        .containsExactly(
            "CachingOptimized", "CachingOptimizedForUncompressedObjects", "CachingDisabled");
    assertThat(s.originRequestPolicies().keySet())
        .containsExactly(
            "AllViewer",
            "AllViewerExceptHostHeader",
            "CORS-CustomOrigin",
            "CORS-S3Origin",
            "UserAgentRefererHeaders");
  }

  @Test
  void defaultsInsideWrittenSections() throws Exception {
    ConfigSnapshot s =
        load(
            """
            edge:
              https: 127.0.0.1:0
            logging:
              access-log: "off"
            origins:
              - id: a
                domain-name: a.example
            cache-policies:
              - id: p
            """);
    // In a written edge section, what is not written is off.
    assertThat(s.edge().http()).isNull();
    assertThat(s.edge().https()).isEqualTo(new HostPort("127.0.0.1", 0));
    assertThat(s.logging().enabled()).isFalse();
    OriginSpec a = s.origins().get("a");
    assertThat(a)
        .isEqualTo(
            new OriginSpec(
                "a",
                "a.example",
                80,
                443,
                null,
                "",
                OriginProtocolPolicy.HTTPS_ONLY,
                "TLSv1.2",
                true,
                3,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                List.of(),
                null));
    assertThat(s.cachePolicies().get("p"))
        .isEqualTo(
            new CachePolicy(
                "p",
                Duration.ZERO,
                Duration.ofDays(1),
                Duration.ofDays(365),
                KeyFields.NONE,
                KeyFields.NONE,
                KeyFields.NONE,
                true,
                true,
                false));
  }

  @ParameterizedTest(name = "cache-policy {0}")
  @CsvSource({
    "CachingOptimized, CachingOptimized",
    "658327ea-f89d-4fab-a63d-7e88639e58f6, CachingOptimized",
    "CachingOptimizedForUncompressedObjects, CachingOptimizedForUncompressedObjects",
    "b2884449-e4de-46a7-ac36-70bc7f1ddd6d, CachingOptimizedForUncompressedObjects",
    "CachingDisabled, CachingDisabled",
    "4135ea2d-6df8-44a3-9df3-4b5a84be39ad, CachingDisabled",
    "4135EA2D-6DF8-44A3-9DF3-4B5A84BE39AD, CachingDisabled",
  })
  void managedCachePoliciesByNameAndById(String ref, String name) throws Exception {
    Behavior b = behaviorWith("cache-policy: " + ref);
    assertThat(b.cachePolicy().id()).isEqualTo(name);
  }

  @ParameterizedTest(name = "origin-request-policy {0}")
  @CsvSource({
    "AllViewer, AllViewer",
    "216adef6-5c7f-47e4-b989-5492eb8d9882, AllViewer",
    "AllViewerExceptHostHeader, AllViewerExceptHostHeader",
    "b689b0a8-53d0-40ab-baf2-68738e2966ac, AllViewerExceptHostHeader",
    "CORS-CustomOrigin, CORS-CustomOrigin",
    "59781a5b-3903-41f3-afcb-af62929ccde1, CORS-CustomOrigin",
    "CORS-S3Origin, CORS-S3Origin",
    "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf, CORS-S3Origin",
    "UserAgentRefererHeaders, UserAgentRefererHeaders",
    "acba4595-bd28-49b8-b9fe-13317c0390fa, UserAgentRefererHeaders",
  })
  void managedOriginRequestPoliciesByNameAndById(String ref, String name) throws Exception {
    Behavior b = behaviorWith("cache-policy: CachingDisabled\n    origin-request-policy: " + ref);
    assertThat(b.originRequestPolicy().id()).isEqualTo(name);
  }

  private static Behavior behaviorWith(String lines) throws ConfigException {
    return load("""
            origins:
              - id: a
                domain-name: a.example
            distributions:
              - id: d
                hosts: [localhost]
                default-behavior:
                  target: a
            """
            + "      "
            + lines.replace("\n    ", "\n      ")
            + "\n")
        .distributions()
        .get(0)
        .defaultBehavior();
  }

  @Test
  void managedPoliciesHaveCloudFrontsValues() throws Exception {
    ConfigSnapshot s = load("web-acls: []\n");
    CachePolicy optimized = s.cachePolicies().get("CachingOptimized");
    assertThat(optimized.minTtl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(optimized.defaultTtl()).isEqualTo(Duration.ofSeconds(86_400));
    assertThat(optimized.maxTtl()).isEqualTo(Duration.ofSeconds(31_536_000));
    assertThat(optimized.gzip()).isTrue();
    assertThat(optimized.brotli()).isTrue();
    assertThat(List.of(optimized.headers(), optimized.cookies(), optimized.queryStrings()))
        .containsOnly(KeyFields.NONE);
    CachePolicy uncompressed = s.cachePolicies().get("CachingOptimizedForUncompressedObjects");
    assertThat(uncompressed.gzip() || uncompressed.brotli()).isFalse();
    assertThat(uncompressed.maxTtl()).isEqualTo(optimized.maxTtl());
    assertThat(s.cachePolicies().get("CachingDisabled").cachingDisabled()).isTrue();
    assertThat(optimized.cachingDisabled()).isFalse();

    Map<String, OriginRequestPolicy> orp = s.originRequestPolicies();
    assertThat(orp.get("AllViewer").headers().includes("host")).isTrue();
    assertThat(orp.get("AllViewer").cookies()).isEqualTo(KeyFields.ALL);
    assertThat(orp.get("AllViewerExceptHostHeader").headers().includes("host")).isFalse();
    assertThat(orp.get("AllViewerExceptHostHeader").headers().includes("x-any")).isTrue();
    assertThat(orp.get("CORS-CustomOrigin").headers().items()).containsExactly("origin");
    assertThat(orp.get("CORS-S3Origin").headers().items())
        .containsExactly(
            "origin", "access-control-request-headers", "access-control-request-method");
    assertThat(orp.get("UserAgentRefererHeaders").headers().items())
        .containsExactly("user-agent", "referer");
  }

  @Test
  void secretsComeFromEnvFileOrInlineAndAreNeverPrinted() throws Exception {
    ConfigSnapshot s = load(FULL);
    List<OriginSpec.CustomHeader> headers = s.origins().get("api").customHeaders();
    assertThat(headers.get(0).value().source()).isEqualTo("env:ORIGIN_SECRET");
    assertThat(headers.get(0).value().reveal()).isEqualTo(SECRET);
    assertThat(headers.get(1).value().source()).isEqualTo("file:secret.txt");
    assertThat(headers.get(1).value().reveal()).isEqualTo(FILE_SECRET); // newline trimmed
    assertThat(headers.get(2).value().source()).isEqualTo("inline");
    assertThat(headers.get(2).value().reveal()).isEqualTo("plain-value");

    assertThat(headers.get(0).toString()).contains("X-Origin-Verify").doesNotContain(SECRET);
    assertThat(s.origins().get("api").toString())
        .doesNotContain(SECRET)
        .doesNotContain(FILE_SECRET)
        .doesNotContain("plain-value");
    assertThat(s.toString())
        .contains("env:ORIGIN_SECRET")
        .doesNotContain(SECRET)
        .doesNotContain(FILE_SECRET)
        .doesNotContain("plain-value");
    assertThat(ConfigLint.lint(s).toString()).doesNotContain(SECRET).doesNotContain(FILE_SECRET);
  }

  @Test
  void theChallengeSecretIsReadLikeOriginSecretsAndNeverPrinted() throws Exception {
    String key = "k3y-from-env-0123456789abcdef0123456789";
    Files.writeString(base.resolve("challenge.key"), "k3y-from-file-0123456789abcdef012345678\n");
    ConfigSnapshot fromEnv =
        ConfigLoader.load(
            "c.yaml",
            "waf:\n  challenge-secret: {env: CHALLENGE_SECRET}\n",
            base,
            Map.of("CHALLENGE_SECRET", key));
    assertThat(fromEnv.waf().challengeSecret().source()).isEqualTo("env:CHALLENGE_SECRET");
    assertThat(fromEnv.waf().challengeSecret().reveal()).isEqualTo(key);
    assertThat(fromEnv.toString()).contains("env:CHALLENGE_SECRET").doesNotContain(key);

    ConfigSnapshot fromFile = load("waf:\n  challenge-secret: {file: challenge.key}\n");
    assertThat(fromFile.waf().challengeSecret().reveal())
        .isEqualTo("k3y-from-file-0123456789abcdef012345678"); // newline trimmed
    assertThat(fromFile.toString()).doesNotContain("k3y-from-file");

    // Exactly 32 bytes is enough; the length counts UTF-8 bytes, not characters.
    assertThat(load("waf: {challenge-secret: " + "x".repeat(32) + "}\n").waf().challengeSecret())
        .isNotNull();
    assertThatThrownBy(() -> load("waf: {challenge-secret: " + "é".repeat(15) + "}\n"))
        .hasMessageContaining("is 30 bytes");
    assertThat(load("waf: {challenge-secret: " + "é".repeat(16) + "}\n").waf().challengeSecret())
        .isNotNull();

    assertThat(load("origins: []\n").waf()).isEqualTo(WafSettings.DEFAULTS);
    assertThat(load("waf: {}\n").waf().challengeSecret()).isNull();
  }

  @Test
  void aWindowsLineEndingAfterAFileSecretIsTrimmedToo() throws Exception {
    Files.writeString(base.resolve("crlf.txt"), "value-with-crlf\r\n");
    ConfigSnapshot s =
        load(
            """
            origins:
              - id: a
                domain-name: a.example
                custom-headers:
                  X-Origin-Verify: {file: crlf.txt}
            """);
    assertThat(s.origins().get("a").customHeaders().get(0).value().reveal())
        .isEqualTo("value-with-crlf");
  }

  @Test
  void theSnapshotCannotBeChanged() throws Exception {
    ConfigSnapshot s = load(FULL);
    assertThatThrownBy(() -> s.origins().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.cachePolicies().remove("CachingDisabled"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.distributions().add(null))
        .isInstanceOf(UnsupportedOperationException.class);
    Distribution d = s.distributions().get(0);
    assertThatThrownBy(() -> d.behaviors().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> d.hosts().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> d.defaultBehavior().allowedMethods().add("TRACE"))
        .isInstanceOf(UnsupportedOperationException.class);
    Set<Integer> codes = s.originGroups().get("og-site").failoverStatusCodes();
    assertThatThrownBy(() -> codes.add(429)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> s.origins().get("api").customHeaders().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void loadingAFileResolvesRelativePathsAgainstItsFolder() throws Exception {
    Path dir = Files.createDirectories(base.resolve("conf"));
    Files.createDirectories(dir.resolve("www"));
    Files.writeString(dir.resolve("header.secret"), "from-conf-folder\n");
    Path file = dir.resolve("bulwark.yaml");
    Files.writeString(
        file,
        """
        static-origins:
          - id: www
            root: www
        origins:
          - id: site
            static: www
          - id: api
            domain-name: api.example
            custom-headers:
              X-Origin-Verify: {file: header.secret}
        """);
    ConfigSnapshot s = ConfigLoader.load(file);
    assertThat(s.source()).isEqualTo(file);
    assertThat(s.staticOrigins().get("www").root()).isEqualTo(dir.resolve("www"));
    assertThat(s.origins().get("api").customHeaders().get(0).value().reveal())
        .isEqualTo("from-conf-folder");
  }

  @Test
  void theQuickstartIsValidAndLintsCleanOfWarnings() throws Exception {
    ConfigSnapshot s = ConfigLoader.load(Path.of("..", "examples", "quickstart.yaml"));
    assertThat(s.distributions()).isNotEmpty();
    assertThat(ConfigLint.lint(s))
        .extracting(LintFinding::severity)
        .doesNotContain(LintFinding.Severity.WARNING);
  }

  @Test
  void aMissingFileIsAProblemNotACrash() {
    Path missing = base.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml")
        .hasMessageContaining("cannot read the file");
  }

  /**
   * The four invalid configurations of the acceptance list, as files a user can run: each
   * gives exactly one problem naming the file and line.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "failover-429.yaml   | 11 | origin-groups[0].failover-status-codes[4]"
            + " | 429 is not eligible as a failover status",
        "unknown-target.yaml | 15 | distributions[0].default-behavior.target"
            + " | unknown target 'og-api'",
        "bad-yaml.yaml       | 8  | '' | not valid YAML",
        "bad-duration.yaml   | 5  | origins[0].response-timeout | '10 parsecs' is not a duration",
        "missing-env.yaml    | 7  | origins[0].custom-headers.X-Origin-Verify.env"
            + " | environment variable BULWARK_EXAMPLE_UNSET_SECRET is not set",
      })
  void theExampleErrorFilesGiveOneLocatedProblem(String name, int line, String path, String message)
      throws Exception {
    Path file = Path.of("..", "examples", "config-errors", name);
    // Through the text overload, so that missing-env.yaml does not depend on this process's env.
    String text = Files.readString(file);
    assertThatThrownBy(() -> ConfigLoader.load(file.toString(), text, file.getParent(), Map.of()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              ConfigProblem p = e.problems().get(0);
              assertThat(p.file()).isEqualTo(file.toString());
              assertThat(p.line()).isEqualTo(line);
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.message()).contains(message);
              assertThat(e.getMessage()).startsWith(file + ":" + line + ": ");
            });
  }

  @Test
  void theFourRequiredMessagesReadInFull() throws Exception {
    Path dir = Path.of("..", "examples", "config-errors");
    assertThat(problem(dir.resolve("failover-429.yaml")))
        .isEqualTo(
            dir.resolve("failover-429.yaml")
                + ":11: origin-groups[0].failover-status-codes[4]: 429 is not eligible as a"
                + " failover status: an origin group treats 429 Too Many Requests as a valid"
                + " answer and returns it to the viewer, so a primary shedding load never fails"
                + " over (fix: remove 429 and shed load at DNS instead, with a health-checked"
                + " failover record; failover statuses are chosen from 500, 502, 503, 504, 403,"
                + " 404, 408)");
    assertThat(problem(dir.resolve("unknown-target.yaml")))
        .isEqualTo(
            dir.resolve("unknown-target.yaml")
                + ":15: distributions[0].default-behavior.target: unknown target 'og-api': no"
                + " origin group or origin has this id (fix: did you mean 'og-app'? known origin"
                + " groups: og-app; known origins: primary, secondary)");
    assertThat(problem(dir.resolve("bad-duration.yaml")))
        .isEqualTo(
            dir.resolve("bad-duration.yaml")
                + ":5: origins[0].response-timeout: '10 parsecs' is not a duration (fix: write a"
                + " whole number with a unit: 500ms, 10s, 5m, 1h or 1d; a bare number means"
                + " seconds)");
    assertThat(problem(dir.resolve("bad-yaml.yaml")))
        .startsWith(dir.resolve("bad-yaml.yaml") + ":8: not valid YAML: ");
  }

  private static String problem(Path file) {
    try {
      ConfigLoader.load(file);
      throw new AssertionError("accepted " + file);
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }
}
