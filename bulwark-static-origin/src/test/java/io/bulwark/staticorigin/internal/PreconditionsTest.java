package io.bulwark.staticorigin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.staticorigin.internal.Preconditions.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreconditionsTest {
  private static final String ETAG = "\"abc\"";
  private static final Instant MODIFIED = Instant.parse("2025-06-01T12:00:00.250Z");

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          no conditions             | true  | -               | -                             | -                  | -                             | PROCEED
          INM exact                 | true  | -               | -                             | '"abc"'            | -                             | NOT_MODIFIED
          INM in a list             | true  | -               | -                             | '"x", "abc"'       | -                             | NOT_MODIFIED
          INM weak form matches     | true  | -               | -                             | 'W/"abc"'          | -                             | NOT_MODIFIED
          INM star                  | true  | -               | -                             | *                  | -                             | NOT_MODIFIED
          INM other tag             | true  | -               | -                             | '"abd"'            | -                             | PROCEED
          INM unquoted is malformed | true  | -               | -                             | abc                | -                             | PROCEED
          INM on a POST             | false | -               | -                             | '"abc"'            | -                             | PRECONDITION_FAILED
          IMS same second           | true  | -               | -                             | -                  | 'Sun, 01 Jun 2025 12:00:00 GMT' | NOT_MODIFIED
          IMS later                 | true  | -               | -                             | -                  | 'Mon, 02 Jun 2025 00:00:00 GMT' | NOT_MODIFIED
          IMS earlier               | true  | -               | -                             | -                  | 'Sun, 01 Jun 2025 11:59:59 GMT' | PROCEED
          IMS RFC 850 form          | true  | -               | -                             | -                  | 'Sunday, 01-Jun-25 12:00:00 GMT' | NOT_MODIFIED
          IMS asctime form          | true  | -               | -                             | -                  | 'Sun Jun  1 12:00:00 2025'    | NOT_MODIFIED
          IMS garbage is ignored    | true  | -               | -                             | -                  | yesterday                     | PROCEED
          INM miss beats IMS hit    | true  | -               | -                             | '"other"'          | 'Mon, 02 Jun 2025 00:00:00 GMT' | PROCEED
          IMS ignored for POST      | false | -               | -                             | -                  | 'Mon, 02 Jun 2025 00:00:00 GMT' | PROCEED
          IM matches                | true  | '"abc"'         | -                             | -                  | -                             | PROCEED
          IM star                   | true  | *               | -                             | -                  | -                             | PROCEED
          IM other                  | true  | '"zzz"'         | -                             | -                  | -                             | PRECONDITION_FAILED
          IM weak never matches     | true  | 'W/"abc"'       | -                             | -                  | -                             | PRECONDITION_FAILED
          IUS earlier fails         | true  | -               | 'Sun, 01 Jun 2025 11:00:00 GMT' | -                | -                             | PRECONDITION_FAILED
          IUS same second holds     | true  | -               | 'Sun, 01 Jun 2025 12:00:00 GMT' | -                | -                             | PROCEED
          IM wins over IUS          | true  | '"abc"'         | 'Sun, 01 Jun 2025 11:00:00 GMT' | -                | -                             | PROCEED
          """)
  void evaluatesInRfc9110Order(
      String name,
      boolean getOrHead,
      String ifMatch,
      String ifUnmodifiedSince,
      String ifNoneMatch,
      String ifModifiedSince,
      Outcome expected) {
    assertThat(
            Preconditions.evaluate(
                getOrHead,
                ETAG,
                MODIFIED,
                ifMatch,
                ifUnmodifiedSince,
                ifNoneMatch,
                ifModifiedSince))
        .as(name)
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "If-Range: {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          -                              | true
          '"abc"'                        | true
          'W/"abc"'                      | false
          '"abd"'                        | false
          'Sun, 01 Jun 2025 12:00:00 GMT' | true
          'Mon, 02 Jun 2025 12:00:00 GMT' | false
          'Sun, 01 Jun 2025 11:59:59 GMT' | false
          not a date                     | false
          """)
  void ifRange(String ifRange, boolean holds) {
    assertThat(Preconditions.ifRangeHolds(ifRange, ETAG, MODIFIED)).isEqualTo(holds);
  }

  @Test
  void entityTagChangesWithSizeTimeAndFileKey() {
    String base = Preconditions.entityTag(10, MODIFIED, "inode-1");

    assertThat(base).startsWith("\"").endsWith("\"").doesNotStartWith("W/");
    assertThat(Preconditions.entityTag(10, MODIFIED, "inode-1")).isEqualTo(base);
    assertThat(Preconditions.entityTag(11, MODIFIED, "inode-1")).isNotEqualTo(base);
    assertThat(Preconditions.entityTag(10, MODIFIED.plusNanos(1000), "inode-1")).isNotEqualTo(base);
    assertThat(Preconditions.entityTag(10, MODIFIED, "inode-2")).isNotEqualTo(base);
    assertThat(Preconditions.entityTag(10, MODIFIED, null)).isNotEqualTo(base);
  }

  @Test
  void formatsImfFixdate() {
    assertThat(Preconditions.formatDate(MODIFIED)).isEqualTo("Sun, 01 Jun 2025 12:00:00 GMT");
  }
}
