package io.bulwark.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One checker's verdict on one probe.
 *
 * @param at when the result was decided
 * @param healthy whether this probe counts as a success
 * @param reason short, stable text for the admin API and logs: {@code "status 200"}, {@code "status
 *     503"}, {@code "timeout"}, {@code "string not found"}, {@code "connection refused"}, {@code
 *     "connected"}, ...
 * @param status the HTTP status, or 0 when there was none
 * @param latency time from the start of the probe to the verdict, or null when not measured
 */
public record ProbeResult(
    Instant at, boolean healthy, String reason, int status, Duration latency) {
  public ProbeResult {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(reason, "reason");
  }

  public static ProbeResult success(Instant at, String reason, int status, Duration latency) {
    return new ProbeResult(at, true, reason, status, latency);
  }

  public static ProbeResult failure(Instant at, String reason, int status, Duration latency) {
    return new ProbeResult(at, false, reason, status, latency);
  }
}
