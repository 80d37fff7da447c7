package io.bulwark.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.bulwark.core.ManualClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Age (RFC 9111 4.2.3) and freshness (RFC 9111 4.2) with a manual clock. */
class FreshnessTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> initialAges() {
    return Stream.of(
        // rule, headers, request sent (seconds before T), expected corrected_initial_age (ms)
        arguments("no Age, no Date, no delay: age 0", new String[] {}, 0, 0L),
        arguments(
            "response delay counts (RFC 9111 4.2.3 response_delay)", new String[] {}, 2, 2000L),
        arguments(
            "upstream Age plus response delay (RFC 9111 4.2.3 corrected_age_value)",
            new String[] {"Age", "100"},
            2,
            102_000L),
        arguments(
            "apparent age from Date (RFC 9111 4.2.3 apparent_age)",
            new String[] {"Date", "Wed, 31 Dec 2025 23:59:30 GMT"},
            0,
            30_000L),
        arguments(
            "the larger of apparent age and corrected Age (RFC 9111 4.2.3)",
            new String[] {"Date", "Wed, 31 Dec 2025 23:59:30 GMT", "Age", "10"},
            1,
            30_000L),
        arguments(
            "Date ahead of our clock: apparent age 0, Age still counts (RFC 9111 4.2.3)",
            new String[] {"Date", "Thu, 01 Jan 2026 00:05:00 GMT", "Age", "5"},
            0,
            5_000L),
        arguments("invalid Age is ignored", new String[] {"Age", "abc"}, 0, 0L),
        arguments("Age with surrounding spaces is read", new String[] {"Age", " 7 "}, 0, 7_000L),
        arguments("negative Age is ignored", new String[] {"Age", "-7200"}, 0, 0L),
        arguments("float Age is ignored", new String[] {"Age", "7200.0"}, 0, 0L),
        arguments(
            "a list is read as its first member (RFC 9111 5.1): old, 0 is old",
            new String[] {"Age", "7200, 0"},
            0,
            7_200_000L),
        arguments(
            "a list is read as its first member (RFC 9111 5.1): 0, old is new",
            new String[] {"Age", "0, 7200"},
            0,
            0L),
        arguments(
            "several lines: the first is read (RFC 9111 5.1)",
            new String[] {"Age", "7200", "Age", "0"},
            0,
            7_200_000L),
        arguments(
            "Age above 2^31 is read as 2^31 (RFC 9111 1.2.2)",
            new String[] {"Age", "99999999999999"},
            0,
            2_147_483_648_000L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("initialAges")
  void initialAgeFollowsRfc9111(String rule, String[] headers, int sentSecondsBefore, long millis) {
    Duration age =
        CacheDecisions.initialAge(
            ResponseHeaders.of(headers), T.minusSeconds(sentSecondsBefore), T);
    assertThat(age).isEqualTo(Duration.ofMillis(millis));
  }

  static Stream<Arguments> freshness() {
    return Stream.of(
        // rule, ttl s, initial age ms, clock advance ms, fresh, age ms, remaining ms, stale ms
        arguments("just stored: fresh for the whole TTL", 60, 0L, 0L, true, 0L, 60_000L, 0L),
        arguments("one second before the end: fresh", 60, 0L, 59_000L, true, 59_000L, 1_000L, 0L),
        arguments(
            "age equal to lifetime is stale (RFC 9111 4.2: lifetime > age)",
            60,
            0L,
            60_000L,
            false,
            60_000L,
            0L,
            0L),
        arguments(
            "past the TTL: stale, and by how much", 60, 0L, 90_000L, false, 90_000L, 0L, 30_000L),
        arguments(
            "upstream age counts against the TTL (RFC 9111 4.2.3)",
            60,
            50_000L,
            5_000L,
            true,
            55_000L,
            5_000L,
            0L),
        arguments(
            "initial age beyond the TTL: stale at once",
            60,
            100_000L,
            0L,
            false,
            100_000L,
            0L,
            40_000L),
        arguments(
            "TTL 0 (no-cache): never fresh (RFC 9111 5.2.2.4)", 0, 0L, 0L, false, 0L, 0L, 0L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("freshness")
  void freshnessComparesLifetimeWithCurrentAge(
      String rule,
      long ttlSeconds,
      long initialAgeMillis,
      long advanceMillis,
      boolean fresh,
      long ageMillis,
      long remainingMillis,
      long staleMillis) {
    ManualClock clock = new ManualClock(T);
    CachedResponse entry = entry(clock.instant(), ttlSeconds, initialAgeMillis);
    clock.advance(Duration.ofMillis(advanceMillis));

    Freshness f = CacheDecisions.freshness(entry, clock.instant());

    assertThat(f.fresh()).isEqualTo(fresh);
    assertThat(f.currentAge()).isEqualTo(Duration.ofMillis(ageMillis));
    assertThat(f.remainingTtl()).isEqualTo(Duration.ofMillis(remainingMillis));
    assertThat(f.staleFor()).isEqualTo(Duration.ofMillis(staleMillis));
    assertThat(entry.freshness(clock.instant())).isEqualTo(f);
  }

  static Stream<Arguments> ageHeader() {
    return Stream.of(
        arguments("Age is whole seconds, rounded down (RFC 9111 5.1)", 59_900L, 59L),
        arguments("Age counts initial age plus residence", 0L, 0L),
        arguments(
            "Age above 2^31 is sent as 2^31 (RFC 9111 1.2.2)", 3_000_000_000_000L, 2_147_483_648L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ageHeader")
  void ageHeaderValue(String rule, long ageMillis, long seconds) {
    ManualClock clock = new ManualClock(T);
    CachedResponse entry = entry(clock.instant(), 60, 0);
    clock.advance(Duration.ofMillis(ageMillis));
    assertThat(entry.freshness(clock.instant()).ageSeconds()).isEqualTo(seconds);
  }

  @ParameterizedTest(name = "clock stepped back {0} s: residence counts as 0, never negative")
  @MethodSource("backwards")
  void clockSteppedBackDoesNotMakeAnEntryYounger(long secondsBack) {
    CachedResponse entry = entry(T, 60, 10_000);
    Freshness f = CacheDecisions.freshness(entry, T.minusSeconds(secondsBack));
    assertThat(f.currentAge()).isEqualTo(Duration.ofSeconds(10));
    assertThat(f.fresh()).isTrue();
  }

  static Stream<Long> backwards() {
    return Stream.of(1L, 3600L);
  }

  static CachedResponse entry(Instant storedAt, long ttlSeconds, long initialAgeMillis) {
    return CachedResponse.builder()
        .key(CacheKey.of("h /a\nae identity"))
        .distributionId("d")
        .path("/a")
        .status(200)
        .headers(ResponseHeaders.EMPTY)
        .body(ByteBuffer.allocateDirect(0))
        .storedAt(storedAt)
        .ttl(Duration.ofSeconds(ttlSeconds))
        .initialAge(Duration.ofMillis(initialAgeMillis))
        .build();
  }
}
