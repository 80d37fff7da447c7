package io.bulwark.config;

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
 */
public record Distribution(
    String id,
    List<String> hosts,
    TlsSettings tls,
    List<Behavior> behaviors,
    Behavior defaultBehavior,
    String webAcl) {

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
