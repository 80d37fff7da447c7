package io.bulwark.cache;

import io.bulwark.config.CachePolicy;
import io.bulwark.config.KeyFields;
import java.time.Duration;
import java.util.List;

/** Cache policies for tests, built fluently from a neutral default. */
final class TestPolicies {
  private String id = "test";
  private Duration min = Duration.ZERO;
  private Duration def = Duration.ofSeconds(86400);
  private Duration max = Duration.ofSeconds(31536000);
  private KeyFields headers = KeyFields.NONE;
  private KeyFields cookies = KeyFields.NONE;
  private KeyFields query = KeyFields.NONE;
  private boolean gzip = true;
  private boolean brotli = true;
  private boolean privateAtMin;

  static TestPolicies policy() {
    return new TestPolicies();
  }

  static KeyFields whitelist(String... names) {
    return new KeyFields(KeyFields.Behavior.WHITELIST, List.of(names));
  }

  static KeyFields allExcept(String... names) {
    return new KeyFields(KeyFields.Behavior.ALL_EXCEPT, List.of(names));
  }

  TestPolicies ttl(long minSeconds, long defaultSeconds, long maxSeconds) {
    this.min = Duration.ofSeconds(minSeconds);
    this.def = Duration.ofSeconds(defaultSeconds);
    this.max = Duration.ofSeconds(maxSeconds);
    return this;
  }

  TestPolicies headers(KeyFields f) {
    this.headers = f;
    return this;
  }

  TestPolicies cookies(KeyFields f) {
    this.cookies = f;
    return this;
  }

  TestPolicies query(KeyFields f) {
    this.query = f;
    return this;
  }

  TestPolicies compression(boolean gzip, boolean brotli) {
    this.gzip = gzip;
    this.brotli = brotli;
    return this;
  }

  TestPolicies cachePrivateAtMinTtl() {
    this.privateAtMin = true;
    return this;
  }

  TestPolicies errorCachingTtl(long seconds) {
    this.errorTtl = Duration.ofSeconds(seconds);
    return this;
  }

  TestPolicies heuristic() {
    this.heuristic = true;
    return this;
  }

  TestPolicies targeted(String name) {
    this.targeted = name;
    return this;
  }

  /** Error caching is off unless asked for, so the RFC rows read without CloudFront's 10 s. */
  CachePolicy build() {
    return new CachePolicy(
        id,
        min,
        def,
        max,
        headers,
        cookies,
        query,
        gzip,
        brotli,
        privateAtMin,
        errorTtl,
        Duration.ZERO,
        heuristic,
        targeted);
  }

  private Duration errorTtl = Duration.ZERO;
  private boolean heuristic;
  private String targeted;
}
