package io.bulwark.config;

import java.time.Duration;
import java.util.Set;

/**
 * What a distribution does with one error status (CloudFront's {@code CustomErrorResponse}): send a
 * custom page instead of the error, and/or cache the error for its own time.
 *
 * <p>The page is fetched through the distribution itself (the behavior that matches its path, and
 * the cache), as CloudFront does, so it costs an origin request only when it is not cached.
 *
 * @param errorCode the status it applies to, one of {@link #ERROR_CODES}
 * @param responsePagePath the path of the page sent instead of the error (starts with "/"), or null
 *     to send the error itself
 * @param responseCode the status sent with the page, one of {@link #RESPONSE_CODES}; 0 to keep the
 *     original status. Only with a page path
 * @param errorCachingMinTtl how long an origin response with this status is cached at least
 *     (CloudFront's ErrorCachingMinTTL): the error is kept for this long when the origin gives no
 *     freshness, for the longer of this and the origin's own lifetime when it does; zero: not kept
 *     unless the origin gives a lifetime. Null: the cache policy's error-caching-ttl applies
 */
public record CustomErrorResponse(
    int errorCode, String responsePagePath, int responseCode, Duration errorCachingMinTtl) {

  /** The statuses CloudFront lets a distribution customize. */
  public static final Set<Integer> ERROR_CODES =
      Set.of(400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504);

  /** The statuses CloudFront lets a custom error page be sent with: 200 and the error codes. */
  public static final Set<Integer> RESPONSE_CODES =
      Set.of(200, 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504);

  /** Whether a custom page replaces the error. */
  public boolean hasPage() {
    return responsePagePath != null;
  }

  /** The status the viewer gets with the page, for an error of status {@code original}. */
  public int statusWithPage(int original) {
    return responseCode != 0 ? responseCode : original;
  }
}
