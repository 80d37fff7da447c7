package io.bulwark.staticorigin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.staticorigin.internal.ByteRanges.Decision;
import io.bulwark.staticorigin.internal.ByteRanges.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangesTest {

  @ParameterizedTest(name = "Range: {0} over {1} bytes -> {2} {3}-{4}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      textBlock =
          """
          NULL                   | 100 | FULL          | 0  | -1
          bytes=0-9              | 100 | PARTIAL       | 0  | 9
          bytes=90-199           | 100 | PARTIAL       | 90 | 99
          bytes=10-              | 100 | PARTIAL       | 10 | 99
          bytes=-5               | 100 | PARTIAL       | 95 | 99
          bytes=-500             | 100 | PARTIAL       | 0  | 99
          BYTES = 0-0            | 100 | PARTIAL       | 0  | 0
          bytes=99-99            | 100 | PARTIAL       | 99 | 99
          bytes=0-99999999999999999999999 | 100 | PARTIAL | 0 | 99
          bytes=100-             | 100 | UNSATISFIABLE | 0  | -1
          bytes=100-200          | 100 | UNSATISFIABLE | 0  | -1
          bytes=99999999999999999999999- | 100 | UNSATISFIABLE | 0 | -1
          bytes=-0               | 100 | UNSATISFIABLE | 0  | -1
          bytes=-1               | 0   | UNSATISFIABLE | 0  | -1
          bytes=0-               | 0   | UNSATISFIABLE | 0  | -1
          'bytes=0-1,5-6'        | 100 | FULL          | 0  | -1
          'bytes=0-1, ,'         | 100 | PARTIAL       | 0  | 1
          bytes=9-3              | 100 | FULL          | 0  | -1
          bytes=a-b              | 100 | FULL          | 0  | -1
          bytes=-                | 100 | FULL          | 0  | -1
          bytes=                 | 100 | FULL          | 0  | -1
          bytes=5                | 100 | FULL          | 0  | -1
          items=0-5              | 100 | FULL          | 0  | -1
          0-5                    | 100 | FULL          | 0  | -1
          """)
  void decides(String header, long length, Kind kind, long first, long last) {
    Decision decision = ByteRanges.decide(header, length);

    assertThat(decision.kind()).isEqualTo(kind);
    if (kind == Kind.PARTIAL) {
      assertThat(decision.first()).isEqualTo(first);
      assertThat(decision.last()).isEqualTo(last);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "bytes=0-9, 100, bytes 0-9/100",
    "bytes=-1, 7, bytes 6-6/7",
    "bytes=7-, 7, bytes */7"
  })
  void formatsContentRange(String header, long length, String contentRange) {
    assertThat(ByteRanges.decide(header, length).contentRange(length)).isEqualTo(contentRange);
  }
}
