package io.bulwark.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.bulwark.config.CacheSettings;
import io.bulwark.core.ManualClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The byte-budget store: eviction, size refusal, wildcard invalidation and the fill race. */
class MemoryCacheStoreTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static MemoryCacheStore store(long maxBytes, long maxObjectBytes) {
    return new MemoryCacheStore(maxBytes, maxObjectBytes, Runnable::run, 1024);
  }

  static CachedResponse response(String dist, String path, String query, int bodyBytes) {
    BodyAccumulator acc = new BodyAccumulator(BodyAccumulator.MAX_BODY_BYTES);
    acc.append(ByteBuffer.wrap(new byte[bodyBytes]));
    String key = dist + " " + path + (query == null ? "" : "?" + query);
    return CachedResponse.builder()
        .key(CacheKey.of(key))
        .distributionId(dist)
        .path(path)
        .status(200)
        .headers(ResponseHeaders.of("Content-Type", "text/plain", "Connection", "close"))
        .body(acc.finish())
        .storedAt(T)
        .ttl(Duration.ofSeconds(60))
        .build();
  }

  @Test
  void evictsToStayWithinTheByteBudget() {
    long entrySize = response("d", "/0", null, 1000).sizeBytes();
    long budget = entrySize * 10;
    MemoryCacheStore store = store(budget, 10_000);
    for (int i = 0; i < 30; i++) {
      assertThat(store.put(response("d", "/" + i, null, 1000), T))
          .isEqualTo(CacheStore.PutResult.STORED);
    }
    store.cleanUp();

    CacheStats stats = store.stats();
    assertThat(stats.bytes()).isLessThanOrEqualTo(budget).isGreaterThan(0);
    assertThat(stats.evictions()).isGreaterThanOrEqualTo(20);
    assertThat(stats.entries()).isLessThanOrEqualTo(10);
    int present = 0;
    for (int i = 0; i < 30; i++) {
      if (store.get(CacheKey.of("d /" + i)) != null) {
        present++;
      }
    }
    assertThat(present).isEqualTo(stats.entries());
  }

  @Test
  void sizeBytesCountsBodyHeadersKeyAndOverhead() {
    CachedResponse r = response("d", "/a", null, 1000);
    // Connection is hop-by-hop and is stripped before it is counted.
    assertThat(r.headers()).isEqualTo(ResponseHeaders.of("Content-Type", "text/plain"));
    long headers =
        "Content-Type".length()
            + "text/plain".length()
            + 4
            + CachedResponse.HEADER_LINE_OVERHEAD_BYTES;
    long expected =
        1000
            + headers
            + "d /a".length()
            + "/a".length()
            + "d".length()
            + CachedResponse.ENTRY_OVERHEAD_BYTES;
    assertThat(r.sizeBytes()).isEqualTo(expected);
  }

  @Test
  void refusesObjectsAboveTheObjectLimit() {
    MemoryCacheStore store = store(1_000_000, 100);
    assertThat(store.put(response("d", "/big", null, 101), T))
        .isEqualTo(CacheStore.PutResult.TOO_LARGE);
    assertThat(store.get(CacheKey.of("d /big"))).isNull();
    assertThat(store.put(response("d", "/ok", null, 100), T))
        .isEqualTo(CacheStore.PutResult.STORED);
    assertThat(store.get(CacheKey.of("d /ok"))).isNotNull();
    assertThat(store.stats().refusedTooLarge()).isEqualTo(1);
  }

  @Test
  void aZeroBudgetStoresNothing() {
    MemoryCacheStore store = new MemoryCacheStore(new CacheSettings(0, 0));
    assertThat(store.put(response("d", "/a", null, 0), T))
        .isEqualTo(CacheStore.PutResult.TOO_LARGE);
    assertThat(store.get(CacheKey.of("d /a"))).isNull();
  }

  @Test
  void anObjectLimitBeyondOneBufferIsCappedAtOneBuffer() {
    long tib = 1L << 40;
    MemoryCacheStore store = new MemoryCacheStore(new CacheSettings(tib, tib));
    assertThat(store.maxObjectBytes()).isEqualTo(BodyAccumulator.MAX_BODY_BYTES);
  }

  @Test
  void refusesAnEntryLargerThanTheWholeBudget() {
    MemoryCacheStore store = store(600, 10_000);
    assertThat(store.put(response("d", "/a", null, 200), T))
        .isEqualTo(CacheStore.PutResult.TOO_LARGE);
  }

  @Test
  void servesBodiesAsIndependentReadOnlyViewsOfOneBuffer() {
    MemoryCacheStore store = store(1_000_000, 10_000);
    store.put(response("d", "/a", null, 10), T);
    CachedResponse hit = store.get(CacheKey.of("d /a"));
    ByteBuffer first = hit.body();
    first.position(5);
    ByteBuffer second = hit.body();
    assertThat(second.position()).isZero();
    assertThat(second.remaining()).isEqualTo(10);
    assertThat(second.isReadOnly()).isTrue();
    assertThat(second.isDirect()).isTrue();
  }

  @Test
  void keepsStaleEntriesForTheCallerToJudge() {
    ManualClock clock = new ManualClock(T);
    MemoryCacheStore store = store(1_000_000, 10_000);
    store.put(response("d", "/a", null, 10), clock.instant());
    clock.advance(Duration.ofSeconds(120));
    CachedResponse stale = store.get(CacheKey.of("d /a"));
    assertThat(stale).isNotNull();
    assertThat(stale.freshness(clock.instant()).fresh()).isFalse();
  }

  static final List<String[]> ENTRIES =
      List.of(
          new String[] {"d1", "/index.html"},
          new String[] {"d1", "/images/a.png"},
          new String[] {"d1", "/images/b/c.png"},
          new String[] {"d1", "/img.png"},
          new String[] {"d1", "/css/site.css"},
          new String[] {"d2", "/images/a.png"});

  static Stream<Arguments> invalidations() {
    return Stream.of(
        arguments(
            "'/images/*' removes everything under /images/, in that distribution only",
            "/images/*",
            Set.of("d1 /images/a.png", "d1 /images/b/c.png")),
        arguments(
            "'/*' removes the whole distribution",
            "/*",
            Set.of(
                "d1 /index.html",
                "d1 /images/a.png",
                "d1 /images/b/c.png",
                "d1 /img.png",
                "d1 /css/site.css")),
        arguments("an exact path removes that path", "/index.html", Set.of("d1 /index.html")),
        arguments(
            "a missing leading '/' is added (CloudFront)",
            "images/*",
            Set.of("d1 /images/a.png", "d1 /images/b/c.png")),
        arguments(
            "'*' in the middle matches across '/'",
            "/*.png",
            Set.of("d1 /images/a.png", "d1 /images/b/c.png", "d1 /img.png")),
        arguments("paths are case-sensitive", "/IMAGES/*", Set.of()),
        arguments(
            "a query in the pattern is dropped: every variant of the path goes",
            "/index.html?v=2",
            Set.of("d1 /index.html")),
        arguments("no wildcard means no prefix match", "/images/", Set.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidations")
  void invalidatesByWildcardPerDistribution(String rule, String pattern, Set<String> removed) {
    MemoryCacheStore store = store(1_000_000, 10_000);
    for (String[] e : ENTRIES) {
      store.put(response(e[0], e[1], null, 10), T);
    }

    int count = store.invalidate("d1", pattern, T.plusSeconds(1));

    Set<String> gone = new TreeSet<>();
    for (String[] e : ENTRIES) {
      if (store.get(CacheKey.of(e[0] + " " + e[1])) == null) {
        gone.add(e[0] + " " + e[1]);
      }
    }
    assertThat(gone).isEqualTo(new TreeSet<>(removed));
    assertThat(count).isEqualTo(removed.size());
    assertThat(store.stats().invalidated()).isEqualTo(removed.size());
  }

  @Test
  void invalidatingAPathRemovesEveryKeyVariantOfIt() {
    MemoryCacheStore store = store(1_000_000, 10_000);
    store.put(response("d", "/list", "page=1", 10), T);
    store.put(response("d", "/list", "page=2", 10), T);
    store.put(response("d", "/other", "page=1", 10), T);
    assertThat(store.invalidate("d", "/list", T.plusSeconds(1))).isEqualTo(2);
    assertThat(store.get(CacheKey.of("d /other?page=1"))).isNotNull();
  }

  static Stream<Arguments> fillRace() {
    return Stream.of(
        // rule, fill started (s after T), invalidated distribution, pattern, invalidated at, result
        arguments(
            "fill started before a matching invalidation and ends after it: refused",
            0,
            "d",
            "/a/*",
            5,
            CacheStore.PutResult.INVALIDATED_DURING_FILL),
        arguments(
            "fill started at the same instant as the invalidation: refused (ambiguous)",
            5,
            "d",
            "/a/*",
            5,
            CacheStore.PutResult.INVALIDATED_DURING_FILL),
        arguments(
            "fill started after the invalidation: stored",
            6,
            "d",
            "/a/*",
            5,
            CacheStore.PutResult.STORED),
        arguments(
            "invalidation of another distribution: stored",
            0,
            "other",
            "/a/*",
            5,
            CacheStore.PutResult.STORED),
        arguments(
            "invalidation of another path: stored",
            0,
            "d",
            "/b/*",
            5,
            CacheStore.PutResult.STORED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fillRace")
  void aFillOverlappingAnInvalidationIsNotStored(
      String rule,
      int fillStarted,
      String invalidatedDistribution,
      String pattern,
      int invalidatedAt,
      CacheStore.PutResult expected) {
    MemoryCacheStore store = store(1_000_000, 10_000);
    Instant fillStart = T.plusSeconds(fillStarted);
    store.invalidate(invalidatedDistribution, pattern, T.plusSeconds(invalidatedAt));

    CacheStore.PutResult result = store.put(response("d", "/a/x.js", null, 10), fillStart);

    assertThat(result).isEqualTo(expected);
    assertThat(store.get(CacheKey.of("d /a/x.js")) != null)
        .isEqualTo(expected == CacheStore.PutResult.STORED);
  }

  @Test
  void aFillOlderThanTheRememberedInvalidationsIsRefused() {
    MemoryCacheStore store = new MemoryCacheStore(1_000_000, 10_000, Runnable::run, 2);
    store.invalidate("d", "/x", T.plusSeconds(10));
    store.invalidate("d", "/y", T.plusSeconds(20));
    store.invalidate("d", "/z", T.plusSeconds(30)); // forgets the one at +10 s

    assertThat(store.put(response("d", "/a", null, 1), T.plusSeconds(10)))
        .as("started at the forgotten invalidation: it may have matched, refused")
        .isEqualTo(CacheStore.PutResult.INVALIDATED_DURING_FILL);
    assertThat(store.put(response("d", "/a", null, 1), T.plusSeconds(11)))
        .as("started after the horizon; the remembered ones do not match")
        .isEqualTo(CacheStore.PutResult.STORED);
    assertThat(store.stats().refusedInvalidatedDuringFill()).isEqualTo(1);
  }

  @Test
  void anInvalidationArrivingBetweenThePutsCheckAndItsInsertStillRemovesTheEntry()
      throws Exception {
    MemoryCacheStore store = store(1_000_000, 10_000);
    ExecutorService admin = Executors.newSingleThreadExecutor();
    try {
      AtomicReference<Future<Integer>> invalidation = new AtomicReference<>();
      store.betweenCheckAndInsert =
          () -> {
            // The put has passed its check; an invalidation starts now. It must wait for the
            // insert (or the entry would be inserted after the scan and survive).
            Future<Integer> f = admin.submit(() -> store.invalidate("d", "/*", T.plusSeconds(5)));
            invalidation.set(f);
            try {
              f.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException expected) {
              // blocked by the put, as it should be
            } catch (InterruptedException | ExecutionException e) {
              throw new IllegalStateException(e);
            }
          };

      CacheStore.PutResult result = store.put(response("d", "/a", null, 1), T);
      int removed = invalidation.get().get(10, TimeUnit.SECONDS);

      assertThat(result).isEqualTo(CacheStore.PutResult.STORED);
      assertThat(removed).isEqualTo(1);
      assertThat(store.get(CacheKey.of("d /a"))).isNull();
    } finally {
      admin.shutdownNow();
      assertThat(admin.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void concurrentFillsAndInvalidationsNeverLeaveAnOverlappingFillStored() throws Exception {
    MemoryCacheStore store = new MemoryCacheStore(100_000_000, 10_000);
    AtomicLong tick = new AtomicLong();
    AtomicLong lastInvalidation = new AtomicLong();
    int puts = 4000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<List<Long>> filler =
          pool.submit(
              () -> {
                start.await();
                List<Long> starts = new ArrayList<>();
                for (int i = 0; i < puts; i++) {
                  long s = tick.incrementAndGet();
                  CachedResponse r = response("d", "/p", "s=" + s, 1);
                  store.put(r, Instant.ofEpochSecond(s));
                  starts.add(s);
                }
                return starts;
              });
      Future<?> invalidator =
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < 400; i++) {
                  long at = tick.incrementAndGet();
                  store.invalidate("d", "/*", Instant.ofEpochSecond(at));
                  lastInvalidation.set(at);
                }
                return null;
              });
      start.countDown();
      List<Long> starts = filler.get(60, TimeUnit.SECONDS);
      invalidator.get(60, TimeUnit.SECONDS);

      long last = lastInvalidation.get();
      int survivors = 0;
      for (long s : starts) {
        if (store.get(CacheKey.of("d /p?s=" + s)) != null) {
          survivors++;
          assertThat(s)
              .as("a fill that started before the last invalidation survived")
              .isGreaterThan(last);
        }
      }
      assertThat(survivors).isEqualTo((int) starts.stream().filter(s -> s > last).count());
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
