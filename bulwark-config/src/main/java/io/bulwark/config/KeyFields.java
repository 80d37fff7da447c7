package io.bulwark.config;

import java.util.List;

/**
 * Which values of one kind (headers, cookies or query strings) are taken, as CloudFront's
 * HeadersConfig / CookiesConfig / QueryStringsConfig say.
 *
 * @param behavior none, a whitelist, all except a list, or all
 * @param items the names for WHITELIST and ALL_EXCEPT (header names lower-cased)
 */
public record KeyFields(Behavior behavior, List<String> items) {
  public static final KeyFields NONE = new KeyFields(Behavior.NONE, List.of());
  public static final KeyFields ALL = new KeyFields(Behavior.ALL, List.of());

  /** How values are selected. */
  public enum Behavior {
    NONE,
    WHITELIST,
    ALL_EXCEPT,
    ALL
  }

  /** Whether a value named {@code name} is taken (header names compared lower-cased). */
  public boolean includes(String name) {
    return switch (behavior) {
      case NONE -> false;
      case ALL -> true;
      case WHITELIST -> items.contains(name);
      case ALL_EXCEPT -> !items.contains(name);
    };
  }
}
