package io.bulwark.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Whether a response may be stored, and its freshness lifetime (the TTL) if so.
 *
 * @param store true to keep the response
 * @param ttl the freshness lifetime after the policy clamp; zero when not stored, and zero for a
 *     stored response that must be revalidated before every reuse
 * @param reason why: where the TTL came from, or why the response is not stored (for logs, metrics
 *     and tests)
 */
public record StorageDecision(boolean store, Duration ttl, Reason reason) {

  public StorageDecision {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(reason, "reason");
    if (store != reason.stores()) {
      throw new IllegalArgumentException(reason + " does not go with store=" + store);
    }
  }

  static StorageDecision stored(Duration ttl, Reason reason) {
    return new StorageDecision(true, ttl, reason);
  }

  static StorageDecision notStored(Reason reason) {
    return new StorageDecision(false, Duration.ZERO, reason);
  }

  /** The outcome's cause. The first group stores, the second does not. */
  public enum Reason {
    /** TTL from s-maxage (RFC 9111 5.2.2.10), clamped to the policy. */
    S_MAXAGE(true),
    /** TTL from max-age (RFC 9111 5.2.2.1), clamped to the policy. */
    MAX_AGE(true),
    /** TTL from Expires minus Date (RFC 9111 4.2.1, 5.3), clamped to the policy. */
    EXPIRES(true),
    /** The origin gave no freshness: the policy's default TTL (CloudFront's DefaultTTL). */
    DEFAULT_TTL(true),
    /**
     * No explicit freshness, a Last-Modified, a status cacheable by default and a policy that
     * allows it: 10% of the time since Last-Modified, capped (RFC 9111 4.2.2).
     */
    HEURISTIC(true),
    /**
     * An origin 4xx/5xx without explicit freshness: kept for the policy's error caching TTL
     * (CloudFront's ErrorCachingMinTTL), or for the distribution's error-caching-min-ttl for its
     * status, which also raises a shorter explicit lifetime to itself.
     */
    ERROR_CACHING(true),
    /**
     * no-store, no-cache or private overridden: stored for the policy's min TTL because it sets
     * cachePrivateAtMinTtl (CloudFront's behaviour when MinTTL &gt; 0).
     */
    MIN_TTL_OVERRIDE(true),
    /**
     * no-cache (RFC 9111 5.2.2.4): stored with TTL 0, so it is never served without revalidation;
     * kept only when it has a validator (ETag or Last-Modified) to revalidate with.
     */
    NO_CACHE_REVALIDATE(true),

    /** The behavior's policy has caching disabled (all TTLs zero). */
    CACHING_DISABLED(false),
    /** Only responses to GET are stored (POST and the rest are not cacheable here). */
    METHOD_NOT_CACHEABLE(false),
    /**
     * A HEAD response has no body; stored under the shared key it would answer later GETs with an
     * empty body. The edge fills from GET (as nginx's proxy_cache_convert_head does) or passes HEAD
     * through.
     */
    HEAD_HAS_NO_BODY(false),
    /** 206: a partial body stored under the full object's key would be served as the whole. */
    PARTIAL_CONTENT(false),
    /** Not cacheable by default (RFC 9110 15.1) and no explicit freshness was given. */
    STATUS_NOT_CACHEABLE(false),
    /**
     * must-understand with a status this cache does not know the caching rules of (RFC 9111 3,
     * 5.2.2.3): only a cache that understands the status may store it.
     */
    MUST_UNDERSTAND(false),
    /** The request had Authorization and the response did not allow sharing (RFC 9111 3.5). */
    AUTHORIZATION(false),
    /** Set-Cookie while the policy keys on no cookies: it would hand one viewer's cookie to all. */
    SET_COOKIE(false),
    /**
     * Vary names a request field the key does not hold, or is {@code *} (RFC 9111 4.1): one key
     * would hold one variant for every value of that field.
     */
    VARY(false),
    /** Cache-Control: no-store (RFC 9111 5.2.2.5). */
    NO_STORE(false),
    /** Cache-Control: private (RFC 9111 5.2.2.7); a shared cache must not store it. */
    PRIVATE(false),
    /**
     * The TTL came out as zero and there is no validator, so the entry could never be reused; or an
     * error without explicit freshness whose status the distribution caches for zero.
     */
    ZERO_TTL(false);

    private final boolean stores;

    Reason(boolean stores) {
      this.stores = stores;
    }

    /** Whether this reason goes with a stored response. */
    public boolean stores() {
      return stores;
    }
  }
}
