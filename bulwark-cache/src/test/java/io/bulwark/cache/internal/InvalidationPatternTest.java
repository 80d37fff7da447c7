package io.bulwark.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CloudFront invalidation paths and the bounded log of recent invalidations. */
class InvalidationPatternTest {

  static Stream<Arguments> matches() {
    return Stream.of(
        arguments("'/*' matches every path", "/*", "/a/b/c.html", true),
        arguments("'/*' matches the root", "/*", "/", true),
        arguments("trailing '*' matches across '/'", "/images/*", "/images/2026/a.png", true),
        arguments("trailing '*' matches the empty rest", "/images/*", "/images/", true),
        arguments("trailing '*' needs the prefix", "/images/*", "/imagesX/a.png", false),
        arguments("'*' in the middle", "/a/*/c", "/a/b/x/c", true),
        arguments("several '*' backtrack", "/*a*b", "/xaybzb", true),
        arguments("several '*' fail cleanly", "/*a*b", "/xaybzc", false),
        arguments(
            "'?' is literal, not a wildcard (and starts a dropped query)", "/a?", "/ab", false),
        arguments("a query in the pattern is dropped", "/a.css?v=3", "/a.css", true),
        arguments("exact path", "/index.html", "/index.html", true),
        arguments("exact path is not a prefix", "/index", "/index.html", false),
        arguments("case-sensitive", "/A", "/a", false),
        arguments("leading '/' added", "a/*", "/a/b", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("matches")
  void matchesLikeCloudFrontInvalidationPaths(
      String rule, String pattern, String path, boolean matches) {
    assertThat(InvalidationPattern.compile(pattern).matches(path)).isEqualTo(matches);
  }

  @Test
  void theLogRefusesOverlappingFillsAndEverythingBeforeItsHorizon() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    InvalidationLog log = new InvalidationLog(2);
    log.record("d", InvalidationPattern.compile("/a"), t.plusSeconds(10));
    assertThat(log.invalidatesFill("d", "/a", t.plusSeconds(9))).isTrue();
    assertThat(log.invalidatesFill("d", "/a", t.plusSeconds(11))).isFalse();
    assertThat(log.invalidatesFill("d", "/b", t.plusSeconds(9))).isFalse();
    assertThat(log.invalidatesFill("e", "/a", t.plusSeconds(9))).isFalse();

    // An out-of-order (earlier) time is recorded as the newest one, never earlier.
    log.record("d", InvalidationPattern.compile("/b"), t.plusSeconds(5));
    assertThat(log.invalidatesFill("d", "/b", t.plusSeconds(8))).isTrue();

    log.record("d", InvalidationPattern.compile("/c"), t.plusSeconds(20)); // forgets "/a" at 10 s
    assertThat(log.size()).isEqualTo(2);
    assertThat(log.invalidatesFill("d", "/zzz", t.plusSeconds(10))).isTrue();
    assertThat(log.invalidatesFill("d", "/a", t.plusSeconds(10).plusNanos(1))).isFalse();
  }
}
