package io.bulwark.config;

import java.time.Duration;
import java.util.List;

/**
 * A distribution: the hosts it answers for, its behaviors and its TLS settings.
 *
 * @param id unique id
 * @param hosts lower-cased host names (aliases), without port; "*.example.com" matches one label
 * @param tls the viewer certificate for these hosts, or null to use the listener's default
 * @param behaviors ordered behaviors, evaluated first to last; the first match wins
 * @param defaultBehavior used when no ordered behavior matches
 * @param webAcl the web ACL name, or null (read by the WAF integration)
 * @param customErrorResponses what is done with each listed error status (a custom page, its own
 *     error-caching time), at most one per status, in the file's order; empty when none
 */
public record Distribution(
    String id,
    List<String> hosts,
    TlsSettings tls,
    List<Behavior> behaviors,
    Behavior defaultBehavior,
    String webAcl,
    List<CustomErrorResponse> customErrorResponses) {

  public Distribution {
    customErrorResponses =
        customErrorResponses == null ? List.of() : List.copyOf(customErrorResponses);
  }

  /** A distribution without custom error responses. */
  public Distribution(
      String id,
      List<String> hosts,
      TlsSettings tls,
      List<Behavior> behaviors,
      Behavior defaultBehavior,
      String webAcl) {
    this(id, hosts, tls, behaviors, defaultBehavior, webAcl, List.of());
  }

  /** The custom error response for this status, or null when it has none. */
  public CustomErrorResponse customErrorResponse(int status) {
    for (int i = 0, n = customErrorResponses.size(); i < n; i++) {
      CustomErrorResponse c = customErrorResponses.get(i);
      if (c.errorCode() == status) {
        return c;
      }
    }
    return null;
  }

  /**
   * The distribution's error-caching-min-ttl for this status, or null when it sets none (the cache
   * policy's error-caching-ttl then applies).
   */
  public Duration errorCachingMinTtl(int status) {
    CustomErrorResponse c = status >= 400 ? customErrorResponse(status) : null;
    return c == null ? null : c.errorCachingMinTtl();
  }

  /** Whether any listed status is answered with a custom page. */
  public boolean hasCustomErrorPages() {
    for (int i = 0, n = customErrorResponses.size(); i < n; i++) {
      if (customErrorResponses.get(i).hasPage()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The behavior for a path: the first ordered behavior whose pattern matches, else the default.
   */
  public Behavior behaviorFor(CharSequence path) {
    for (int i = 0, n = behaviors.size(); i < n; i++) {
      Behavior b = behaviors.get(i);
      if (b.pattern().matches(path)) {
        return b;
      }
    }
    return defaultBehavior;
  }
}
