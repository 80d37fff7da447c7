package io.bulwark.waf;

import java.util.List;
import java.util.Objects;

/**
 * A web ACL's {@code forward-labels} setting: the edge sends the labels a request collected to the
 * origin in one request header, so the application can act on what the WAF saw (a counted scanner,
 * a country) without evaluating rules again. A Bulwark extension: AWS WAF only inserts custom
 * headers per rule action.
 *
 * <p>The header is the edge's own: a copy sent by the viewer is always removed, labels or not, so
 * an origin can trust it as it trusts the origin secret header. Labels are not part of the cache
 * key: a cached response is served to every viewer whatever their labels, as CloudFront does with
 * headers a WAF rule inserts.
 *
 * @param header the header name, as configured (matched case-insensitively)
 * @param namespaces label prefixes to forward, each ending in {@code ':'}; empty forwards every
 *     label
 */
public record LabelForwarding(String header, List<String> namespaces) {
  /** The header used when {@code forward-labels} names none. */
  public static final String DEFAULT_HEADER = "x-bulwark-waf-labels";

  public LabelForwarding {
    Objects.requireNonNull(header, "header");
    namespaces = List.copyOf(namespaces);
  }

  /**
   * The header value for a verdict's labels: those under one of {@link #namespaces()} (all when
   * none is given), in the order the rules added them, separated by {@code ", "}; null when no
   * label qualifies, and then the edge sends no header. Labels are letters, digits, {@code _},
   * {@code -} and {@code :}, so the value needs no quoting.
   */
  public String value(List<String> labels) {
    StringBuilder sb = null;
    for (String label : labels) {
      if (!forwards(label)) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(label.length() * labels.size());
      } else {
        sb.append(", ");
      }
      sb.append(label);
    }
    return sb == null ? null : sb.toString();
  }

  /** Whether {@code label} is forwarded. */
  public boolean forwards(String label) {
    if (namespaces.isEmpty()) {
      return true;
    }
    for (String ns : namespaces) {
      if (label.startsWith(ns)) {
        return true;
      }
    }
    return false;
  }
}
