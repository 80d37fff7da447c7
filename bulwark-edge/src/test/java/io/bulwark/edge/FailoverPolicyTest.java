package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.OriginGroupSpec;
import io.bulwark.core.ErrorKind;
import io.bulwark.edge.internal.FailoverPolicy;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seed 002 section 3, "Exactly what does and does not trigger origin-group failover", row by row.
 */
class FailoverPolicyTest {
  private static final OriginGroupSpec GROUP =
      new OriginGroupSpec("og", List.of(), Set.of(500, 502, 503, 504, 408), false);
  private static final OriginGroupSpec GROUP_WITH_4XX =
      new OriginGroupSpec("og4", List.of(), Set.of(500, 403, 404), false);

  @ParameterizedTest(name = "{0} {1} listed-5xx-group -> {2} ({3})")
  @CsvSource({
    "GET,     500, true,  listed 5xx",
    "GET,     502, true,  listed 5xx",
    "GET,     503, true,  listed 5xx",
    "GET,     504, true,  listed 5xx",
    "GET,     408, true,  408 if listed",
    "HEAD,    503, true,  HEAD is idempotent",
    "OPTIONS, 503, true,  OPTIONS is idempotent",
    "GET,     501, false, unlisted 5xx is an answer",
    "GET,     403, false, 4xx not listed is an answer",
    "GET,     404, false, 4xx not listed is an answer",
    "GET,     429, false, 429 never fails over",
    "GET,     200, false, 2xx is success",
    "GET,     301, false, 3xx is success",
    "POST,    503, false, POST is never replayed",
    "PUT,     503, false, PUT is never replayed",
    "PATCH,   500, false, PATCH is never replayed",
    "DELETE,  502, false, DELETE is never replayed",
  })
  void statusTable(String method, int status, boolean failsOver, String why) {
    assertThat(FailoverPolicy.onStatus(GROUP, method, status, true)).as(why).isEqualTo(failsOver);
  }

  @ParameterizedTest(name = "{0} {1} 4xx-listed group -> {2}")
  @CsvSource({"GET, 403, true", "GET, 404, true", "GET, 502, false", "POST, 403, false"})
  void listedClientErrorsFailOver(String method, int status, boolean failsOver) {
    assertThat(FailoverPolicy.onStatus(GROUP_WITH_4XX, method, status, true)).isEqualTo(failsOver);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "GET,     ORIGIN_CONNECT_REFUSED,  true",
    "GET,     ORIGIN_CONNECTION_RESET, true",
    "GET,     ORIGIN_CONNECT_TIMEOUT,  true",
    "GET,     ORIGIN_RESPONSE_TIMEOUT, true",
    "GET,     ORIGIN_TLS_FAILURE,      true",
    "GET,     ORIGIN_PROTOCOL_ERROR,   true",
    "HEAD,    ORIGIN_CONNECT_REFUSED,  true",
    "OPTIONS, ORIGIN_RESPONSE_TIMEOUT, true",
    "POST,    ORIGIN_CONNECT_REFUSED,  false",
    "DELETE,  ORIGIN_RESPONSE_TIMEOUT, false",
    "GET,     INTERNAL,                false",
  })
  void connectionErrorTable(String method, ErrorKind kind, boolean failsOver) {
    assertThat(FailoverPolicy.onError(method, kind, true)).isEqualTo(failsOver);
  }

  @ParameterizedTest(name = "last member never fails over: {0}")
  @CsvSource({"GET, 503", "HEAD, 500"})
  void lastMemberAnswers(String method, int status) {
    assertThat(FailoverPolicy.onStatus(GROUP, method, status, false)).isFalse();
    assertThat(FailoverPolicy.onError(method, ErrorKind.ORIGIN_CONNECT_REFUSED, false)).isFalse();
  }
}
