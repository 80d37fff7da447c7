package io.bulwark.staticorigin;

import java.util.Locale;

/**
 * The static origin's fault switch, for demos and game days. Every fault is real over TCP: the edge
 * (or curl) sees what it would see from a broken server, because that is what it talks to.
 */
public enum Fault {
  /** Serve normally. */
  NONE,
  /** Answer 503 Service Unavailable to every request (connections stay usable). */
  STATUS_503,
  /** Reset each connection (TCP RST) as soon as a request arrives on it. */
  RESET,
  /** Accept and read requests but never answer; such connections are closed when cleared. */
  HANG,
  /** Unbind the listener, so connection attempts are refused; open connections are closed. */
  REFUSE;

  /**
   * Parses a fault name as an operator types it: the constant name in any case, with '-' or '_',
   * plus {@code off} for NONE and {@code 503} for STATUS_503.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Fault parse(String text) {
    String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    switch (name) {
      case "OFF":
        return NONE;
      case "503":
        return STATUS_503;
      default:
        for (Fault fault : values()) {
          if (fault.name().equals(name)) {
            return fault;
          }
        }
        throw new IllegalArgumentException(
            "unknown fault '"
                + text
                + "': use one of none (off), status_503 (503), reset, hang, refuse");
    }
  }
}
