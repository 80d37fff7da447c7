package io.bulwark.admin;

import java.util.List;
import java.util.Map;

/** What the admin API can ask of the running process. Implemented by the server's wiring. */
public interface AdminActions {
  /** Prometheus text exposition of every meter. */
  String scrapeMetrics();

  /** Reloads the config file; returns the problems (empty when the new snapshot is serving). */
  List<String> reload();

  /**
   * Invalidates cached objects of a distribution by path patterns ({@code *} wildcards).
   *
   * @return objects removed
   * @throws IllegalArgumentException for an unknown distribution or a malformed path
   */
  int invalidate(String distribution, List<String> paths);

  /** The running config as a JSON-ready tree, secrets redacted. */
  Map<String, Object> config();

  /** Built-in static origins by id with their port and fault. */
  Map<String, Map<String, Object>> staticOrigins();

  /**
   * Sets a built-in static origin's fault: off, 503, reset, hang, refuse.
   *
   * @throws IllegalArgumentException for an unknown origin or fault
   */
  void setFault(String staticOrigin, String fault);
}
