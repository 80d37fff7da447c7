package io.bulwark.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hop-by-hop fields are neither stored nor forwarded (RFC 9110 7.6.1, RFC 9111 3.1). */
class HopByHopTest {

  static Stream<Arguments> rows() {
    return Stream.of(
        arguments(
            "Connection itself is removed (RFC 9110 7.6.1)",
            new String[] {"Connection", "close", "Content-Type", "text/html"},
            new String[] {"Content-Type", "text/html"}),
        arguments(
            "Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade are removed (RFC 9110 7.6.1)",
            new String[] {
              "Keep-Alive",
              "timeout=5",
              "TE",
              "trailers",
              "Trailer",
              "X-Sum",
              "Transfer-Encoding",
              "chunked",
              "Upgrade",
              "h2c",
              "ETag",
              "\"a\""
            },
            new String[] {"ETag", "\"a\""}),
        arguments(
            "every Proxy-* field is removed",
            new String[] {
              "Proxy-Connection",
              "keep-alive",
              "Proxy-Authenticate",
              "Basic",
              "proxy-x",
              "1",
              "Age",
              "3"
            },
            new String[] {"Age", "3"}),
        arguments(
            "fields named in Connection are removed, case-insensitively (RFC 9110 7.6.1)",
            new String[] {
              "Connection", "X-Secret, x-Trace", "X-Secret", "s", "X-Trace", "t", "X-Kept", "k"
            },
            new String[] {"X-Kept", "k"}),
        arguments(
            "several Connection lines all count",
            new String[] {
              "Connection",
              "x-a",
              "Connection",
              " x-b ,",
              "X-A",
              "1",
              "X-B",
              "2",
              "Vary",
              "Accept-Encoding"
            },
            new String[] {"Vary", "Accept-Encoding"}),
        arguments(
            "end-to-end fields keep their order and case",
            new String[] {"Cache-Control", "max-age=1", "Set-Cookie", "a=1", "set-cookie", "b=2"},
            new String[] {"Cache-Control", "max-age=1", "Set-Cookie", "a=1", "set-cookie", "b=2"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void stripsHopByHopFields(String rule, String[] in, String[] expected) {
    ResponseHeaders stripped = HopByHop.strip(ResponseHeaders.of(in));
    assertThat(stripped).isEqualTo(ResponseHeaders.of(expected));
  }
}
