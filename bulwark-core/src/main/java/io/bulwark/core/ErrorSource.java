package io.bulwark.core;

/** Which side of the proxy caused a failure. */
public enum ErrorSource {
  /** The client sent something we refuse: its own fault, never retried. */
  VIEWER,
  /** The origin failed or could not be reached. */
  ORIGIN,
  /** Bulwark itself failed. */
  INTERNAL
}
