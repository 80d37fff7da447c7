package io.bulwark.cache;

import static io.bulwark.cache.StorageDecision.Reason.AUTHORIZATION;
import static io.bulwark.cache.StorageDecision.Reason.CACHING_DISABLED;
import static io.bulwark.cache.StorageDecision.Reason.DEFAULT_TTL;
import static io.bulwark.cache.StorageDecision.Reason.ERROR_CACHING;
import static io.bulwark.cache.StorageDecision.Reason.EXPIRES;
import static io.bulwark.cache.StorageDecision.Reason.HEAD_HAS_NO_BODY;
import static io.bulwark.cache.StorageDecision.Reason.HEURISTIC;
import static io.bulwark.cache.StorageDecision.Reason.MAX_AGE;
import static io.bulwark.cache.StorageDecision.Reason.METHOD_NOT_CACHEABLE;
import static io.bulwark.cache.StorageDecision.Reason.MIN_TTL_OVERRIDE;
import static io.bulwark.cache.StorageDecision.Reason.MUST_UNDERSTAND;
import static io.bulwark.cache.StorageDecision.Reason.NO_CACHE_REVALIDATE;
import static io.bulwark.cache.StorageDecision.Reason.NO_STORE;
import static io.bulwark.cache.StorageDecision.Reason.PARTIAL_CONTENT;
import static io.bulwark.cache.StorageDecision.Reason.PRIVATE;
import static io.bulwark.cache.StorageDecision.Reason.SET_COOKIE;
import static io.bulwark.cache.StorageDecision.Reason.STATUS_NOT_CACHEABLE;
import static io.bulwark.cache.StorageDecision.Reason.S_MAXAGE;
import static io.bulwark.cache.StorageDecision.Reason.VARY;
import static io.bulwark.cache.StorageDecision.Reason.ZERO_TTL;
import static io.bulwark.cache.TestPolicies.policy;
import static io.bulwark.cache.TestPolicies.whitelist;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.bulwark.config.CachePolicy;
import io.bulwark.config.KeyFields;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** May a response be stored, and for how long: one row per rule, citing its source. */
class StorageDecisionTest {
  /** The response time of every row: Thursday 2026-01-01 00:00:00 UTC. */
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static final String DATE_T = "Thu, 01 Jan 2026 00:00:00 GMT";
  static final CachePolicy DEFAULT = policy().build(); // min 0, default 86400, max 31536000

  record Row(
      String rule,
      CachePolicy policy,
      String method,
      boolean authorization,
      int status,
      ResponseHeaders headers,
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
      CachePolicy p,
      String method,
      boolean auth,
      int status,
      String[] headers,
      boolean store,
      long ttl,
      StorageDecision.Reason reason) {
    return arguments(
        new Row(rule, p, method, auth, status, ResponseHeaders.of(headers), store, ttl, reason));
  }

  private static Arguments get(
      String rule,
      int status,
      String[] headers,
      boolean store,
      long ttl,
      StorageDecision.Reason r) {
    return row(rule, DEFAULT, "GET", false, status, headers, store, ttl, r);
  }

  private static String[] h(String... namesAndValues) {
    return namesAndValues;
  }

