package io.bulwark.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * An immutable, ordered list of response header fields (name/value pairs, names as received, one
 * pair per field line), with case-insensitive lookup. The edge builds one from the origin's
 * headers; the cache stores it with the entry and the edge writes it back out on a hit.
 *
 * <p>Lookups scan linearly: a response has a few dozen fields at most, and a scan over two small
 * arrays beats hashing for that size and allocates nothing.
 */
public final class ResponseHeaders {
  /** No fields. */
  public static final ResponseHeaders EMPTY = new ResponseHeaders(new String[0], new String[0]);

  private final String[] names;
  private final String[] values;

  private ResponseHeaders(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /** Fields from alternating names and values: {@code of("Cache-Control", "max-age=60", ...)}. */
  public static ResponseHeaders of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "names and values come in pairs, got " + namesAndValues.length + " strings");
    }
    Builder b = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Number of field lines. */
  public int size() {
    return names.length;
  }

  /** Name of the i-th field line, as received. */
  public String name(int i) {
    return names[i];
  }

  /** Value of the i-th field line. */
  public String value(int i) {
    return values[i];
  }

  /** The first value of the named field, or null. */
  public String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return values[i];
      }
    }
    return null;
  }

  /** Every value of the named field in order (one per field line); empty when absent. */
  public List<String> getAll(String name) {
    List<String> out = null;
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(values[i]);
      }
    }
    return out == null ? List.of() : Collections.unmodifiableList(out);
  }

  public boolean contains(String name) {
    for (String n : names) {
      if (n.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** Calls {@code action} with each field line's name and value, in order. */
  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < names.length; i++) {
      action.accept(names[i], values[i]);
    }
  }

  /** A copy without the field lines whose (lower-cased) name {@code drop} accepts. */
  public ResponseHeaders without(Predicate<String> drop) {
    Builder b = new Builder();
    boolean dropped = false;
    for (int i = 0; i < names.length; i++) {
      if (drop.test(names[i].toLowerCase(Locale.ROOT))) {
        dropped = true;
      } else {
        b.add(names[i], values[i]);
      }
    }
    return dropped ? b.build() : this;
  }

  /**
   * Bytes these fields take on the wire in HTTP/1.1 ({@code name: value\r\n} per line), the measure
   * the store charges against its budget (names and values are Latin-1, one byte a char).
   */
  public long sizeBytes() {
    long n = 0;
    for (int i = 0; i < names.length; i++) {
      n += names[i].length() + values[i].length() + 4;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResponseHeaders h
        && Arrays.equals(names, h.names)
        && Arrays.equals(values, h.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < names.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(names[i]).append(": ").append(values[i]);
    }
    return sb.append(']').toString();
  }

  /** Collects field lines in order. Not thread-safe; {@link #build()} copies. */
  public static final class Builder {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    private Builder() {}

    public Builder add(String name, String value) {
      names.add(Objects.requireNonNull(name, "name"));
      values.add(Objects.requireNonNull(value, "value"));
      return this;
    }

    public ResponseHeaders build() {
      return new ResponseHeaders(names.toArray(new String[0]), values.toArray(new String[0]));
    }
  }
}
