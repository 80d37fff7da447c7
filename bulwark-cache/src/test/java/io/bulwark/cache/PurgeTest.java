package io.bulwark.cache;

import static io.bulwark.cache.MemoryCacheStoreTest.T;
import static io.bulwark.cache.MemoryCacheStoreTest.response;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-path purge after an unsafe request (RFC 9111 4.4). */
class PurgeTest {
  private static MemoryCacheStore store() {
    return new MemoryCacheStore(1 << 24, 1 << 20, Runnable::run, 1024);
  }

  @Test
  void removesEveryVariantOfExactlyThatPathInThatDistribution() {
    MemoryCacheStore s = store();
    s.put(response("d", "/a", null, 10), T);
    s.put(response("d", "/a", "x=1", 10), T);
    s.put(response("d", "/a/b", null, 10), T);
    s.put(response("e", "/a", null, 10), T);
    assertThat(s.purge("d", "/a", T.plusSeconds(1))).isEqualTo(2);
    assertThat(s.get(CacheKey.of("d /a"))).isNull();
    assertThat(s.get(CacheKey.of("d /a?x=1"))).isNull();
    assertThat(s.get(CacheKey.of("d /a/b"))).isNotNull();
    assertThat(s.get(CacheKey.of("e /a"))).isNotNull();
    assertThat(s.purge("d", "/a", T.plusSeconds(2))).isZero();
  }

  @Test
  void aFillThatStartedBeforeThePurgeIsRefused() {
    MemoryCacheStore s = store();
    s.purge("d", "/a", T.plusSeconds(5));
    assertThat(s.put(response("d", "/a", null, 10), T.plusSeconds(5)))
        .isEqualTo(CacheStore.PutResult.INVALIDATED_DURING_FILL);
    assertThat(s.put(response("d", "/a", null, 10), T.plusSeconds(6)))
        .isEqualTo(CacheStore.PutResult.STORED);
    assertThat(s.put(response("d", "/b", null, 10), T)).isEqualTo(CacheStore.PutResult.STORED);
  }

  @Test
  void anEntryPutAgainAfterRemovalIsStillPurged() {
    MemoryCacheStore s = store();
    s.put(response("d", "/a", null, 10), T);
    s.remove(CacheKey.of("d /a"));
    s.put(response("d", "/a", null, 10), T.plus(Duration.ofSeconds(1)));
    s.put(response("d", "/a", null, 10), T.plus(Duration.ofSeconds(2))); // replaced
    assertThat(s.purge("d", "/a", T.plusSeconds(3))).isEqualTo(1);
    assertThat(s.get(CacheKey.of("d /a"))).isNull();
  }
}