  static Stream<Arguments> rows() {
    List<Arguments> rows = new ArrayList<>();
    // Gates before freshness.
    rows.add(
        row(
            "policy with caching disabled never stores (CloudFront CachingDisabled)",
            policy().ttl(0, 0, 0).build(),
            "GET",
            false,
            200,
            h("Cache-Control", "max-age=60"),
            false,
            0,
            CACHING_DISABLED));
    rows.add(
        row(
            "POST is not stored (only GET fills)",
            DEFAULT,
            "POST",
            false,
            200,
            h("Cache-Control", "max-age=60"),
            false,
            0,
            METHOD_NOT_CACHEABLE));
    rows.add(
        row(
            "methods are case-sensitive: 'get' is not GET (RFC 9110 9.1)",
            DEFAULT,
            "get",
            false,
            200,
            h("Cache-Control", "max-age=60"),
            false,
            0,
            METHOD_NOT_CACHEABLE));
    rows.add(
        row(
            "HEAD is not stored: its empty body would answer GETs",
            DEFAULT,
            "HEAD",
            false,
            200,
            h("Cache-Control", "max-age=60"),
            false,
            0,
            HEAD_HAS_NO_BODY));
    rows.add(
        get(
            "206 is not stored under the full key (ranges are issue 3; RFC 9111 3.3)",
            206,
            h("Cache-Control", "max-age=60"),
            false,
            0,
            PARTIAL_CONTENT));
    // Cacheable by default (RFC 9110 15.1) vs not.
    for (int s : new int[] {200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501}) {
      rows.add(
          get(
              s + " is cacheable by default: default TTL (RFC 9110 15.1, RFC 9111 4.2.2)",
              s,
              h(),
              true,
              86400,
              DEFAULT_TTL));
    }
    for (int s : new int[] {201, 302, 303, 307, 400, 403, 429, 500, 502, 503, 504}) {
      rows.add(
          get(
              s + " without explicit freshness is not stored (RFC 9111 3)",
              s,
              h(),
              false,
              0,
              STATUS_NOT_CACHEABLE));
    }
    rows.add(
        get(
            "302 with max-age is stored (RFC 9111 3: explicit freshness)",
            302,
            h("Cache-Control", "max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        get(
            "503 with s-maxage is stored (RFC 9111 3)",
            503,
            h("Cache-Control", "s-maxage=10"),
            true,
            10,
            S_MAXAGE));
    rows.add(
        get(
            "500 with Expires is stored (RFC 9111 3)",
            500,
            h("Date", DATE_T, "Expires", "Thu, 01 Jan 2026 00:00:30 GMT"),
            true,
            30,
            EXPIRES));
    rows.add(
        get(
            "500 with only 'public' is not stored (no heuristic freshness: the policy's is off)",
            500,
            h("Cache-Control", "public"),
            false,
            0,
            STATUS_NOT_CACHEABLE));
    // Freshness lifetime (RFC 9111 4.2.1).
    rows.add(
        get(
            "max-age gives the TTL (RFC 9111 5.2.2.1)",
            200,
            h("Cache-Control", "max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        get(
            "s-maxage over max-age (RFC 9111 4.2.1, 5.2.2.10)",
            200,
            h("Cache-Control", "max-age=60, s-maxage=120"),
            true,
            120,
            S_MAXAGE));
    rows.add(
        get(
            "max-age over Expires (RFC 9111 4.2.1)",
            200,
            h(
                "Cache-Control",
                "max-age=60",
                "Date",
                DATE_T,
                "Expires",
                "Thu, 01 Jan 2026 01:00:00 GMT"),
            true,
            60,
            MAX_AGE));
    rows.add(
        get(
            "Expires minus Date (RFC 9111 4.2.1)",
            200,
            h("Date", DATE_T, "Expires", "Thu, 01 Jan 2026 01:00:00 GMT"),
            true,
            3600,
            EXPIRES));
    rows.add(
        get(
            "Expires minus Date when the origin clock is ahead (RFC 9111 4.2.1)",
            200,
            h("Date", "Thu, 01 Jan 2026 00:10:00 GMT", "Expires", "Thu, 01 Jan 2026 01:10:00 GMT"),
            true,
            3600,
            EXPIRES));
    rows.add(
        get(
            "Expires without Date: minus the response time (RFC 9110 6.6.1)",
            200,
            h("Expires", "Thu, 01 Jan 2026 00:30:00 GMT"),
            true,
            1800,
            EXPIRES));
    rows.add(
        get(
            "Expires in rfc850 form (RFC 9110 5.6.7)",
            200,
            h("Date", DATE_T, "Expires", "Thursday, 01-Jan-26 00:01:00 GMT"),
            true,
            60,
            EXPIRES));
    rows.add(
        get(
            "Expires in asctime form (RFC 9110 5.6.7)",
            200,
            h("Date", DATE_T, "Expires", "Thu Jan  1 00:02:00 2026"),
            true,
            120,
            EXPIRES));
    rows.add(
        get(
            "Expires in the past: expired, no validator, not stored (RFC 9111 5.3)",
            200,
            h("Date", DATE_T, "Expires", "Wed, 31 Dec 2025 00:00:00 GMT"),
            false,
            0,
            ZERO_TTL));
    rows.add(
        get(
            "invalid Expires ('0') means already expired (RFC 9111 5.3)",
            200,
            h("Expires", "0"),
            false,
            0,
            ZERO_TTL));
    rows.add(
        get(
            "invalid Expires with a validator: stored stale for revalidation (RFC 9111 5.3)",
            200,
            h("Expires", "0", "ETag", "\"v1\""),
            true,
            0,
            EXPIRES));
    rows.add(
        get(
            "two different Expires: stale (RFC 9111 4.2.1)",
            200,
            h(
                "Date",
                DATE_T,
                "Expires",
                "Thu, 01 Jan 2026 01:00:00 GMT",
                "Expires",
                "Thu, 01 Jan 2026 02:00:00 GMT"),
            false,
            0,
            ZERO_TTL));
    rows.add(
        get(
            "invalid max-age: stale (RFC 9111 4.2.1, 1.2.2)",
            200,
            h("Cache-Control", "max-age=soon"),
            false,
            0,
            ZERO_TTL));
    rows.add(
        get(
            "conflicting max-age duplicates: stale (RFC 9111 4.2.1)",
            200,
            h("Cache-Control", "max-age=60", "Cache-Control", "max-age=3600"),
            false,
            0,
            ZERO_TTL));
    rows.add(
        get(
            "invalid s-maxage is not rescued by a valid max-age: stale (RFC 9111 4.2.1)",
            200,
            h("Cache-Control", "s-maxage=x, max-age=60", "ETag", "\"a\""),
            true,
            0,
            S_MAXAGE));
    rows.add(
        get(
            "max-age=0 with a validator: stored, stale at once (RFC 9111 4.2.4)",
            200,
            h("Cache-Control", "max-age=0", "Last-Modified", "Wed, 31 Dec 2025 00:00:00 GMT"),
            true,
            0,
            MAX_AGE));
    // Policy TTL clamp (CloudFront MinTTL / MaxTTL / DefaultTTL).
    rows.add(
        row(
            "TTL clamped down to the policy's max TTL",
            policy().ttl(0, 60, 3600).build(),
            "GET",
            false,
            200,
            h("Cache-Control", "max-age=86400"),
            true,
            3600,
            MAX_AGE));
    rows.add(
        row(
            "TTL clamped up to the policy's min TTL",
            policy().ttl(60, 600, 3600).build(),
            "GET",
            false,
            200,
            h("Cache-Control", "max-age=10"),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "max-age=0 clamped up to min TTL (CloudFront)",
            policy().ttl(60, 600, 3600).build(),
            "GET",
            false,
            200,
            h("Cache-Control", "max-age=0"),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "huge max-age (2^31) clamped to max TTL (RFC 9111 1.2.2)",
            policy().ttl(0, 60, 7200).build(),
            "GET",
            false,
            200,
            h("Cache-Control", "max-age=99999999999"),
            true,
            7200,
            MAX_AGE));
    rows.add(
        row(
            "default TTL clamped up to min TTL",
            policy().ttl(10, 5, 100).build(),
            "GET",
            false,
            200,
            h(),
            true,
            10,
            DEFAULT_TTL));
    rows.add(
        row(
            "default TTL 0 and no validator: not stored",
            policy().ttl(0, 0, 3600).build(),
            "GET",
            false,
            200,
            h(),
            false,
            0,
            ZERO_TTL));
    // no-store, private, no-cache (RFC 9111 5.2.2.4, 5.2.2.5, 5.2.2.7) and the min-TTL override.
    rows.add(
        get(
            "no-store is not stored (RFC 9111 5.2.2.5)",
            200,
            h("Cache-Control", "no-store, max-age=60"),
            false,
            0,
            NO_STORE));
    rows.add(
        get(
            "private is not stored by a shared cache (RFC 9111 5.2.2.7)",
            200,
            h("Cache-Control", "private, max-age=60"),
            false,
            0,
            PRIVATE));
    rows.add(
        get(
            "qualified private=\"x\": stored without the field (RFC 9111 5.2.2.7)",
            200,
            h("Cache-Control", "private=\"set-cookie\", max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        get(
            "qualified no-cache=\"x\": stored with its TTL, without the field (RFC 9111 5.2.2.4)",
            200,
            h("Cache-Control", "no-cache=\"x-user\", max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "no-store stored for min TTL when the policy says so (CloudFront MinTTL > 0)",
            policy().ttl(30, 60, 600).cachePrivateAtMinTtl().build(),
            "GET",
            false,
            200,
            h("Cache-Control", "no-store"),
            true,
            30,
            MIN_TTL_OVERRIDE));
    rows.add(
        row(
            "private stored for min TTL when the policy says so (CloudFront MinTTL > 0)",
            policy().ttl(30, 60, 600).cachePrivateAtMinTtl().build(),
            "GET",
            false,
            200,
            h("Cache-Control", "private, max-age=300"),
            true,
            30,
            MIN_TTL_OVERRIDE));
    rows.add(
        row(
            "the override needs min TTL > 0",
            policy().ttl(0, 60, 600).cachePrivateAtMinTtl().build(),
            "GET",
            false,
            200,
            h("Cache-Control", "private"),
            false,
            0,
            PRIVATE));
    rows.add(
        row(
            "min TTL alone does not override no-store",
            policy().ttl(30, 60, 600).build(),
            "GET",
            false,
            200,
            h("Cache-Control", "no-store"),
            false,
            0,
            NO_STORE));
    rows.add(
        get(
            "no-cache with ETag: stored, TTL 0, revalidate before reuse (RFC 9111 5.2.2.4)",
            200,
            h("Cache-Control", "no-cache", "ETag", "\"v1\""),
            true,
            0,
            NO_CACHE_REVALIDATE));
    rows.add(
        get(
            "no-cache wins over max-age: most restrictive (RFC 9111 4.2.1)",
            200,
            h(
                "Cache-Control",
                "no-cache, max-age=60",
                "Last-Modified",
                "Wed, 31 Dec 2025 00:00:00 GMT"),
            true,
            0,
            NO_CACHE_REVALIDATE));
    rows.add(
        get(
            "no-cache without a validator could never be reused: not stored",
            200,
            h("Cache-Control", "no-cache"),
            false,
            0,
            ZERO_TTL));
    rows.add(
        row(
            "no-cache stored for min TTL under the override (CloudFront)",
            policy().ttl(30, 60, 600).cachePrivateAtMinTtl().build(),
            "GET",
            false,
            200,
            h("Cache-Control", "no-cache"),
            true,
            30,
            MIN_TTL_OVERRIDE));
    // Authorization (RFC 9111 3.5).
    rows.add(
        row(
            "Authorization request, plain max-age: not stored (RFC 9111 3.5)",
            DEFAULT,
            "GET",
            true,
            200,
            h("Cache-Control", "max-age=60"),
            false,
            0,
            AUTHORIZATION));
    rows.add(
        row(
            "Authorization request, no directives: not stored (RFC 9111 3.5)",
            DEFAULT,
            "GET",
            true,
            200,
            h(),
            false,
            0,
            AUTHORIZATION));
    rows.add(
        row(
            "Authorization request, s-maxage: stored (RFC 9111 3.5)",
            DEFAULT,
            "GET",
            true,
            200,
            h("Cache-Control", "s-maxage=60"),
            true,
            60,
            S_MAXAGE));
    rows.add(
        row(
            "Authorization request, must-revalidate: stored (RFC 9111 3.5)",
            DEFAULT,
            "GET",
            true,
            200,
            h("Cache-Control", "must-revalidate, max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "Authorization request, public: stored (RFC 9111 3.5)",
            DEFAULT,
            "GET",
            true,
            200,
            h("Cache-Control", "public"),
            true,
            86400,
            DEFAULT_TTL));
    rows.add(
        row(
            "Authorization in the cache key: each credential its own object, stored",
            policy().headers(whitelist("authorization")).build(),
            "GET",
            true,
            200,
            h("Cache-Control", "max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "the min-TTL override never beats the Authorization rule (RFC 9111 3.5)",
            policy().ttl(30, 60, 600).cachePrivateAtMinTtl().build(),
            "GET",
            true,
            200,
            h("Cache-Control", "private"),
            false,
            0,
            AUTHORIZATION));
    // Set-Cookie (CloudFront: cached only when cookies are in the key).
    rows.add(
        get(
            "Set-Cookie with no cookies in the key: not stored",
            200,
            h("Cache-Control", "max-age=60", "set-cookie", "s=1"),
            false,
            0,
            SET_COOKIE));
    rows.add(
        row(
            "Set-Cookie with cookies in the key: stored",
            policy().cookies(whitelist("s")).build(),
            "GET",
            false,
            200,
            h("Cache-Control", "max-age=60", "Set-Cookie", "s=1"),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "Set-Cookie with all cookies in the key: stored",
            policy().cookies(KeyFields.ALL).build(),
            "GET",
            false,
            200,
            h("Set-Cookie", "s=1"),
            true,
            86400,
            DEFAULT_TTL));
    // Vary (RFC 9111 4.1): stored under a secondary key of the listed request fields.
    rows.add(
        get(
            "Vary: Accept-Encoding is covered by the normalised key (RFC 9111 4.1)",
            200,
            h("Vary", "Accept-Encoding", "Cache-Control", "max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        get(
            "Vary on a header not in the key: stored under a secondary key (RFC 9111 4.1)",
            200,
            h("Vary", "User-Agent", "Cache-Control", "max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "Vary: * never matches, even with all headers keyed (RFC 9111 4.1)",
            policy().headers(KeyFields.ALL).build(),
            "GET",
            false,
            200,
            h("Vary", "*", "Cache-Control", "max-age=60"),
            false,
            0,
            VARY));
    rows.add(
        row(
            "Vary on keyed headers, any case, several lines: stored (RFC 9111 4.1)",
            policy().headers(whitelist("accept-language", "origin")).build(),
            "GET",
            false,
            200,
            h(
                "Vary",
                "Accept-Language",
                "vary",
                "accept-encoding, ORIGIN",
                "Cache-Control",
                "max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "Vary: Cookie with all cookies keyed: stored",
            policy().cookies(KeyFields.ALL).build(),
            "GET",
            false,
            200,
            h("Vary", "Cookie", "Cache-Control", "max-age=60"),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "Vary: Cookie with only some cookies keyed: stored under a secondary key (RFC 9111 4.1)",
            policy().cookies(whitelist("s")).build(),
            "GET",
            false,
            200,
            h("Vary", "Cookie", "Cache-Control", "max-age=60"),
            true,
            60,
            MAX_AGE));
    // Error caching (CloudFront ErrorCachingMinTTL).
    CachePolicy errors = policy().errorCachingTtl(10).build();
    for (int st : new int[] {400, 403, 404, 500, 502, 503, 504}) {
      rows.add(
          row(
              st + " without freshness: kept for the error caching TTL (CloudFront)",
              errors,
              "GET",
              false,
              st,
              h(),
              true,
              10,
              ERROR_CACHING));
    }
    rows.add(
        row(
            "an error's own max-age wins over the error caching TTL (RFC 9111 4.2.1)",
            errors,
            "GET",
            false,
            503,
            h("Cache-Control", "max-age=2"),
            true,
            2,
            MAX_AGE));
    rows.add(
        row(
            "an error with no-store is not kept (RFC 9111 5.2.2.5)",
            errors,
            "GET",
            false,
            500,
            h("Cache-Control", "no-store"),
            false,
            0,
            NO_STORE));
    // Heuristic freshness (RFC 9111 4.2.2).
    CachePolicy heuristic = policy().heuristic().build();
    String fiveDaysBefore = "Sat, 27 Dec 2025 00:00:00 GMT";
    rows.add(
        row(
            "heuristic: 10% of the time since Last-Modified (RFC 9111 4.2.2)",
            heuristic,
            "GET",
            false,
            200,
            h("Date", DATE_T, "Last-Modified", fiveDaysBefore),
            true,
            43200,
            HEURISTIC));
    rows.add(
        row(
            "heuristic is capped at one day (RFC 9111 4.2.2)",
            heuristic,
            "GET",
            false,
            200,
            h("Date", DATE_T, "Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"),
            true,
            86400,
            HEURISTIC));
    rows.add(
        get(
            "heuristic only where the policy allows it: else the default TTL",
            200,
            h("Date", DATE_T, "Last-Modified", fiveDaysBefore),
            true,
            86400,
            DEFAULT_TTL));
    rows.add(
        row(
            "public allows heuristic freshness for any status (RFC 9111 4.2.2)",
            heuristic,
            "GET",
            false,
            599,
            h("Date", DATE_T, "Last-Modified", fiveDaysBefore, "Cache-Control", "public"),
            true,
            43200,
            HEURISTIC));
    rows.add(
        row(
            "public without Last-Modified does not make a status cacheable by default",
            heuristic,
            "GET",
            false,
            599,
            h("Date", DATE_T, "Cache-Control", "public"),
            false,
            0,
            STATUS_NOT_CACHEABLE));
    rows.add(
        row(
            "heuristic only for statuses cacheable by default (RFC 9111 4.2.2)",
            heuristic,
            "GET",
            false,
            302,
            h("Date", DATE_T, "Last-Modified", fiveDaysBefore),
            false,
            0,
            STATUS_NOT_CACHEABLE));
    rows.add(
        row(
            "explicit freshness wins over the heuristic (RFC 9111 4.2.2)",
            heuristic,
            "GET",
            false,
            200,
            h("Date", DATE_T, "Last-Modified", fiveDaysBefore, "Cache-Control", "max-age=7"),
            true,
            7,
            MAX_AGE));
    // must-understand (RFC 9111 5.2.2.3).
    rows.add(
        get(
            "must-understand with a known status: the no-store beside it is ignored",
            200,
            h("Cache-Control", "max-age=3600, no-store, must-understand"),
            true,
            3600,
            MAX_AGE));
    rows.add(
        get(
            "must-understand with an unknown status: not stored (RFC 9111 3)",
            599,
            h("Cache-Control", "max-age=3600, must-understand"),
            false,
            0,
            MUST_UNDERSTAND));
    rows.add(
        get(
            "must-understand does not lift private",
            200,
            h("Cache-Control", "max-age=3600, private, must-understand"),
            false,
            0,
            PRIVATE));
    // Targeted cache control (RFC 9213).
    rows.add(
        get(
            "CDN-Cache-Control wins over Cache-Control (RFC 9213 2.2)",
            200,
            h("Cache-Control", "max-age=60", "CDN-Cache-Control", "max-age=600"),
            true,
            600,
            MAX_AGE));
    rows.add(
        get(
            "CDN-Cache-Control: no-store wins over a public Cache-Control (RFC 9213 2.2)",
            200,
            h("Cache-Control", "public, max-age=60", "CDN-Cache-Control", "no-store"),
            false,
            0,
            NO_STORE));
    rows.add(
        get(
            "CDN-Cache-Control lets the edge keep what browsers must not (RFC 9213 2.2)",
            200,
            h("Cache-Control", "no-store", "CDN-Cache-Control", "max-age=30"),
            true,
            30,
            MAX_AGE));
    rows.add(
        get(
            "with a targeted field, Expires is ignored too (RFC 9213 2.2)",
            200,
            h(
                "Date",
                DATE_T,
                "Expires",
                "Thu, 01 Jan 2026 00:00:30 GMT",
                "CDN-Cache-Control",
                "public"),
            true,
            86400,
            DEFAULT_TTL));
    rows.add(
        get(
            "an empty targeted field is ignored (RFC 9213 2.1)",
            200,
            h("Cache-Control", "max-age=60", "CDN-Cache-Control", " "),
            true,
            60,
            MAX_AGE));
    rows.add(
        get(
            "a targeted field that is not a Structured Field is ignored (RFC 9213 2.2)",
            200,
            h("Cache-Control", "no-store", "CDN-Cache-Control", "max-age=10000, &&&&&"),
            false,
            0,
            NO_STORE));
    rows.add(
        get(
            "a targeted field whose max-age is not an Integer is ignored (RFC 9213 2.1)",
            200,
            h("Cache-Control", "no-store", "CDN-Cache-Control", "max-age=\"10000\""),
            false,
            0,
            NO_STORE));
    rows.add(
        get(
            "upper-case directive names are not a Structured Field (RFC 8941 3.2)",
            200,
            h("Cache-Control", "max-age=60", "CDN-Cache-Control", "MaX-aGe=3600"),
            true,
            60,
            MAX_AGE));
    rows.add(
        get(
            "Cache-Control's tolerance stays: a quoted max-age is read there",
            200,
            h("Cache-Control", "max-age=\"60\""),
            true,
            60,
            MAX_AGE));
    rows.add(
        row(
            "an invalid own targeted field gives way to CDN-Cache-Control (RFC 9213 2.2)",
            policy().targeted("bulwark-cache-control").build(),
            "GET",
            false,
            200,
            h(
                "Bulwark-Cache-Control",
                "max-age =5",
                "CDN-Cache-Control",
                "max-age=600",
                "Cache-Control",
                "max-age=60"),
            true,
            600,
            MAX_AGE));
    rows.add(
        row(
            "the policy's own targeted field wins over CDN-Cache-Control (RFC 9213 2.2)",
            policy().targeted("bulwark-cache-control").build(),
            "GET",
            false,
            200,
            h(
                "CDN-Cache-Control",
                "max-age=600",
                "Bulwark-Cache-Control",
                "max-age=5",
                "Cache-Control",
                "max-age=60"),
            true,
            5,
            MAX_AGE));
    return rows.stream();
  }

  static Stream<Arguments> contentEncodings() {
    return Stream.of(
        arguments("no Content-Encoding serves any key", "gzip", new String[] {}, true),
        arguments(
            "identity serves any key",
            "identity",
            new String[] {"Content-Encoding", "identity"},
            true),
        arguments(
            "gzip body under the gzip key",
            "gzip",
            new String[] {"Content-Encoding", "gzip"},
            true),
        arguments(
            "x-gzip is gzip (RFC 9110 8.4.1.3)",
            "gzip",
            new String[] {"Content-Encoding", "X-Gzip"},
            true),
        arguments(
            "gzip body under the identity key: refused",
            "identity",
            new String[] {"Content-Encoding", "gzip"},
            false),
        arguments(
            "gzip body under the br key: refused",
            "br",
            new String[] {"Content-Encoding", "gzip"},
            false),
        arguments(
            "stacked codings: refused",
            "gzip",
            new String[] {"Content-Encoding", "gzip, br"},
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("contentEncodings")
  void contentEncodingMustMatchTheKeyedToken(
      String rule, String token, String[] headers, boolean matches) {
    assertThat(CacheDecisions.contentEncodingMatches(token, ResponseHeaders.of(headers)))
        .isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decidesStorage(Row r) {
    StorageDecision d =
        CacheDecisions.storage(
            r.policy(), r.method(), r.authorization(), r.status(), r.headers(), T);
    assertThat(d.reason()).isEqualTo(r.reason());
    assertThat(d.store()).isEqualTo(r.store());
    assertThat(d.ttl()).isEqualTo(Duration.ofSeconds(r.ttlSeconds()));
  }
}
