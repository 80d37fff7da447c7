package io.bulwark.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP header fields exactly as they were on the wire: in order, duplicates kept, names with their
 * original case. Lookups ignore case (RFC 9110 section 5.1). Immutable.
 */
public final class Headers {
  private static final Headers EMPTY = new Headers(List.of());

  private final List<Map.Entry<String, String>> fields;

  private Headers(List<Map.Entry<String, String>> fields) {
    this.fields = fields;
  }

  public static Headers empty() {
    return EMPTY;
  }

  /** Headers from alternating names and values: {@code Headers.of("Host", "a", "Accept", "*")}. */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name/value pairs");
    }
    List<Map.Entry<String, String>> list = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      list.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
    }
    return new Headers(Collections.unmodifiableList(list));
  }

  static Headers copyOf(List<Map.Entry<String, String>> fields) {
    return fields.isEmpty() ? EMPTY : new Headers(List.copyOf(fields));
  }

  /** A copy with one more field at the end. */
  public Headers plus(String name, String value) {
    List<Map.Entry<String, String>> list = new ArrayList<>(fields);
    list.add(Map.entry(name, value));
    return new Headers(Collections.unmodifiableList(list));
  }

  /** A copy without any field of this name (case-insensitive). */
  public Headers minus(String name) {
    List<Map.Entry<String, String>> list = new ArrayList<>();
    for (Map.Entry<String, String> field : fields) {
      if (!field.getKey().equalsIgnoreCase(name)) {
        list.add(field);
      }
    }
    return new Headers(Collections.unmodifiableList(list));
  }

  /** The first value of this field, or null when absent. */
  public String get(String name) {
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equalsIgnoreCase(name)) {
        return field.getValue();
      }
    }
    return null;
  }

  public Optional<String> first(String name) {
    return Optional.ofNullable(get(name));
  }

  /** Every value of this field, in order. */
  public List<String> all(String name) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equalsIgnoreCase(name)) {
        values.add(field.getValue());
      }
    }
    return values;
  }

  public boolean contains(String name) {
    return get(name) != null;
  }

  /** True when a comma-separated field of this name lists {@code token} (case-insensitive). */
  public boolean hasToken(String name, String token) {
    for (String value : all(name)) {
      for (String part : value.split(",")) {
        if (part.trim().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The distinct field names, lower-cased, in first-seen order. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, String> field : fields) {
      String lower = field.getKey().toLowerCase(Locale.ROOT);
      if (!names.contains(lower)) {
        names.add(lower);
      }
    }
    return names;
  }

  /** The fields as received: ordered name/value pairs, original case, duplicates kept. */
  public List<Map.Entry<String, String>> asList() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> field : fields) {
      sb.append(field.getKey()).append(": ").append(field.getValue()).append('\n');
    }
    return sb.toString();
  }
}
