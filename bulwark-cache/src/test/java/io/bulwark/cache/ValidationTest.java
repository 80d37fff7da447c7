package io.bulwark.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.bulwark.cache.internal.HttpDates;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation both ways: one row per rule, citing its section. */
class ValidationTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  static final String LM = "Wed, 31 Dec 2025 00:00:00 GMT";
  static final String BEFORE_LM = "Tue, 30 Dec 2025 00:00:00 GMT";
  static final String AFTER_LM = "Thu, 01 Jan 2026 00:00:00 GMT";
  static final ResponseHeaders STORED =
      ResponseHeaders.of("ETag", "\"v1\"", "Last-Modified", LM, "Date", AFTER_LM);

  record Viewer(
      String rule,
      String method,
      List<String> ifNoneMatch,
      String ifModifiedSince,
      int status,
      ResponseHeaders stored,
      boolean notModified) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Arguments> viewerRows() {
    return Stream.of(
            v("matching strong ETag gives 304 (RFC 9110 13.1.2)", List.of("\"v1\""), null, true),
            v("other ETag: full response (RFC 9110 13.1.2)", List.of("\"v2\""), null, false),
            v(
                "one of several ETags matches (RFC 9110 13.1.2)",
                List.of("\"a\", \"v1\""),
                null,
                true),
            v(
                "ETags over several field lines are one list (RFC 9110 5.3)",
                List.of("\"a\"", "\"v1\""),
                null,
                true),
            v(
                "weak comparison: W/\"v1\" matches \"v1\" (RFC 9110 8.8.3.2)",
                List.of("W/\"v1\""),
                null,
                true),
            v(
                "a comma inside a quoted tag does not split it (RFC 9110 8.8.3)",
                List.of("\"v1,x\""),
                null,
                false),
            v("* matches any stored representation (RFC 9110 13.1.2)", List.of("*"), null, true),
            v(
                "If-None-Match decides alone, If-Modified-Since ignored (RFC 9110 13.2.2)",
                List.of("\"v2\""),
                AFTER_LM,
                false),
            v("not modified since a later date: 304 (RFC 9110 13.1.3)", List.of(), AFTER_LM, true),
            v(
                "modified since an earlier date: full response (RFC 9110 13.1.3)",
                List.of(),
                BEFORE_LM,
                false),
            v(
                "Last-Modified equal to the date: 304 (RFC 9110 13.1.3, not later)",
                List.of(),
                LM,
                true),
            v(
                "invalid If-Modified-Since is ignored (RFC 9110 13.1.3)",
                List.of(),
                "yesterday",
                false),
            new Viewer(
                "no Last-Modified: the Date counts (RFC 9111 4.3.2)",
                "GET",
                List.of(),
                BEFORE_LM,
                200,
                ResponseHeaders.of("Date", LM),
                false),
            new Viewer(
                "POST is never answered 304 from cache (RFC 9110 13.1.3)",
                "POST",
                List.of("\"v1\""),
                null,
                200,
                STORED,
                false),
            new Viewer(
                "HEAD is answered 304 like GET (RFC 9110 13.1.3)",
                "HEAD",
                List.of("\"v1\""),
                null,
                200,
                STORED,
                true),
            new Viewer(
                "a stored 404 ignores preconditions (RFC 9110 13.2.1)",
                "GET",
                List.of("\"v1\""),
                null,
                404,
                STORED,
                false),
            v("no conditional header: never 304", List.of(), null, false))
        .map(r -> arguments(r));
  }

  private static Viewer v(String rule, List<String> inm, String ims, boolean notModified) {
    return new Viewer(rule, "GET", inm, ims, 200, STORED, notModified);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("viewerRows")
  void viewerConditional(Viewer r) {
    assertThat(
            Validation.viewerNotModified(
                r.method(), r.ifNoneMatch(), r.ifModifiedSince(), r.status(), r.stored(), T))
        .isEqualTo(r.notModified());
  }

  @Test
  void conditionalRequestUsesTheStoredValidatorsRfc9111Section4_3_1() {
    assertThat(Validation.ifNoneMatchFor(STORED)).isEqualTo("\"v1\"");
    assertThat(Validation.ifModifiedSinceFor(STORED)).isEqualTo(LM);
    assertThat(Validation.hasValidator(ResponseHeaders.of("Date", LM))).isFalse();
  }

  @Test
  void a304ReplacesStoredFieldsAndKeepsTheRestRfc9111Section4_3_4() {
    ResponseHeaders stored =
        ResponseHeaders.of(
            "Content-Type", "text/html",
            "Content-Length", "10",
            "Cache-Control", "max-age=1",
            "X-Old", "a",
            "X-Old", "b",
            "ETag", "\"v1\"");
    ResponseHeaders notModified =
        ResponseHeaders.of(
            "Cache-Control", "max-age=600",
            "X-Old", "c",
            "X-New", "d",
            "Content-Length", "0",
            "Content-Type", "text/plain",
            "Connection", "close, X-Hop",
            "X-Hop", "h",
            "ETag", "\"v1\"");
    ResponseHeaders merged = Validation.updatedHeaders(stored, notModified);
    assertThat(merged.getAll("cache-control")).containsExactly("max-age=600");
    assertThat(merged.getAll("x-old")).containsExactly("c"); // every stored line replaced
    assertThat(merged.get("x-new")).isEqualTo("d");
    assertThat(merged.get("content-length")).isEqualTo("10"); // RFC 9111 3.2
    assertThat(merged.get("content-type")).isEqualTo("text/plain"); // RFC 9111 4.3.4: updated
    assertThat(merged.contains("x-hop")).isFalse(); // named in Connection (RFC 9111 3.1)
    assertThat(merged.contains("connection")).isFalse();
  }

  record Selects(String rule, ResponseHeaders notModified, boolean selects) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Stream<Selects> selectRows() {
    return Stream.of(
        new Selects(
            "same ETag selects (RFC 9111 4.3.4)", ResponseHeaders.of("ETag", "\"v1\""), true),
        new Selects(
            "weak form of the same tag selects (RFC 9111 4.3.4)",
            ResponseHeaders.of("ETag", "W/\"v1\""),
            true),
        new Selects(
            "another ETag does not (RFC 9111 4.3.4)", ResponseHeaders.of("ETag", "\"v2\""), false),
        new Selects(
            "another Last-Modified does not (RFC 9111 4.3.4)",
            ResponseHeaders.of("Last-Modified", AFTER_LM),
            false),
        new Selects(
            "no validator: the one stored response we asked about (RFC 9111 4.3.4)",
            ResponseHeaders.of("Cache-Control", "max-age=5"),
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("selectRows")
  void a304SelectsTheStoredResponse(Selects r) {
    assertThat(Validation.selects(STORED, r.notModified())).isEqualTo(r.selects());
  }

  @Test
  void notModifiedCarriesTheFieldsRfc9110Section15_4_5Lists() {
    for (String n :
        List.of("cache-control", "content-location", "date", "etag", "expires", "vary")) {
      assertThat(Validation.sentWithNotModified(n)).as(n).isTrue();
    }
    assertThat(Validation.sentWithNotModified("content-type")).isFalse();
    assertThat(Validation.sentWithNotModified("content-length")).isFalse();
  }

  @Test
  void httpDateIsImfFixdateRfc9110Section5_6_7() {
    assertThat(HttpDates.format(Instant.parse("1994-11-06T08:49:37Z")))
        .isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    assertThat(HttpDates.parse(HttpDates.format(T), T)).isEqualTo(T);
  }
}
