package io.bulwark.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tolerant Cache-Control parser (RFC 9111 5.2, 4.2.1, 1.2.2). */
class CacheControlTest {

  static Stream<Arguments> directives() {
    return Stream.of(
        // rule, field values, directive, present, argument, delta-seconds (null = none), invalid
        arguments(
            "token argument (RFC 9111 5.2)",
            new String[] {"max-age=60"},
            "max-age",
            true,
            "60",
            60L,
            false),
        arguments(
            "names are case-insensitive (RFC 9111 5.2)",
            new String[] {"Max-Age=60"},
            "max-age",
            true,
            "60",
            60L,
            false),
        arguments(
            "quoted argument accepted for delta-seconds (RFC 9111 5.2, liberal)",
            new String[] {"max-age=\"60\""},
            "max-age",
            true,
            "60",
            60L,
            false),
        arguments(
            "spaces around '=' are skipped",
            new String[] {"max-age = 60"},
            "max-age",
            true,
            "60",
            60L,
            false),
        arguments(
            "directive without argument: present, unusable as delta-seconds",
            new String[] {"no-store"},
            "no-store",
            true,
            null,
            null,
            true),
        arguments(
            "absent directive", new String[] {"no-store"}, "max-age", false, null, null, false),
        arguments(
            "commas inside a quoted string do not split (RFC 9110 5.6.4)",
            new String[] {"no-cache=\"set-cookie, x-a\", max-age=5"},
            "max-age",
            true,
            "5",
            5L,
            false),
        arguments(
            "quoted string keeps its commas",
            new String[] {"no-cache=\"set-cookie, x-a\", max-age=5"},
            "no-cache",
            true,
            "set-cookie, x-a",
            null,
            true),
        arguments(
            "backslash escape in a quoted string",
            new String[] {"ext=\"a\\\"b\""},
            "ext",
            true,
            "a\"b",
            null,
            true),
        arguments(
            "unterminated quote runs to the end",
            new String[] {"private=\"x, max-age=5"},
            "max-age",
            false,
            null,
            null,
            false),
        arguments(
            "several field lines are one list (RFC 9110 5.3)",
            new String[] {"public", "max-age=30"},
            "max-age",
            true,
            "30",
            30L,
            false),
        arguments(
            "empty list elements are ignored",
            new String[] {", ,max-age=7,,"},
            "max-age",
            true,
            "7",
            7L,
            false),
        arguments(
            "identical duplicates are harmless",
            new String[] {"max-age=10, max-age=10"},
            "max-age",
            true,
            "10",
            10L,
            false),
        arguments(
            "conflicting duplicates are invalid: stale (RFC 9111 4.2.1)",
            new String[] {"max-age=10", "max-age=20"},
            "max-age",
            true,
            "10",
            null,
            true),
        arguments(
            "non-digit delta-seconds is invalid (RFC 9111 1.2.2)",
            new String[] {"max-age=10s"},
            "max-age",
            true,
            "10s",
            null,
            true),
        arguments(
            "negative delta-seconds is invalid",
            new String[] {"s-maxage=-1"},
            "s-maxage",
            true,
            "-1",
            null,
            true),
        arguments(
            "missing argument is invalid for delta-seconds",
            new String[] {"max-age"},
            "max-age",
            true,
            null,
            null,
            true),
        arguments(
            "empty argument is invalid",
            new String[] {"max-age="},
            "max-age",
            true,
            "",
            null,
            true),
        arguments(
            "huge values are read as 2^31 (RFC 9111 1.2.2)",
            new String[] {"max-age=99999999999999999999"},
            "max-age",
            true,
            "99999999999999999999",
            2147483648L,
            false),
        arguments(
            "null field values are skipped",
            new String[] {null, "s-maxage=3"},
            "s-maxage",
            true,
            "3",
            3L,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("directives")
  void parsesDirectives(
      String rule,
      String[] values,
      String directive,
      boolean present,
      String argument,
      Long delta,
      boolean invalid) {
    CacheControl cc = CacheControl.parse(values);
    assertThat(cc.has(directive)).isEqualTo(present);
    assertThat(cc.argument(directive)).isEqualTo(argument);
    assertThat(cc.deltaSeconds(directive))
        .isEqualTo(delta == null ? OptionalLong.empty() : OptionalLong.of(delta));
    assertThat(cc.invalidDeltaSeconds(directive)).isEqualTo(invalid);
  }

  @Test
  void namedAccessorsReadTheStandardDirectives() {
    CacheControl cc =
        CacheControl.parse(
            "public, private, no-cache, no-store, must-revalidate, proxy-revalidate, s-maxage=5,"
                + " max-age=9");
    assertThat(cc.isPublic()).isTrue();
    assertThat(cc.isPrivate()).isTrue();
    assertThat(cc.noCache()).isTrue();
    assertThat(cc.noStore()).isTrue();
    assertThat(cc.mustRevalidate()).isTrue();
    assertThat(cc.proxyRevalidate()).isTrue();
    assertThat(cc.sMaxAge()).hasValue(5);
    assertThat(cc.maxAge()).hasValue(9);
    assertThat(CacheControl.parse("").isEmpty()).isTrue();
    assertThat(CacheControl.parse("max-age=1").noStore()).isFalse();
  }

  @Test
  void qualifiedNoCacheAndPrivateListFieldNames() {
    CacheControl cc = CacheControl.parse("no-cache=\"Set-Cookie, X-A\", private=x-b, max-age=1");
    assertThat(cc.fieldNames("no-cache")).isEqualTo(List.of("set-cookie", "x-a"));
    assertThat(cc.fieldNames("private")).isEqualTo(List.of("x-b"));
    assertThat(cc.fieldNames("max-age")).isEqualTo(List.of("1"));
    assertThat(CacheControl.parse("no-cache").fieldNames("no-cache")).isEmpty();
  }
}
