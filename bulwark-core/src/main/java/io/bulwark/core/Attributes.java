package io.bulwark.core;

import java.util.Arrays;

/**
 * Per-request state under typed {@link Key}s. Not thread-safe: one request is handled by one event
 * loop at a time, and hand-offs between threads happen-before through the executor that carries
 * them.
 */
public final class Attributes {
  private Object[] values = new Object[16];

  public <T> T get(Key<T> key) {
    int i = key.index;
    return i < values.length ? key.type().cast(values[i]) : null;
  }

  public <T> T getOrDefault(Key<T> key, T fallback) {
    T v = get(key);
    return v != null ? v : fallback;
  }

  public <T> Attributes set(Key<T> key, T value) {
    int i = key.index;
    if (i >= values.length) {
      values = Arrays.copyOf(values, Math.max(i + 1, values.length * 2));
    }
    values[i] = value;
    return this;
  }

  public boolean has(Key<?> key) {
    return get(key) != null;
  }
}
