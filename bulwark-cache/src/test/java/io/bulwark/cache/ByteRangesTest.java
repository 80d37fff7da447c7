package io.bulwark.cache;

import static io.bulwark.cache.ByteRanges.Kind.FULL;
import static io.bulwark.cache.ByteRanges.Kind.PARTIAL;
import static io.bulwark.cache.ByteRanges.Kind.UNSATISFIABLE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Range requests over a stored object of 100 bytes: one row per rule (RFC 9110 14). */
class ByteRangesTest {
  record Row(String rule, String range, ByteRanges.Kind kind, long first, long last) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("first-last (RFC 9110 14.1.2)", "bytes=0-9", PARTIAL, 0, 9),
        new Row("first- runs to the end (RFC 9110 14.1.2)", "bytes=90-", PARTIAL, 90, 99),
        new Row("suffix -n is the last n bytes (RFC 9110 14.1.2)", "bytes=-10", PARTIAL, 90, 99),
        new Row(
            "a suffix longer than the object is all of it (RFC 9110 14.1.2)",
            "bytes=-500",
            PARTIAL,
            0,
            99),
        new Row(
            "last past the end is cut to the end (RFC 9110 14.1.2)",
            "bytes=50-1000",
            PARTIAL,
            50,
            99),
        new Row(
            "unit is case-insensitive, spaces allowed (RFC 9110 14.1)",
            "Bytes = 1-2 ",
            PARTIAL,
            1,
            2),
        new Row("first at the end: 416 (RFC 9110 14.1.1)", "bytes=100-", UNSATISFIABLE, 0, -1),
        new Row("zero-length suffix: 416 (RFC 9110 14.1.1)", "bytes=-0", UNSATISFIABLE, 0, -1),
        new Row(
            "last before first is invalid: ignored (RFC 9110 14.1.1)", "bytes=9-1", FULL, 0, -1),
        new Row(
            "several ranges: the whole object (RFC 9110 14.2 permits ignoring)",
            "bytes=0-1,5-6",
            FULL,
            0,
            -1),
        new Row("another unit is ignored (RFC 9110 14.2)", "items=0-1", FULL, 0, -1),
        new Row("garbage is ignored (RFC 9110 14.2)", "bytes=a-b", FULL, 0, -1),
        new Row("no Range: the whole object", null, FULL, 0, -1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void range(Row r) {
    ByteRanges.Range got = ByteRanges.parse(r.range(), 100);
    assertThat(got.kind()).isEqualTo(r.kind());
    if (r.kind() == PARTIAL) {
      assertThat(got.first()).isEqualTo(r.first());
      assertThat(got.last()).isEqualTo(r.last());
      assertThat(got.contentRange(100)).isEqualTo("bytes " + r.first() + "-" + r.last() + "/100");
    }
  }

  @Test
  void unsatisfiableNamesTheLengthRfc9110Section14_4() {
    assertThat(ByteRanges.parse("bytes=200-", 100).contentRange(100)).isEqualTo("bytes */100");
  }

  @Test
  void ifRangeNeedsAStrongMatchOrTheExactDateRfc9110Section13_1_5() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    String lm = "Wed, 31 Dec 2025 00:00:00 GMT";
    ResponseHeaders strong = ResponseHeaders.of("ETag", "\"a\"", "Last-Modified", lm);
    ResponseHeaders weak = ResponseHeaders.of("ETag", "W/\"a\"");
    assertThat(ByteRanges.ifRangeHolds(null, strong, t)).isTrue();
    assertThat(ByteRanges.ifRangeHolds("\"a\"", strong, t)).isTrue();
    assertThat(ByteRanges.ifRangeHolds("\"b\"", strong, t)).isFalse();
    assertThat(ByteRanges.ifRangeHolds("W/\"a\"", weak, t)).isFalse();
    assertThat(ByteRanges.ifRangeHolds("\"a\"", weak, t)).isFalse();
    assertThat(ByteRanges.ifRangeHolds(lm, strong, t)).isTrue();
    assertThat(ByteRanges.ifRangeHolds("Thu, 01 Jan 2026 00:00:00 GMT", strong, t)).isFalse();
  }
}
