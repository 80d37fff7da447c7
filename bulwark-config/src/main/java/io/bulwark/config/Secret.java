package io.bulwark.config;

import java.util.Objects;

/**
 * A value that must never be printed: origin custom header values (the shared secret of seed 002
 * section 5), keys. {@link #toString()} redacts; only {@link #reveal()} gives the value, and only
 * the origin client calls it.
 *
 * @param source where it came from, safe to show: "inline", "env:NAME" or "file:PATH"
 */
public record Secret(String source, String value) {
  public Secret {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(value, "value");
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "Secret(" + source + ", ****)";
  }
}
