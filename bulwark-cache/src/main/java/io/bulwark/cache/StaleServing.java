package io.bulwark.cache;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * May a stale stored response be served (RFC 9111 4.2.4), and why: while it is refreshed in the
 * background (stale-while-revalidate, RFC 5861 3) or because the origin failed (stale-if-error, RFC
 * 5861 4, and the policy's own window for when every origin of the group fails). Pure.
 */
public final class StaleServing {
  private StaleServing() {}

  /** Why a stale response would be served. */
  public enum Why {
    /** Served at once while one background request revalidates it (RFC 5861 3). */
    WHILE_REVALIDATE,
    /** The origin answered 5xx or could not be reached (RFC 5861 4). */
    IF_ERROR
  }

  /**
   * Whether the stale response may be served.
   *
   * <p>Never when the response forbids it (RFC 9111 4.2.4): must-revalidate (5.2.2.2),
   * proxy-revalidate (5.2.2.8, which binds shared caches), s-maxage (5.2.2.10: it implies
   * proxy-revalidate for a shared cache) or no-cache (5.2.2.4: never reused without validation).
   * Otherwise while the time it has been stale is below the window: {@code stale-while-revalidate}
   * for {@link Why#WHILE_REVALIDATE}; the larger of {@code stale-if-error} and {@code
   * policyErrorWindow} for {@link Why#IF_ERROR}.
   *
   * @param stored the stored response's headers
   * @param freshness its freshness now (must be stale; a fresh one is simply served)
   * @param policyErrorWindow the cache policy's window for serving stale when the origin fails
   *     (zero: none)
   */
  public static boolean allowed(
      ResponseHeaders stored, Freshness freshness, Why why, Duration policyErrorWindow) {
    return allowed(
        CacheControl.parse(stored.getAll("cache-control")), freshness, why, policyErrorWindow);
  }

  /**
   * The same over already-parsed directives (the edge passes {@link
   * CacheDecisions#effectiveCacheControl}, so a targeted field such as CDN-Cache-Control decides).
   */
  public static boolean allowed(
      CacheControl cc, Freshness freshness, Why why, Duration policyErrorWindow) {
    if (freshness.fresh()) {
      return true;
    }
    if (cc.mustRevalidate() || cc.proxyRevalidate() || cc.has("s-maxage") || cc.noCache()) {
      return false;
    }
    Duration window;
    if (why == Why.WHILE_REVALIDATE) {
      window = seconds(cc.deltaSeconds("stale-while-revalidate"));
    } else {
      window = seconds(cc.deltaSeconds("stale-if-error"));
      if (policyErrorWindow.compareTo(window) > 0) {
        window = policyErrorWindow;
      }
    }
    return freshness.staleFor().compareTo(window) < 0;
  }

  /**
   * Whether a stored response of this status may stand in for a failed origin at all: not a server
   * error (5xx) itself. Serving the stored 503 of an hour ago for the origin's 503 of now tells the
   * viewer nothing the current one would not, and dresses the origin's present failure up as a
   * cache hit with an Age; a stored 200 or 404 is still the last good answer and may stand in.
   */
  public static boolean mayStandInForError(int storedStatus) {
    return storedStatus < 500;
  }

  private static Duration seconds(OptionalLong delta) {
    return delta.isPresent() ? Duration.ofSeconds(delta.getAsLong()) : Duration.ZERO;
  }
}
