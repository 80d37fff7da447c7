package io.bulwark.cache;

import io.bulwark.cache.internal.HttpDates;
import io.bulwark.cache.internal.StructuredFields;
import io.bulwark.config.CachePolicy;
import io.bulwark.config.KeyFields;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 *       (ranges are served from the stored full object, {@link ByteRanges}).
 *   <li>Status: 200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501 are cacheable by default (RFC
 *       9110 15.1); any other status only with an explicit max-age, s-maxage or Expires (RFC 9111
 *       3), or, for 4xx/5xx, when the policy's error caching TTL is above zero, or when it is
 *       {@code public} with a Last-Modified and the policy allows heuristic freshness (RFC 9111
 *       4.2.2). {@code public} alone never gets the default TTL.
 *   <li>must-understand (RFC 9111 5.2.2.3): with a status RFC 9110 does not define, not stored;
 *       with one it does, a no-store beside it (meant for caches that do not know the directive) is
 *       ignored.
 *   <li>A request with Authorization: stored only if the response has s-maxage, must-revalidate or
 *       public (RFC 9111 3.5), or if the policy puts the Authorization header in the key (each
 *       credential then has its own object, so nothing is shared between users).
 *   <li>Set-Cookie: stored only when the policy keys on cookies (not NONE), as CloudFront does; the
 *       cookie is stored and replayed to every viewer with the same key.
 *   <li>Vary (RFC 9111 4.1): {@code Vary: *} is never stored; any other Vary is stored under a
 *       secondary key of the listed request fields the key does not already hold ({@link
 *       #varyNames}, {@link CacheKeys#withVary}).
 *   <li>no-store (RFC 9111 5.2.2.5) and unqualified private (5.2.2.7): not stored, unless the
 *       policy sets cachePrivateAtMinTtl with a min TTL above zero: then stored for exactly the min
 *       TTL. Unqualified no-cache (5.2.2.4) is stored with TTL 0 when the response has a validator
 *       (ETag or Last-Modified), so every reuse is revalidated; without a validator it could never
 *       be reused and is not stored. The min-TTL override applies to no-cache too. Qualified
 *       private="f" and no-cache="f" store the response without the listed fields ({@link
 *       #fieldsNotStored}).
 *   <li>Freshness lifetime: s-maxage over max-age over Expires minus Date (RFC 9111 4.2.1); Date
 *       absent or invalid means the response time. An invalid or conflicting max-age/s-maxage, an
 *       invalid Expires or several different Expires mean already stale (lifetime 0). A targeted
 *       field (the policy's, then CDN-Cache-Control, RFC 9213) replaces Cache-Control and Expires.
 *       Nothing given: a 4xx/5xx gets the policy's error caching TTL (not clamped); with heuristic
 *       freshness allowed, a status cacheable by default (or a public response) with Last-Modified
 *       gets 10% of its age, capped at a day (RFC 9111 4.2.2); otherwise the policy's default TTL.
 *       The result is clamped to [minTtl, maxTtl].
 *   <li>A TTL of 0 is stored only with a validator (for revalidation); otherwise not stored.
 * </ol>
 *
 * <p>Request Cache-Control (no-store, max-age in requests) is not consulted: CloudFront ignores it,
 * and honouring it lets any viewer evict or bypass the shared cache.
 */
public final class CacheDecisions {
  private static final boolean[] CACHEABLE_BY_DEFAULT = new boolean[600];

  static {
    for (int s : new int[] {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501}) {
      CACHEABLE_BY_DEFAULT[s] = true;
    }
  }

  private CacheDecisions() {}

  private static final boolean[] UNDERSTOOD = new boolean[600];

  static {
    // The final status codes RFC 9110 15 defines: their caching rules are the ones implemented
    // here. 206 is understood too, though never stored (rule 3).
    int[][] ranges = {{200, 206}, {300, 305}, {307, 308}, {400, 417}, {421, 422}, {426, 426}};
    for (int[] r : ranges) {
      for (int s = r[0]; s <= r[1]; s++) {
        UNDERSTOOD[s] = true;
      }
    }
    for (int s = 500; s <= 505; s++) {
      UNDERSTOOD[s] = true;
    }
  }

  /**
   * Whether this cache understands the status's caching requirements (RFC 9111 5.2.2.3), for
   * must-understand: the final status codes RFC 9110 defines.
   */
  public static boolean understoodStatus(int status) {
    return status >= 0 && status < UNDERSTOOD.length && UNDERSTOOD[status];
  }

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
    return storage(
        policy, null, requestMethod, requestHadAuthorization, status, headers, responseTime);
  }

  /**
   * May this response be stored, and for how long, when the distribution sets its own error caching
   * time for this status (CloudFront's ErrorCachingMinTTL of a custom error response). That time
   * replaces the policy's error caching TTL, as a minimum, as CloudFront documents it:
   *
   * <ul>
   *   <li>no explicit freshness: kept for exactly that time (not clamped); zero: not kept, even for
   *       a status cacheable by default (which would otherwise get the default TTL);
   *   <li>explicit max-age, s-maxage or Expires: kept for the longer of that lifetime (clamped to
   *       the policy as usual) and this time.
   * </ul>
   *
   * <p>Every other rule stands: no-store, private and no-cache are honoured (CloudFront ignores
   * them for errors other than 404, 410, 414 and 501; keeping an error the origin said not to keep
   * is the unsafe side), as are Authorization, Set-Cookie and Vary.
   *
   * @param errorCachingMinTtl the distribution's time for this status, or null for the policy's
   *     error caching TTL (the six-argument form); ignored for a status below 400
   */
  public static StorageDecision storage(
      CachePolicy policy,
      Duration errorCachingMinTtl,
      String requestMethod,
      boolean requestHadAuthorization,
      int status,
      ResponseHeaders headers,
      Instant responseTime) {
    Duration errorMinTtl = status >= 400 ? errorCachingMinTtl : null;
    Duration errorTtl = errorMinTtl != null ? errorMinTtl : policy.errorCachingTtl();
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
    List<String> targeted = targetedCacheControl(policy, headers);
    CacheControl cc =
        CacheControl.parse(targeted != null ? targeted : headers.getAll("cache-control"));
    // RFC 9213 2.2: a targeted field, when present, replaces Cache-Control and Expires.
    boolean useExpires = targeted == null && headers.contains("expires");
    boolean explicitFreshness = cc.has("s-maxage") || cc.has("max-age") || useExpires;
    boolean errorCaching = status >= 400 && !errorTtl.isZero();
    // RFC 9111 4.2.2: heuristic freshness for a status cacheable by default, or for any status
    // the origin marked public (3: public makes a response storable whatever its status).
    Duration heuristic =
        policy.heuristicFreshness() && (cacheableByDefault(status) || cc.isPublic())
            ? heuristicLifetime(headers, responseTime)
            : null;
    if (!cacheableByDefault(status) && !explicitFreshness && !errorCaching && heuristic == null) {
      return StorageDecision.notStored(StorageDecision.Reason.STATUS_NOT_CACHEABLE);
    }
    // RFC 9111 5.2.2.3: must-understand limits storing to caches that understand the status; one
    // that does ignores the no-store sent along for caches that do not know the directive.
    boolean mustUnderstand = cc.has("must-understand");
    if (mustUnderstand && !understoodStatus(status)) {
      return StorageDecision.notStored(StorageDecision.Reason.MUST_UNDERSTAND);
    }
    boolean noStore = cc.noStore() && !mustUnderstand;
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
    if (varyNames(policy, headers) == null) {
      return StorageDecision.notStored(StorageDecision.Reason.VARY);
    }
    boolean minTtlOverride =
        policy.cachePrivateAtMinTtl() && policy.minTtl().compareTo(Duration.ZERO) > 0;
    // Qualified private="f" and no-cache="f" (RFC 9111 5.2.2.7, 5.2.2.4) only bar the listed
    // fields, which are not stored (see fieldsNotStored); the rest of the response is.
    boolean isPrivate = cc.isPrivate() && cc.fieldNames("private").isEmpty();
    boolean noCache = cc.noCache() && cc.fieldNames("no-cache").isEmpty();
    if (noStore || isPrivate || noCache) {
      if (minTtlOverride) {
        return StorageDecision.stored(policy.minTtl(), StorageDecision.Reason.MIN_TTL_OVERRIDE);
      }
      if (noStore) {
        return StorageDecision.notStored(StorageDecision.Reason.NO_STORE);
      }
      if (isPrivate) {
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
    } else if (useExpires) {
      lifetime = expiresLifetime(headers, responseTime);
      source = StorageDecision.Reason.EXPIRES;
    } else if (errorCaching) {
      // CloudFront's ErrorCachingMinTTL: an error without freshness of its own is kept briefly,
      // so a failing origin is not hammered; not clamped by the policy's TTLs.
      return StorageDecision.stored(errorTtl, StorageDecision.Reason.ERROR_CACHING);
    } else if (errorMinTtl != null) {
      // The distribution's zero for this status: "do not cache this error" (CloudFront), where a
      // 404 without freshness would otherwise get the default TTL.
      return StorageDecision.notStored(StorageDecision.Reason.ZERO_TTL);
    } else if (heuristic != null) {
      lifetime = heuristic;
      source = StorageDecision.Reason.HEURISTIC;
    } else {
      lifetime = policy.defaultTtl();
      source = StorageDecision.Reason.DEFAULT_TTL;
    }
    Duration ttl = clamp(lifetime, policy.minTtl(), policy.maxTtl());
    if (errorMinTtl != null && errorMinTtl.compareTo(ttl) > 0) {
      // CloudFront: an error with its own lifetime is kept for the longer of that lifetime and the
      // error caching minimum TTL.
      return StorageDecision.stored(errorMinTtl, StorageDecision.Reason.ERROR_CACHING);
    }
    if (ttl.isZero() && !hasValidator(headers)) {
      return StorageDecision.notStored(StorageDecision.Reason.ZERO_TTL);
    }
    return StorageDecision.stored(ttl, source);
  }

  /**
   * The request fields a response varies on that the primary key does not already hold (RFC 9111
   * 4.1), lower-cased, in the order listed, without duplicates: the edge stores the response under
   * a secondary key of these fields' values ({@link CacheKeys#withVary}). Empty when the key covers
   * them all: Accept-Encoding (always keyed, normalised), a header the policy's header selection
   * includes, Cookie when the policy keys on all cookies. Null for {@code Vary: *}, which never
   * matches a later request: such a response is not stored.
   */
  public static List<String> varyNames(CachePolicy policy, ResponseHeaders headers) {
    List<String> vary = headers.getAll("vary");
    if (vary.isEmpty()) {
      return List.of();
    }
    List<String> out = null;
    for (int i = 0, n = vary.size(); i < n; i++) {
      for (String field : vary.get(i).split(",")) {
        String name = field.trim().toLowerCase(Locale.ROOT);
        if (name.equals("*")) {
          return null;
        }
        if (name.isEmpty() || name.equals("accept-encoding")) {
          continue;
        }
        boolean keyed =
            name.equals("cookie")
                ? policy.cookies().behavior() == KeyFields.Behavior.ALL
                : policy.headers().includes(name);
        if (!keyed) {
          if (out == null) {
            out = new java.util.ArrayList<>(2);
          }
          if (!out.contains(name)) {
            out.add(name);
          }
        }
      }
    }
    return out == null ? List.of() : List.copyOf(out);
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

  /** The cap of a heuristic freshness lifetime (RFC 9111 4.2.2 leaves it to the cache). */
  public static final Duration HEURISTIC_CAP = Duration.ofDays(1);

  /**
   * RFC 9111 4.2.2: 10% of the time since Last-Modified (Date minus Last-Modified), capped at
   * {@link #HEURISTIC_CAP}; null without a valid Last-Modified. A Last-Modified in the future gives
   * zero.
   */
  static Duration heuristicLifetime(ResponseHeaders headers, Instant responseTime) {
    Instant lastModified = HttpDates.parse(headers.get("last-modified"), responseTime);
    if (lastModified == null) {
      return null;
    }
    Duration age = Duration.between(lastModified, dateOr(headers, responseTime));
    if (age.isNegative()) {
      return Duration.ZERO;
    }
    Duration tenth = age.dividedBy(10);
    return tenth.compareTo(HEURISTIC_CAP) > 0 ? HEURISTIC_CAP : tenth;
  }

  /** The field name of CDN-Cache-Control (RFC 9213), lower-case. */
  public static final String CDN_CACHE_CONTROL = "cdn-cache-control";

  /**
   * The targeted cache-control field lines this edge obeys (RFC 9213 2.2), or null when there is
   * none: the policy's own targeted field first, then CDN-Cache-Control. A field that is absent,
   * blank or not valid is skipped (RFC 9213 2.2: the cache behaves as if it were not there, and the
   * next field, finally Cache-Control, decides).
   */
  public static List<String> targetedCacheControl(CachePolicy policy, ResponseHeaders headers) {
    String own = policy.targetedCacheControl();
    if (own != null) {
      List<String> v = headers.getAll(own);
      if (validTargetedField(v)) {
        return v;
      }
    }
    List<String> cdn = headers.getAll(CDN_CACHE_CONTROL);
    return validTargetedField(cdn) ? cdn : null;
  }

  /** The directives whose value must be an Integer in a targeted field (RFC 9213 2.1). */
  private static final String[] INTEGER_DIRECTIVES = {
    "max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"
  };

  /**
   * RFC 9213 2.1: a targeted field is a Structured Field Dictionary (RFC 8941). One that is empty
   * or does not parse ({@code max-age=10000, &&&&&}, {@code MaX-AgE=60}, {@code max-age =60}) is
   * ignored, and so is one whose delta-seconds directive is not an Integer ({@code
   * max-age="10000"}): read tolerantly, such a field would override the Cache-Control the origin
   * sent with it, typically {@code no-store}, with a lifetime nobody wrote correctly.
   */
  static boolean validTargetedField(List<String> lines) {
    if (lines.isEmpty()) {
      return false;
    }
    Map<String, StructuredFields.Kind> members = StructuredFields.dictionary(lines);
    if (members == null || members.isEmpty()) {
      return false;
    }
    for (String d : INTEGER_DIRECTIVES) {
      StructuredFields.Kind k = members.get(d);
      if (k != null && k != StructuredFields.Kind.INTEGER) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a field is a targeted cache-control field this policy obeys (CDN-Cache-Control or the
   * policy's own). Takes any case.
   */
  public static boolean isTargetedField(CachePolicy policy, String name) {
    return name.equalsIgnoreCase(CDN_CACHE_CONTROL) || isEdgeOnlyField(policy, name);
  }

  /**
   * Whether a field is for this edge only and is never forwarded to viewers: the policy's own
   * targeted field. CDN-Cache-Control is forwarded: it targets every CDN cache (RFC 9213 3), and a
   * CDN in front of this edge is one of them; browsers ignore it. Takes any case.
   */
  public static boolean isEdgeOnlyField(CachePolicy policy, String name) {
    return policy.targetedCacheControl() != null
        && name.equalsIgnoreCase(policy.targetedCacheControl());
  }

  /**
   * The cache directives this edge obeys for a stored response: the targeted field's when present
   * (RFC 9213), else Cache-Control.
   */
  public static CacheControl effectiveCacheControl(CachePolicy policy, ResponseHeaders headers) {
    List<String> targeted = targetedCacheControl(policy, headers);
    return CacheControl.parse(targeted != null ? targeted : headers.getAll("cache-control"));
  }

  /**
   * Fields that must not be stored (lower-cased): those listed in a qualified {@code private="..."}
   * (RFC 9111 5.2.2.7: a shared cache must not store them) or {@code no-cache="..."} (5.2.2.4:
   * never reused without revalidation; dropping them is the simplest way to honour that). Empty for
   * most responses.
   */
  public static List<String> fieldsNotStored(CachePolicy policy, ResponseHeaders headers) {
    CacheControl cc = effectiveCacheControl(policy, headers);
    List<String> p = cc.fieldNames("private");
    List<String> n = cc.fieldNames("no-cache");
    if (p.isEmpty()) {
      return n;
    }
    if (n.isEmpty()) {
      return p;
    }
    List<String> all = new java.util.ArrayList<>(p);
    all.addAll(n);
    return all;
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
   * absent or invalid Date gives an apparent age of 0. Age is a singleton field, but a list ({@code
   * Age: 7200, 0}) or several lines are read as their first member, as RFC 9111 5.1 asks: reading
   * the last (or an invalid list as 0) would let an appended {@code 0} make an old response fresh.
   *
   * @param requestTime when the request to the origin was sent
   * @param responseTime when the response was received
   */
  public static Duration initialAge(
      ResponseHeaders headers, Instant requestTime, Instant responseTime) {
    long ageValue = Math.max(0, CacheControl.parseDeltaSeconds(firstMember(headers.get("age"))));
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

  /**
   * An HTTP-date (IMF-fixdate, RFC 9110 5.6.7) for a Date header. The edge adds Date to a response
   * whose origin sent none (RFC 9110 6.6.1: a recipient with a clock must), before storing it.
   */
  public static String httpDate(Instant instant) {
    return HttpDates.format(instant);
  }

  /** The first member of a list-valued field line, trimmed ({@code "7200, 0"} gives "7200"). */
  private static String firstMember(String line) {
    if (line == null) {
      return null;
    }
    int comma = line.indexOf(',');
    return (comma < 0 ? line : line.substring(0, comma)).trim();
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
