package io.bulwark.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** HTTP-date parsing (RFC 9110 5.6.7): three formats, invalid values give null. */
class HttpDatesTest {
  static final Instant REFERENCE = Instant.parse("2026-01-01T00:00:00Z");

  static Stream<Arguments> dates() {
    return Stream.of(
        arguments("IMF-fixdate", "Sun, 06 Nov 1994 08:49:37 GMT", "1994-11-06T08:49:37Z"),
        arguments(
            "rfc850-date, two-digit year in the past century",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "1994-11-06T08:49:37Z"),
        arguments(
            "rfc850-date, two-digit year within 50 years ahead stays in this century",
            "Friday, 01-Jan-27 00:00:00 GMT",
            "2027-01-01T00:00:00Z"),
        arguments(
            "rfc850-date, more than 50 years ahead means the past (RFC 9110 5.6.7)",
            "Monday, 01-Jan-80 00:00:00 GMT",
            "1980-01-01T00:00:00Z"),
        arguments(
            "asctime-date with padded day", "Sun Nov  6 08:49:37 1994", "1994-11-06T08:49:37Z"),
        arguments(
            "month names are case-insensitive",
            "Sun, 06 NOV 1994 08:49:37 GMT",
            "1994-11-06T08:49:37Z"),
        arguments(
            "surrounding whitespace", "  Thu, 01 Jan 2026 00:00:00 GMT ", "2026-01-01T00:00:00Z"),
        arguments(
            "leap second read as :59", "Wed, 31 Dec 2025 23:59:60 GMT", "2025-12-31T23:59:59Z"),
        arguments("'0' is not a date (RFC 9111 5.3: expired)", "0", null),
        arguments("empty", "", null),
        arguments("-1", "-1", null),
        arguments("not GMT", "Sun, 06 Nov 1994 08:49:37 PST", null),
        arguments(
            "weekday, month and GMT in any case",
            "THU, 18 aug 2050 02:01:18 gMT",
            "2050-08-18T02:01:18Z"),
        arguments(
            "asctime-date, day of two digits", "Thu Aug 18 02:01:18 2050", "2050-08-18T02:01:18Z"),
        // RFC 9110 5.6.7 is followed exactly: what it does not allow is not a date, so an Expires
        // written that way means already expired (RFC 9111 5.3), never some guessed future.
        arguments("UTC is not GMT", "Thu, 18 Aug 2050 02:01:18 UTC", null),
        arguments("a run of spaces", "Thu, 18  Aug  2050 02:01:18 GMT", null),
        arguments("two spaces after the comma", "Thu,  18 Aug 2050 02:01:18 GMT", null),
        arguments("a tab between parts", "Thu, 18\tAug 2050 02:01:18 GMT", null),
        arguments("no space after the comma", "Thu,18 Aug 2050 02:01:18 GMT", null),
        arguments("missing comma", "Thu 18 Aug 2050 02:01:18 GMT", null),
        arguments("two-digit year in an IMF-fixdate", "Thu, 18 Aug 50 02:01:18 GMT", null),
        arguments("dashes in an IMF-fixdate", "Thu, 18-Aug-2050 02:01:18 GMT", null),
        arguments("periods in the time", "Thu, 18 Aug 2050 02.01.18 GMT", null),
        arguments("one-digit hour", "Thu, 18 Aug 2050 2:01:18 GMT", null),
        arguments("not a weekday", "Foo, 18 Aug 2050 02:01:18 GMT", null),
        arguments("long weekday in an IMF-fixdate", "Thursday, 18 Aug 2050 02:01:18 GMT", null),
        arguments("short weekday in an rfc850-date", "Thu, 18-Aug-50 02:01:18 GMT", null),
        arguments("asctime-date with a zone", "Thu Aug 18 02:01:18 2050 GMT", null),
        arguments("day out of range", "Mon, 31 Feb 2026 00:00:00 GMT", null),
        arguments("hour out of range", "Thu, 01 Jan 2026 24:00:00 GMT", null),
        arguments("unknown month", "Thu, 01 Foo 2026 00:00:00 GMT", null),
        arguments("missing time", "Thu, 01 Jan 2026 GMT", null),
        arguments("null", null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dates")
  void parses(String rule, String value, String expected) {
    Instant parsed = HttpDates.parse(value, REFERENCE);
    assertThat(parsed).isEqualTo(expected == null ? null : Instant.parse(expected));
  }
}
