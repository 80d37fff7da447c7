package io.bulwark.cache.internal;

import static io.bulwark.cache.internal.StructuredFields.Kind.BOOLEAN;
import static io.bulwark.cache.internal.StructuredFields.Kind.BYTES;
import static io.bulwark.cache.internal.StructuredFields.Kind.DECIMAL;
import static io.bulwark.cache.internal.StructuredFields.Kind.INNER_LIST;
import static io.bulwark.cache.internal.StructuredFields.Kind.INTEGER;
import static io.bulwark.cache.internal.StructuredFields.Kind.STRING;
import static io.bulwark.cache.internal.StructuredFields.Kind.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Structured Field Dictionaries (RFC 8941 4.2.2), as targeted cache-control fields use them. */
class StructuredFieldsTest {
  static Stream<Arguments> dictionaries() {
    return Stream.of(
        arguments("one integer member", List.of("max-age=3600"), Map.of("max-age", INTEGER)),
        arguments(
            "a bare key is the boolean true",
            List.of("no-store, max-age=0"),
            Map.of("no-store", BOOLEAN, "max-age", INTEGER)),
        arguments(
            "tabs and spaces around commas (OWS)",
            List.of("private ,\tmax-age=5"),
            Map.of("private", BOOLEAN, "max-age", INTEGER)),
        arguments(
            "several field lines are one dictionary (RFC 8941 4.2)",
            List.of("max-age=5", "stale-if-error=60"),
            Map.of("max-age", INTEGER, "stale-if-error", INTEGER)),
        arguments(
            "string, token, decimal, byte sequence, boolean, inner list",
            List.of("a=\"x, \\\"y\\\"\", b=tok/en, c=1.5, d=:aGk=:, e=?0, f=(1 \"z\");p"),
            Map.of(
                "a", STRING, "b", TOKEN, "c", DECIMAL, "d", BYTES, "e", BOOLEAN, "f", INNER_LIST)),
        arguments(
            "parameters on members",
            List.of("max-age=60;x=1, foo;bar"),
            Map.of("max-age", INTEGER, "foo", BOOLEAN)),
        arguments("a negative integer parses", List.of("max-age=-1"), Map.of("max-age", INTEGER)),
        arguments(
            "a quoted number is a string", List.of("max-age=\"10000\""), Map.of("max-age", STRING)),
        arguments(
            "leading and trailing spaces", List.of("  max-age=1  "), Map.of("max-age", INTEGER)),
        arguments("empty", List.of(""), Map.of()),
        arguments("not a key", List.of("max-age=10000, &&&&&"), null),
        arguments("keys are lower-case", List.of("MaX-aGe=3600"), null),
        arguments("no space before =", List.of("max-age =100"), null),
        arguments("no space after =", List.of("max-age= 100"), null),
        arguments("a trailing comma", List.of("max-age=1,"), null),
        arguments("members need a comma between them", List.of("max-age=1 no-store"), null),
        arguments("an unclosed string", List.of("a=\"x"), null),
        arguments("an unknown escape", List.of("a=\"\\x\""), null),
        arguments("a single-quoted value", List.of("max-age='3600'"), null),
        arguments("an integer of 16 digits", List.of("max-age=1234567890123456"), null),
        arguments("a decimal of 4 fraction digits", List.of("a=1.2345"), null),
        arguments("an unclosed inner list", List.of("a=(1 2"), null),
        arguments("an empty value", List.of("max-age="), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dictionaries")
  void parsesRfc8941Dictionaries(
      String rule, List<String> lines, Map<String, StructuredFields.Kind> expected) {
    assertThat(StructuredFields.dictionary(lines)).isEqualTo(expected);
  }
}
