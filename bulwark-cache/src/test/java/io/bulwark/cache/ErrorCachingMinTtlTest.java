package io.bulwark.cache;

import static io.bulwark.cache.StorageDecision.Reason.AUTHORIZATION;
import static io.bulwark.cache.StorageDecision.Reason.CACHING_DISABLED;
import static io.bulwark.cache.StorageDecision.Reason.DEFAULT_TTL;
import static io.bulwark.cache.StorageDecision.Reason.ERROR_CACHING;
import static io.bulwark.cache.StorageDecision.Reason.MAX_AGE;
import static io.bulwark.cache.StorageDecision.Reason.METHOD_NOT_CACHEABLE;
import static io.bulwark.cache.StorageDecision.Reason.NO_STORE;
import static io.bulwark.cache.StorageDecision.Reason.PRIVATE;
import static io.bulwark.cache.StorageDecision.Reason.SET_COOKIE;
import static io.bulwark.cache.StorageDecision.Reason.STATUS_NOT_CACHEABLE;
import static io.bulwark.cache.StorageDecision.Reason.ZERO_TTL;
import static io.bulwark.cache.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.bulwark.config.CachePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The distribution's per-status error caching time (a custom error response's
 * error-caching-min-ttl, CloudFront's ErrorCachingMinTTL) in the storage decision: one row per
 * rule. The policy's own error caching TTL is 10 s in every row unless the row says otherwise, so
 * each row shows which of the two decided.
 */
class ErrorCachingMinTtlTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  static final String DATE_T = "Thu, 01 Jan 2026 00:00:00 GMT";
  static final CachePolicy TEN = policy().errorCachingTtl(10).build();

  record Row(
      String rule,
      CachePolicy policy,
      Long minTtlSeconds,
      String method,
      boolean authorization,
      int status,
      String[] headers,
      boolean store,
      long ttlSeconds,
      StorageDecision.Reason reason) {
    @Override
    public String toString() {
      return rule;
    }
  }

  private static Arguments row(
      String rule,
      Long minTtl,
      int status,
      String[] headers,
      boolean store,
      long ttl,
      StorageDecision.Reason reason) {
    return row(rule, TEN, minTtl, "GET", false, status, headers, store, ttl, reason);
  }

  private static Arguments row(
      String rule,
      CachePolicy p,
      Long minTtl,
      String method,
      boolean auth,
      int status,
      String[] headers,
      boolean store,
      long ttl,
      StorageDecision.Reason reason) {
    return arguments(new Row(rule, p, minTtl, method, auth, status, headers, store, ttl, reason));
  }

  private static String[] h(String... namesAndValues) {
    return namesAndValues;
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        row("no override: the policy's error caching TTL", null, 503, h(), true, 10, ERROR_CACHING),
        row("the status's own time replaces the policy's", 30L, 503, h(), true, 30, ERROR_CACHING),
        row(
            "the status's own time turns error caching on where the policy has it off",
            policy().errorCachingTtl(0).build(),
            30L,
            "GET",
            false,
            503,
            h(),
            true,
            30,
            ERROR_CACHING),
        row(
            "the status's own time is not clamped to the policy's TTLs (CloudFront)",
            policy().errorCachingTtl(10).ttl(0, 5, 5).build(),
            30L,
            "GET",
            false,
            404,
            h(),
            true,
            30,
            ERROR_CACHING),
        row(
            "zero: a 503 without freshness is not kept",
            0L,
            503,
            h(),
            false,
            0,
            STATUS_NOT_CACHEABLE),
        row(
            "zero: a 404 without freshness is not kept (not the default TTL either)",
            0L,
            404,
            h(),
            false,
            0,
            ZERO_TTL),
        row(
            "zero: not kept even with a validator (every request reaches the origin)",
            0L,
            404,
            h("ETag", "\"e\""),
            false,
            0,
            ZERO_TTL),
        row(
            "zero: the origin's own lifetime still applies (CloudFront: the longer of the two)",
            0L,
            503,
            h("Cache-Control", "max-age=60"),
            true,
            60,
            MAX_AGE),
        row(
            "a shorter max-age is raised to the minimum (CloudFront)",
            30L,
            503,
            h("Cache-Control", "max-age=5"),
            true,
            30,
            ERROR_CACHING),
        row(
            "a shorter Expires is raised to the minimum (CloudFront)",
            30L,
            500,
            h("Date", DATE_T, "Expires", "Thu, 01 Jan 2026 00:00:05 GMT"),
            true,
            30,
            ERROR_CACHING),
        row(
            "a longer max-age wins over the minimum",
            30L,
            503,
            h("Cache-Control", "max-age=120"),
            true,
            120,
            MAX_AGE),
        row(
            "the longer max-age is still clamped to the policy's max TTL",
            policy().errorCachingTtl(10).ttl(0, 30, 60).build(),
            30L,
            "GET",
            false,
            503,
            h("Cache-Control", "max-age=120"),
            true,
            60,
            MAX_AGE),
        row(
            "no-store still wins (RFC 9111 5.2.2.5; safer than CloudFront, which ignores it on 5xx)",
            30L,
            500,
            h("Cache-Control", "no-store"),
            false,
            0,
            NO_STORE),
        row(
            "private still wins (RFC 9111 5.2.2.7)",
            30L,
            502,
            h("Cache-Control", "private"),
            false,
            0,
            PRIVATE),
        row(
            "Set-Cookie without cookies in the key still wins",
            30L,
            503,
            h("Set-Cookie", "s=1"),
            false,
            0,
            SET_COOKIE),
        row(
            "only GET fills, whatever the status's time",
            TEN,
            30L,
            "POST",
            false,
            503,
            h(),
            false,
            0,
            METHOD_NOT_CACHEABLE),
        row(
            "Authorization still needs the origin's permission (RFC 9111 3.5)",
            TEN,
            30L,
            "GET",
            true,
            503,
            h(),
            false,
            0,
            AUTHORIZATION),
        row(
            "a policy with caching disabled keeps nothing",
            policy().ttl(0, 0, 0).errorCachingTtl(10).build(),
            30L,
            "GET",
            false,
            503,
            h(),
            false,
            0,
            CACHING_DISABLED),
        row(
            "a time given for a success status is ignored",
            30L,
            200,
            h(),
            true,
            86400,
            DEFAULT_TTL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decidesStorage(Row r) {
    StorageDecision d =
        CacheDecisions.storage(
            r.policy(),
            r.minTtlSeconds() == null ? null : Duration.ofSeconds(r.minTtlSeconds()),
            r.method(),
            r.authorization(),
            r.status(),
            ResponseHeaders.of(r.headers()),
            T);
    assertThat(d.reason()).isEqualTo(r.reason());
    assertThat(d.store()).isEqualTo(r.store());
    assertThat(d.ttl()).isEqualTo(Duration.ofSeconds(r.ttlSeconds()));
  }
}
