package io.bulwark.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestTest {
  private static final List<String> KEYS =
      List.of("target", "cache-policy", "origin-request-policy", "allowed-methods", "id", "ip");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "tagret, target", // transposition is one edit
    "taget, target",
    "cache_policy, cache-policy",
    "cachepolicy, cache-policy",
    "Target, target", // case-insensitive
    "allowed-method, allowed-methods",
    "origin-request, ''", // too far: a different word, not a typo
    "headers, ''",
    "iq, id", // short words: one edit at most
    "xyz, ''",
  })
  void suggestsOnlyPlausibleTypos(String word, String expected) {
    String got = Suggest.closest(word, KEYS);
    assertThat(got == null ? "" : got).isEqualTo(expected);
  }
}
