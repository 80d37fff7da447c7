package io.bulwark.cache;

import static io.bulwark.cache.StaleServing.Why.IF_ERROR;
import static io.bulwark.cache.StaleServing.Why.WHILE_REVALIDATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** May a stale response be served: one row per rule, citing its section. */
class StaleServingTest {
  record Row(
      String rule,
      String cacheControl,
      long staleForSeconds,
      StaleServing.Why why,
      long policyWindowSeconds,
      boolean allowed) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row(
            "within stale-while-revalidate (RFC 5861 3)",
            "max-age=60, stale-while-revalidate=30",
            29,
            WHILE_REVALIDATE,
            0,
            true),
        new Row(
            "past stale-while-revalidate (RFC 5861 3)",
            "max-age=60, stale-while-revalidate=30",
            30,
            WHILE_REVALIDATE,
            0,
            false),
        new Row(
            "no directive: no stale serving (RFC 9111 4.2.4)",
            "max-age=60",
            1,
            WHILE_REVALIDATE,
            0,
            false),
        new Row(
            "stale-if-error does not allow serving while revalidating (RFC 5861 4)",
            "max-age=60, stale-if-error=300",
            1,
            WHILE_REVALIDATE,
            0,
            false),
        new Row(
            "within stale-if-error (RFC 5861 4)",
            "max-age=60, stale-if-error=300",
            299,
            IF_ERROR,
            0,
            true),
        new Row(
            "past stale-if-error (RFC 5861 4)",
            "max-age=60, stale-if-error=300",
            300,
            IF_ERROR,
            0,
            false),
        new Row(
            "the policy's error window alone (serve stale when every origin fails)",
            "max-age=60",
            100,
            IF_ERROR,
            600,
            true),
        new Row(
            "the larger of the directive and the policy window counts",
            "stale-if-error=900",
            700,
            IF_ERROR,
            600,
            true),
        new Row(
            "must-revalidate forbids stale (RFC 9111 5.2.2.2)",
            "max-age=60, must-revalidate, stale-if-error=300",
            1,
            IF_ERROR,
            600,
            false),
        new Row(
            "proxy-revalidate forbids stale in a shared cache (RFC 9111 5.2.2.8)",
            "max-age=60, proxy-revalidate, stale-while-revalidate=30",
            1,
            WHILE_REVALIDATE,
            0,
            false),
        new Row(
            "s-maxage implies proxy-revalidate (RFC 9111 5.2.2.10)",
            "s-maxage=60, stale-while-revalidate=30",
            1,
            WHILE_REVALIDATE,
            0,
            false),
        new Row(
            "no-cache is never reused unvalidated (RFC 9111 5.2.2.4)",
            "no-cache, stale-if-error=300",
            1,
            IF_ERROR,
            600,
            false),
        new Row(
            "an invalid window is no window (RFC 9111 1.2.2)",
            "max-age=60, stale-while-revalidate=soon",
            1,
            WHILE_REVALIDATE,
            0,
            false));
  }

  @ParameterizedTest(name = "stored {0}: may stand in for a failed origin = {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "200, true",
    "301, true",
    "404, true",
    "410, true",
    "500, false",
    "503, false",
    "599, false"
  })
  void onlyANonErrorResponseStandsInForAnOriginError(int storedStatus, boolean allowed) {
    assertThat(StaleServing.mayStandInForError(storedStatus)).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void staleServing(Row r) {
    ResponseHeaders h = ResponseHeaders.of("Cache-Control", r.cacheControl());
    Duration stale = Duration.ofSeconds(r.staleForSeconds());
    Freshness f = new Freshness(false, Duration.ofSeconds(60).plus(stale), Duration.ZERO, stale);
    assertThat(StaleServing.allowed(h, f, r.why(), Duration.ofSeconds(r.policyWindowSeconds())))
        .isEqualTo(r.allowed());
  }
}
