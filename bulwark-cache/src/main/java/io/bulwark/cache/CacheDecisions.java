package io.bulwark.cache;

import io.bulwark.cache.internal.HttpDates;
import io.bulwark.config.CachePolicy;
import io.bulwark.config.KeyFields;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The cache's pure decisions: may a response be stored and for how long (RFC 9111 3 and 4.2.1 with
 * the CloudFront policy TTLs on top), how old is a response (RFC 9111 4.2.3), and is a stored entry
 * still fresh. No I/O and no clock: every instant is an argument, so tests pass a {@code
 * ManualClock}'s instant and the edge passes its injected clock's.
 *
 * <p>The storage rules, in the order they are checked (the first that applies decides; the enum
 * {@link StorageDecision.Reason} names each):
 *
 * <ol>
 *   <li>The policy disables caching: not stored.
 *   <li>Only GET responses are stored. HEAD is refused because its empty body would be stored under
 *       the key a GET shares (the edge fills from GET instead).
 *   <li>206 is not stored: a partial body under the full object's key would be served as the whole
 *       (range handling is issue 3).
 *   <li>Status: 200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501 are cacheable by default (RFC
 *       9110 15.1); any other status only with an explicit max-age, s-maxage or Expires (RFC 9111
 *       3). {@code public} alone does not qualify, since that would need heuristic freshness.
 *   <li>A request with Authorization: stored only if the response has s-maxage, must-revalidate or
 *       public (RFC 9111 3.5), or if the policy puts the Authorization header in the key (each
 *       credential then has its own object, so nothing is shared between users).
 *   <li>Set-Cookie: stored only when the policy keys on cookies (not NONE), as CloudFront does; the
 *       cookie is stored and replayed to every viewer with the same key.
 *   <li>Vary (RFC 9111 4.1): stored only when every listed field is already in the key, so that one
 *       key never holds variants for different request values: Accept-Encoding (always keyed,
 *       normalised), a header the policy's header selection includes, or Cookie when the policy
 *       keys on all cookies. {@code Vary: *} is never stored. (Issue 3 replaces this with secondary
 *       keys.)
 *   <li>no-store (RFC 9111 5.2.2.5) and private (5.2.2.7, qualified or not): not stored, unless the
 *       policy sets cachePrivateAtMinTtl with a min TTL above zero: then stored for exactly the min
 *       TTL. no-cache (5.2.2.4, qualified or not) is stored with TTL 0 when the response has a
 *       validator (ETag or Last-Modified), so it is never served without revalidation and issue 3
 *       can revalidate it; without a validator it could never be reused and is not stored. The
 *       min-TTL override applies to no-cache too.
 *   <li>Freshness lifetime: s-maxage over max-age over Expires minus Date (RFC 9111 4.2.1); Date
 *       absent or invalid means the response time. An invalid or conflicting max-age/s-maxage, an
 *       invalid Expires or several different Expires mean already stale (lifetime 0). Nothing
 *       given: the policy's default TTL. The result is clamped to [minTtl, maxTtl].
 *   <li>A TTL of 0 is stored only with a validator (for revalidation); otherwise not stored.
 * </ol>
 *
 * <p>Request Cache-Control (no-store, max-age in requests) is not consulted: CloudFront ignores it,
 * and honouring it lets any viewer evict or bypass the shared cache. Issue 3 revisits this.
 */
public final class CacheDecisions {
  private static final boolean[] CACHEABLE_BY_DEFAULT = new boolean[600];

  static {
    for (int s : new int[] {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501}) {
      CACHEABLE_BY_DEFAULT[s] = true;
    }
  }

  private CacheDecisions() {}

  /** Whether the status is heuristically cacheable, i.e. cacheable by default (RFC 9110 15.1). */
  public static boolean cacheableByDefault(int status) {
    return status >= 0 && status < CACHEABLE_BY_DEFAULT.length && CACHEABLE_BY_DEFAULT[status];
  }

