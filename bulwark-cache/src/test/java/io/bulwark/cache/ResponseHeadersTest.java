package io.bulwark.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache's own immutable header list. */
class ResponseHeadersTest {

  @Test
  void looksUpCaseInsensitivelyAndKeepsOrder() {
    ResponseHeaders h =
        ResponseHeaders.of("Set-Cookie", "a=1", "Content-Type", "text/html", "set-cookie", "b=2");
    assertThat(h.get("set-cookie")).isEqualTo("a=1");
    assertThat(h.get("CONTENT-TYPE")).isEqualTo("text/html");
    assertThat(h.getAll("Set-Cookie")).isEqualTo(List.of("a=1", "b=2"));
    assertThat(h.getAll("etag")).isEmpty();
    assertThat(h.get("etag")).isNull();
    assertThat(h.contains("SET-COOKIE")).isTrue();
    assertThat(h.size()).isEqualTo(3);
    assertThat(h.name(2)).isEqualTo("set-cookie");
    assertThat(h.value(1)).isEqualTo("text/html");
  }

  @Test
  void sizeIsTheHttp1WireSize() {
    // "ETag: \"a\"\r\n" is 4 + 2 + 3 + 2 bytes
    assertThat(ResponseHeaders.of("ETag", "\"a\"").sizeBytes()).isEqualTo(11);
    assertThat(ResponseHeaders.EMPTY.sizeBytes()).isZero();
  }

  @Test
  void withoutReturnsTheSameInstanceWhenNothingMatches() {
    ResponseHeaders h = ResponseHeaders.of("A", "1", "B", "2");
    assertThat(h.without(n -> n.equals("c"))).isSameAs(h);
    assertThat(h.without(n -> n.equals("a"))).isEqualTo(ResponseHeaders.of("B", "2"));
  }

  @Test
  void namesAndValuesComeInPairs() {
    assertThatThrownBy(() -> ResponseHeaders.of("A"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pairs");
  }

  @Test
  void cacheKeyPrintsOnOneLineAndComparesByValue() {
    CacheKey a = CacheKey.of("h /a\nae br");
    assertThat(a.toString()).isEqualTo("h /a | ae br");
    assertThat(a).isEqualTo(CacheKey.of("h /a\nae br")).isNotEqualTo(CacheKey.of("h /a\nae gzip"));
  }
}
