package io.bulwark.health;

/** What a health check probes; the names mirror Route 53's {@code Type} values. */
public enum CheckType {
  /** A GET of the resource path answers with a status in the expected range. */
  HTTP,
  /** As {@link #HTTP} over TLS, with SNI on by default. */
  HTTPS,
  /** As {@link #HTTP}, and the search string occurs in the first 5,120 bytes of the body. */
  HTTP_STR_MATCH,
  /** As {@link #HTTPS}, and the search string occurs in the first 5,120 bytes of the body. */
  HTTPS_STR_MATCH,
  /** The port accepts a TCP connection. */
  TCP,
  /** Healthy when at least {@code health-threshold} of the child checks are healthy. */
  CALCULATED;

  public boolean isHttp() {
    return this == HTTP || this == HTTPS || this == HTTP_STR_MATCH || this == HTTPS_STR_MATCH;
  }

  public boolean isTls() {
    return this == HTTPS || this == HTTPS_STR_MATCH;
  }

  public boolean matchesString() {
    return this == HTTP_STR_MATCH || this == HTTPS_STR_MATCH;
  }

  /** The config spelling: {@code HTTPS_STR_MATCH} is written {@code https-str-match}. */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
