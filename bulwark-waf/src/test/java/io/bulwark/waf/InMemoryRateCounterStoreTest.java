package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InMemoryRateCounterStoreTest {
  private final ManualClock clock = ManualClock.atDefaultStart();

  @ParameterizedTest(name = "window {0}s, bucket {1}s")
  @CsvSource({"60,1", "120,2", "300,5", "600,10"})
  void countsExactlyPerWindowInBucketsOfASixtieth(int windowSeconds, int bucketSeconds) {
    InMemoryRateCounterStore store = new InMemoryRateCounterStore(1_000);
    Duration w = Duration.ofSeconds(windowSeconds);
    // clock starts on a bucket boundary (2026-01-01T00:00:00Z)
    for (int i = 1; i <= 5; i++) {
      assertThat(store.record("k", clock.instant(), w)).isEqualTo(i);
    }
    clock.advance(w.minusSeconds(bucketSeconds));
    // the first five are in the oldest of the 60 buckets: still counted
    assertThat(store.record("k", clock.instant(), w)).isEqualTo(6);
    clock.advance(Duration.ofSeconds(bucketSeconds));
    // a full window after them, they are out; the request from W-bucket ago is still in
    assertThat(store.record("k", clock.instant(), w)).isEqualTo(2);
    clock.advance(w);
    assertThat(store.record("k", clock.instant(), w)).isEqualTo(1);
  }

  @Test
  void keysAreCountedApart() {
    InMemoryRateCounterStore store = new InMemoryRateCounterStore(1_000);
    Duration w = Duration.ofSeconds(60);
    store.record("a", clock.instant(), w);
    store.record("a", clock.instant(), w);
    assertThat(store.record("b", clock.instant(), w)).isEqualTo(1);
    assertThat(store.record("a", clock.instant(), w)).isEqualTo(3);
  }

  @Test
  void aMillionDistinctKeysKeepTheTrackedKeysBounded() {
    int cap = 16_000;
    InMemoryRateCounterStore store = new InMemoryRateCounterStore(cap);
    Duration w = Duration.ofSeconds(300);
    int maxSeen = 0;
    for (int i = 0; i < 1_000_000; i++) {
      store.record("198.51." + (i >>> 16) + "." + (i & 0xffff), clock.instant(), w);
      if ((i & 0xffff) == 0) {
        maxSeen = Math.max(maxSeen, store.trackedKeys());
      }
    }
    assertThat(Math.max(maxSeen, store.trackedKeys())).isLessThanOrEqualTo(cap);
    assertThat(store.trackedKeys()).isGreaterThan(cap / 2);
    // A key recorded just now is tracked and counted exactly; an evicted one restarts at 1.
    assertThat(store.record("198.51.15.16959", clock.instant(), w)).isEqualTo(2);
    assertThat(store.record("198.51.0.0", clock.instant(), w)).isEqualTo(1);
  }

  @Test
  void theLeastRecentlyRecordedKeyIsEvictedFirst() {
    InMemoryRateCounterStore store = new InMemoryRateCounterStore(16); // one key per stripe
    Duration w = Duration.ofSeconds(60);
    String a = "a";
    store.record(a, clock.instant(), w);
    store.record(a, clock.instant(), w);
    // Fill a's stripe with another key: a is evicted, so it counts from 1 again.
    String sameStripe = null;
    for (int i = 0; sameStripe == null; i++) {
      String candidate = "k" + i;
      InMemoryRateCounterStore probe = new InMemoryRateCounterStore(16);
      probe.record(a, clock.instant(), w);
      probe.record(candidate, clock.instant(), w);
      if (probe.trackedKeys() == 1) {
        sameStripe = candidate;
      }
    }
    store.record(sameStripe, clock.instant(), w);
    assertThat(store.record(a, clock.instant(), w)).isEqualTo(1);
  }
}