  /**
   * May this response be stored, and for how long.
   *
   * @param policy the behavior's cache policy
   * @param requestMethod the method sent to the origin (case-sensitive, RFC 9110 9.1)
   * @param requestHadAuthorization whether the viewer's request carried Authorization
   * @param status the origin's status
   * @param headers the origin's response headers
   * @param responseTime when the response was received (stands in for a missing Date)
   */
  public static StorageDecision storage(
      CachePolicy policy,
      String requestMethod,
      boolean requestHadAuthorization,
      int status,
      ResponseHeaders headers,
      Instant responseTime) {
    if (policy.cachingDisabled()) {
      return StorageDecision.notStored(StorageDecision.Reason.CACHING_DISABLED);
    }
    if (!"GET".equals(requestMethod)) {
      return StorageDecision.notStored(
          "HEAD".equals(requestMethod)
              ? StorageDecision.Reason.HEAD_HAS_NO_BODY
              : StorageDecision.Reason.METHOD_NOT_CACHEABLE);
    }
    if (status == 206) {
      return StorageDecision.notStored(StorageDecision.Reason.PARTIAL_CONTENT);
    }
    CacheControl cc = CacheControl.parse(headers.getAll("cache-control"));
    boolean explicitFreshness =
        cc.has("s-maxage") || cc.has("max-age") || headers.contains("expires");
    if (!cacheableByDefault(status) && !explicitFreshness) {
      return StorageDecision.notStored(StorageDecision.Reason.STATUS_NOT_CACHEABLE);
    }
    if (requestHadAuthorization
        && !(cc.has("s-maxage")
            || cc.mustRevalidate()
            || cc.isPublic()
            || policy.headers().includes("authorization"))) {
      return StorageDecision.notStored(StorageDecision.Reason.AUTHORIZATION);
    }
    if (policy.cookies().behavior() == KeyFields.Behavior.NONE && headers.contains("set-cookie")) {
      return StorageDecision.notStored(StorageDecision.Reason.SET_COOKIE);
    }
    if (!varyIsCoveredByKey(policy, headers)) {
      return StorageDecision.notStored(StorageDecision.Reason.VARY);
    }
    boolean minTtlOverride =
        policy.cachePrivateAtMinTtl() && policy.minTtl().compareTo(Duration.ZERO) > 0;
    if (cc.noStore() || cc.isPrivate() || cc.noCache()) {
      if (minTtlOverride) {
        return StorageDecision.stored(policy.minTtl(), StorageDecision.Reason.MIN_TTL_OVERRIDE);
      }
      if (cc.noStore()) {
        return StorageDecision.notStored(StorageDecision.Reason.NO_STORE);
      }
      if (cc.isPrivate()) {
        return StorageDecision.notStored(StorageDecision.Reason.PRIVATE);
      }
      return hasValidator(headers)
          ? StorageDecision.stored(Duration.ZERO, StorageDecision.Reason.NO_CACHE_REVALIDATE)
          : StorageDecision.notStored(StorageDecision.Reason.ZERO_TTL);
    }

    Duration lifetime;
    StorageDecision.Reason source;
    if (cc.has("s-maxage")) {
      lifetime = seconds(cc.sMaxAge());
      source = StorageDecision.Reason.S_MAXAGE;
    } else if (cc.has("max-age")) {
      lifetime = seconds(cc.maxAge());
      source = StorageDecision.Reason.MAX_AGE;
    } else if (headers.contains("expires")) {
      lifetime = expiresLifetime(headers, responseTime);
      source = StorageDecision.Reason.EXPIRES;
    } else {
      lifetime = policy.defaultTtl();
      source = StorageDecision.Reason.DEFAULT_TTL;
    }
    Duration ttl = clamp(lifetime, policy.minTtl(), policy.maxTtl());
    if (ttl.isZero() && !hasValidator(headers)) {
      return StorageDecision.notStored(StorageDecision.Reason.ZERO_TTL);
    }
    return StorageDecision.stored(ttl, source);
  }

