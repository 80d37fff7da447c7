package io.bulwark.cache;

import java.util.Objects;

/**
 * The identity of a cached object: what {@link CacheKeys#of} selected from the request, encoded as
 * one string. Immutable; the hash is computed once, and {@link #equals} compares hashes before
 * characters, so a lookup usually costs one int comparison plus one string comparison on a hit.
 */
public final class CacheKey {
  private final String value;
  private final int hash;

  private CacheKey(String value) {
    this.value = value;
    this.hash = value.hashCode();
  }

  /**
   * A key from an already-encoded value. The edge uses {@link CacheKeys#of}; this exists for tests
   * and for derived keys (a later Vary secondary key appends to {@link #value()}).
   */
  public static CacheKey of(String value) {
    return new CacheKey(Objects.requireNonNull(value, "value"));
  }

  /** The encoded key (fields separated by newlines; see {@link CacheKeys}). */
  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof CacheKey k && k.hash == hash && k.value.equals(value);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The key on one line, for logs (newlines shown as " | "). */
  @Override
  public String toString() {
    return value.replace("\n", " | ");
  }
}
