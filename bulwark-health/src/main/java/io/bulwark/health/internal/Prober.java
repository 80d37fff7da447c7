package io.bulwark.health.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Starts one probe and completes with its outcome. Must not block the caller. Cancelling the
 * returned future abandons the probe and releases its connection.
 */
public interface Prober {
  CompletableFuture<Outcome> probe();

  /** A probe's verdict before it is stamped with time and latency. */
  record Outcome(boolean healthy, String reason, int status) {
    public static Outcome failure(String reason) {
      return new Outcome(false, reason, 0);
    }
  }
}
