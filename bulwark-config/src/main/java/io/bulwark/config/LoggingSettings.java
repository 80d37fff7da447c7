package io.bulwark.config;

/**
 * Access log destination: {@code "stdout"}, {@code "off"} or a file path (appended to). One JSON
 * line per request, written off the event loop.
 */
public record LoggingSettings(String accessLog) {
  public boolean enabled() {
    return !"off".equals(accessLog);
  }
}
