package io.bulwark.cache;

import static io.bulwark.cache.TestPolicies.policy;
import static io.bulwark.cache.TestPolicies.whitelist;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.CachePolicy;
import io.bulwark.config.KeyFields;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Vary secondary keys (RFC 9111 4.1). */
class VaryTest {
  static final CachePolicy DEFAULT = policy().build();
  static final CacheKey PRIMARY = CacheKey.of("example.com /a\nae identity");

  @Test
  void fieldsAlreadyInTheKeyNeedNoSecondaryKeyRfc9111Section4_1() {
    CachePolicy p = policy().headers(whitelist("accept-language")).cookies(KeyFields.ALL).build();
    ResponseHeaders h =
        ResponseHeaders.of("Vary", "Accept-Encoding, Accept-Language", "Vary", "Cookie");
    assertThat(CacheDecisions.varyNames(p, h)).isEmpty();
    assertThat(CacheDecisions.varyNames(DEFAULT, ResponseHeaders.EMPTY)).isEmpty();
  }

  @Test
  void otherFieldsAreListedLowerCasedOnceInOrderRfc9111Section4_1() {
    ResponseHeaders h =
        ResponseHeaders.of("Vary", "User-Agent, ACCEPT-LANGUAGE", "vary", "user-agent, Origin");
    assertThat(CacheDecisions.varyNames(DEFAULT, h))
        .containsExactly("user-agent", "accept-language", "origin");
  }

  @Test
  void varyStarNeverMatchesRfc9111Section4_1() {
    assertThat(CacheDecisions.varyNames(DEFAULT, ResponseHeaders.of("Vary", "Origin, *"))).isNull();
  }

  @Test
  void secondaryKeysNormaliseWhitespaceAndLinesRfc9111Section4_1() {
    List<String> names = List.of("accept-language");
    CacheKey a = CacheKeys.withVary(PRIMARY, names, TestHeaders.of("Accept-Language", "en,fr"));
    CacheKey b =
        CacheKeys.withVary(
            PRIMARY, names, TestHeaders.of("Accept-Language", " en ", "Accept-Language", "fr"));
    CacheKey c = CacheKeys.withVary(PRIMARY, names, TestHeaders.of("Accept-Language", "fr, en"));
    assertThat(a).isEqualTo(b);
    assertThat(a).isNotEqualTo(c); // member order can carry meaning: kept
    assertThat(a.value()).startsWith(PRIMARY.value());
  }

  @Test
  void absentDiffersFromEmptyAndValuesCannotForgeFieldsRfc9111Section4_1() {
    List<String> two = List.of("x-a", "x-b");
    CacheKey absent = CacheKeys.withVary(PRIMARY, two, TestHeaders.of("X-B", "1"));
    CacheKey empty = CacheKeys.withVary(PRIMARY, two, TestHeaders.of("X-A", "", "X-B", "1"));
    assertThat(absent).isNotEqualTo(empty);
    CacheKey forged =
        CacheKeys.withVary(PRIMARY, two, TestHeaders.of("X-A", "1\nv x-b=1:1", "X-B", "2"));
    CacheKey honest = CacheKeys.withVary(PRIMARY, two, TestHeaders.of("X-A", "1", "X-B", "1"));
    assertThat(forged).isNotEqualTo(honest);
    assertThat(CacheKeys.withVary(PRIMARY, List.of(), TestHeaders.of())).isSameAs(PRIMARY);
  }

  @Test
  void storeRemembersAndForgetsVaryNames() {
    MemoryCacheStore store = new MemoryCacheStore(1 << 20, 1 << 16);
    assertThat(store.varyNames(PRIMARY)).isNull();
    store.recordVary(PRIMARY, List.of("origin"));
    assertThat(store.varyNames(PRIMARY)).containsExactly("origin");
    store.recordVary(PRIMARY, List.of());
    assertThat(store.varyNames(PRIMARY)).isNull();
  }
}
