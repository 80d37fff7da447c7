package io.bulwark.core;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed key for per-request state. Keys are compared by identity and carry a small dense index so
 * {@link Attributes} can store values in an array rather than a string-keyed map.
 *
 * @param <T> the type of the value stored under this key
 */
public final class Key<T> {
  private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

  private final String name;
  private final Class<T> type;
  final int index;

  private Key(String name, Class<T> type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.index = NEXT_INDEX.getAndIncrement();
  }

  /** Declares a key; call once, into a {@code static final} field. */
  public static <T> Key<T> of(String name, Class<T> type) {
    return new Key<>(name, type);
  }

  public String name() {
    return name;
  }

  public Class<T> type() {
    return type;
  }

  @Override
  public String toString() {
    return "Key(" + name + ": " + type.getSimpleName() + ")";
  }
}
