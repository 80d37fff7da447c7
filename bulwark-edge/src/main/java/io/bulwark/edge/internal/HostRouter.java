package io.bulwark.edge.internal;

import io.bulwark.config.Distribution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the distribution for a Host header. Exact names first, then "*.example.com" wildcards
 * (one label, as CloudFront's alternate domain names). An unknown host gets no distribution, never
 * a random site.
 */
final class HostRouter {
  private final Map<String, Distribution> exact = new HashMap<>();
  private final List<Map.Entry<String, Distribution>> wildcards = new ArrayList<>();

  HostRouter(List<Distribution> distributions) {
    for (Distribution d : distributions) {
      for (String h : d.hosts()) {
        if (h.startsWith("*.")) {
          wildcards.add(Map.entry(h.substring(1), d)); // ".example.com"
        } else {
          exact.put(h, d);
        }
      }
    }
  }

  /**
   * The distribution for a raw Host header value (may carry a port and upper case), or null.
   * Handles IPv6 literals in brackets.
   */
  Distribution route(String hostHeader) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return null;
    }
    String host = stripPort(hostHeader);
    Distribution d = exact.get(host);
    if (d == null) {
      String lower = host.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".")) {
        lower = lower.substring(0, lower.length() - 1);
      }
      d = exact.get(lower);
      if (d == null) {
        int dot = lower.indexOf('.');
        if (dot > 0) {
          String suffix = lower.substring(dot);
          for (Map.Entry<String, Distribution> w : wildcards) {
            if (w.getKey().equals(suffix)) {
              return w.getValue();
            }
          }
        }
      }
    }
    return d;
  }

  static String stripPort(String hostHeader) {
    if (hostHeader.startsWith("[")) {
      int end = hostHeader.indexOf(']');
      return end > 0 ? hostHeader.substring(1, end) : hostHeader;
    }
    int colon = hostHeader.lastIndexOf(':');
    return colon >= 0 ? hostHeader.substring(0, colon) : hostHeader;
  }
}