  /**
   * Whether every field the response varies on is part of the key (RFC 9111 4.1), so that the
   * stored response matches every request that maps to its key.
   */
  private static boolean varyIsCoveredByKey(CachePolicy policy, ResponseHeaders headers) {
    List<String> vary = headers.getAll("vary");
    for (int i = 0, n = vary.size(); i < n; i++) {
      for (String field : vary.get(i).split(",")) {
        String name = field.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.equals("accept-encoding")) {
          continue;
        }
        boolean keyed =
            name.equals("cookie")
                ? policy.cookies().behavior() == KeyFields.Behavior.ALL
                : !name.equals("*") && policy.headers().includes(name);
        if (!keyed) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether a response may be served to viewers keyed on {@code acceptEncodingToken} (from {@link
   * CacheKeys#acceptEncodingToken}): its Content-Encoding is absent, {@code identity}, or the token
   * itself ({@code x-gzip} counting as gzip). An origin that compresses although it was asked for
   * identity would otherwise put a gzip body under the key of viewers that cannot decode it. The
   * edge checks this before storing.
   */
  public static boolean contentEncodingMatches(
      String acceptEncodingToken, ResponseHeaders headers) {
    List<String> encodings = headers.getAll("content-encoding");
    String only = null;
    for (int i = 0, n = encodings.size(); i < n; i++) {
      for (String coding : encodings.get(i).split(",")) {
        String c = coding.trim().toLowerCase(Locale.ROOT);
        if (c.isEmpty() || c.equals("identity")) {
          continue;
        }
        if (c.equals("x-gzip")) {
          c = "gzip";
        }
        if (only != null) {
          return false; // stacked codings: never what a single-token key promises
        }
        only = c;
      }
    }
    return only == null || only.equals(acceptEncodingToken);
  }

  /** A present-but-invalid delta-seconds directive (empty optional) means stale: lifetime 0. */
  private static Duration seconds(OptionalLong delta) {
    return delta.isPresent() ? Duration.ofSeconds(delta.getAsLong()) : Duration.ZERO;
  }

  /**
   * Expires minus Date (RFC 9111 4.2.1); invalid or conflicting Expires is already expired (5.3).
   */
  private static Duration expiresLifetime(ResponseHeaders headers, Instant responseTime) {
    List<String> all = headers.getAll("expires");
    for (int i = 1; i < all.size(); i++) {
      if (!all.get(i).trim().equals(all.get(0).trim())) {
        return Duration.ZERO;
      }
    }
    Instant expires = HttpDates.parse(all.get(0), responseTime);
    if (expires == null) {
      return Duration.ZERO;
    }
    Instant date = dateOr(headers, responseTime);
    Duration d = Duration.between(date, expires);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static Instant dateOr(ResponseHeaders headers, Instant responseTime) {
    Instant date = HttpDates.parse(headers.get("date"), responseTime);
    return date == null ? responseTime : date;
  }

  private static boolean hasValidator(ResponseHeaders headers) {
    return headers.contains("etag") || headers.contains("last-modified");
  }

  private static Duration clamp(Duration d, Duration min, Duration max) {
    if (d.compareTo(min) < 0) {
      d = min;
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  /**
   * The response's age when it was received (RFC 9111 4.2.3, corrected_initial_age): the larger of
   * the apparent age (response time minus Date, at least 0) and the upstream Age header plus the
   * response delay (response time minus request time). An absent or invalid Age counts as 0; an
   * absent or invalid Date gives an apparent age of 0.
   *
   * @param requestTime when the request to the origin was sent
   * @param responseTime when the response was received
   */
  public static Duration initialAge(
      ResponseHeaders headers, Instant requestTime, Instant responseTime) {
    long ageValue = Math.max(0, CacheControl.parseDeltaSeconds(trimmed(headers.get("age"))));
    Duration apparentAge = Duration.between(dateOr(headers, responseTime), responseTime);
    if (apparentAge.isNegative()) {
      apparentAge = Duration.ZERO;
    }
    Duration responseDelay = Duration.between(requestTime, responseTime);
    if (responseDelay.isNegative()) {
      responseDelay = Duration.ZERO;
    }
    Duration correctedAgeValue = Duration.ofSeconds(ageValue).plus(responseDelay);
    return apparentAge.compareTo(correctedAgeValue) > 0 ? apparentAge : correctedAgeValue;
  }

  private static String trimmed(String s) {
    return s == null ? null : s.trim();
  }

  /**
   * How fresh a stored entry is at {@code now} (see {@link #freshness(Instant, Duration, Duration,
   * Instant)}).
   */
  public static Freshness freshness(CachedResponse entry, Instant now) {
    return freshness(entry.storedAt(), entry.initialAge(), entry.ttl(), now);
  }

  /**
   * Freshness per RFC 9111 4.2 and 4.2.3: current_age = corrected_initial_age + resident_time,
   * where resident_time is {@code now - storedAt} (never negative, so a clock step backwards cannot
   * make an entry younger than when it was stored); fresh while ttl &gt; current_age.
   */
  public static Freshness freshness(
      Instant storedAt, Duration initialAge, Duration ttl, Instant now) {
    Duration resident = Duration.between(storedAt, now);
    if (resident.isNegative()) {
      resident = Duration.ZERO;
    }
    Duration age = initialAge.plus(resident);
    int cmp = ttl.compareTo(age);
    return cmp > 0
        ? new Freshness(true, age, ttl.minus(age), Duration.ZERO)
        : new Freshness(false, age, Duration.ZERO, age.minus(ttl));
  }
}
