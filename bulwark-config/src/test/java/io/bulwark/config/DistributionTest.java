package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Behaviors are tried in file order, the first match wins, the default catches the rest. */
class DistributionTest {
  private static final OriginSpec ORIGIN =
      new OriginSpec(
          "o",
          "127.0.0.1",
          80,
          443,
          null,
          "",
          OriginSpec.OriginProtocolPolicy.HTTP_ONLY,
          "TLSv1.2",
          true,
          3,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          List.of(),
          null);
  private static final OriginGroupSpec GROUP =
      new OriginGroupSpec("origin:o", List.of(ORIGIN), Set.of(), true);
  private static final CachePolicy POLICY =
      new CachePolicy(
          "p",
          Duration.ZERO,
          Duration.ZERO,
          Duration.ZERO,
          KeyFields.NONE,
          KeyFields.NONE,
          KeyFields.NONE,
          false,
          false,
          false);

  private static Behavior behavior(String pattern) {
    return new Behavior(
        pattern == null ? null : PathPattern.compile(pattern),
        GROUP,
        POLICY,
        null,
        ViewerProtocolPolicy.ALLOW_ALL,
        Set.of("GET", "HEAD"),
        Set.of("GET", "HEAD"),
        true);
  }

  // Deliberately not most-specific-first: /images/* precedes /images/thumbs/*, so the second can
  // only match what the first does not (nothing under /images/). Order is the user's, as in
  // CloudFront.
  private static final Distribution SITE =
      new Distribution(
          "site",
          List.of("localhost"),
          null,
          List.of(
              behavior("/api/v1/*"),
              behavior("/api/*"),
              behavior("/images/*"),
              behavior("/images/thumbs/*"),
              behavior("*.css")),
          behavior(null),
          null);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/api/v1/users, /api/v1/*",
    "/api/v2/users, /api/*",
    "/api/, /api/*",
    "/api, default",
    "/images/thumbs/a.png, /images/*",
    "/images/a.png, /images/*",
    "/static/site.css, *.css",
    "/api/v1/site.css, /api/v1/*",
    "/IMAGES/a.png, default",
    "/, default",
    "/index.html, default",
  })
  void theFirstMatchingBehaviorWinsElseTheDefault(String path, String expected) {
    Behavior b = SITE.behaviorFor(path);
    assertThat(b.isDefault() ? "default" : b.pattern().pattern()).isEqualTo(expected);
  }
}
