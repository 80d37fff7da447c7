package io.bulwark.waf.internal;

/**
 * Label matching, as AWS WAF's LabelMatch does it. A label is {@code ns1:ns2:...:name}. A LABEL key
 * matches a label equal to it or ending with {@code :key} (so {@code name} or {@code ns2:name} both
 * match). A NAMESPACE key (with or without its trailing colon) matches a label one of whose
 * namespaces ({@code ns1:}, {@code ns1:ns2:}, ...) equals it or ends with {@code :key}.
 */
public final class Labels {
  private Labels() {}

  public static boolean matches(Statement.LabelScope scope, String key, String label) {
    if (scope == Statement.LabelScope.LABEL) {
      return label.equals(key) || label.endsWith(":" + key);
    }
    String ns = key.endsWith(":") ? key : key + ":";
    int idx = label.lastIndexOf(':');
    while (idx >= 0) {
      String prefix = label.substring(0, idx + 1);
      if (prefix.equals(ns) || prefix.endsWith(":" + ns)) {
        return true;
      }
      idx = idx == 0 ? -1 : label.lastIndexOf(':', idx - 1);
    }
    return false;
  }
}
