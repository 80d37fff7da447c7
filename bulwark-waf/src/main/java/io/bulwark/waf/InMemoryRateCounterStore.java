package io.bulwark.waf;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rate counters in this process's memory, bounded by a maximum number of tracked keys.
 *
 * <h2>Memory and eviction</h2>
 *
 * Keys are spread over 16 stripes, each a map in access order holding at most {@code maxKeys / 16}
 * keys (so at most {@code maxKeys} in all). Recording a new key into a full stripe evicts that
 * stripe's key that was recorded least recently. Such a key has usually left its window already; if
 * it had not, its count restarts from zero, which can only under-count: eviction makes the limiter
 * let a request through, never block one that is under its limit. A key costs its name plus 16
 * bytes per non-empty bucket (at most 60), so 100,000 keys take a few tens of megabytes at worst.
 *
 * <p>Thread-safe; a lock per stripe.
 */
public final class InMemoryRateCounterStore implements RateCounterStore {
  /** The default bound on tracked keys. */
  public static final int DEFAULT_MAX_KEYS = 100_000;

  private static final int STRIPES = 16;
  private static final int BUCKETS = 60;

  private final Stripe[] stripes = new Stripe[STRIPES];

  public InMemoryRateCounterStore() {
    this(DEFAULT_MAX_KEYS);
  }

  public InMemoryRateCounterStore(int maxKeys) {
    if (maxKeys < STRIPES) {
      throw new IllegalArgumentException("max tracked keys must be at least " + STRIPES);
    }
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe(maxKeys / STRIPES);
    }
  }

  @Override
  public long record(String key, Instant now, Duration window) {
    long bucketSeconds = Math.max(1, window.toSeconds() / BUCKETS);
    long bucket = Math.floorDiv(now.getEpochSecond(), bucketSeconds);
    Stripe s = stripes[Math.floorMod(key.hashCode() * 0x9E3779B9, STRIPES)];
    synchronized (s) {
      Counter c = s.get(key);
      if (c == null) {
        c = new Counter();
        s.put(key, c);
      }
      return c.add(bucket);
    }
  }

  @Override
  public int trackedKeys() {
    int n = 0;
    for (Stripe s : stripes) {
      synchronized (s) {
        n += s.size();
      }
    }
    return n;
  }

  private static final class Stripe extends LinkedHashMap<String, Counter> {
    private final int cap;

    Stripe(int cap) {
      super(64, 0.75f, true);
      this.cap = cap;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Counter> eldest) {
      return size() > cap;
    }
  }

  /** Non-empty buckets of one key: bucket numbers and counts, oldest first. */
  private static final class Counter {
    private long[] buckets = new long[1];
    private long[] counts = new long[1];
    private int n;

    long add(long bucket) {
      long oldest = bucket - BUCKETS + 1;
      int keep = 0;
      while (keep < n && buckets[keep] < oldest) {
        keep++;
      }
      if (keep > 0) {
        System.arraycopy(buckets, keep, buckets, 0, n - keep);
        System.arraycopy(counts, keep, counts, 0, n - keep);
        n -= keep;
      }
      if (n > 0 && buckets[n - 1] >= bucket) {
        // Same bucket (or a clock that stepped back: count it in the newest bucket).
        counts[n - 1]++;
      } else {
        if (n == buckets.length) {
          int size = Math.min(BUCKETS, n * 2);
          buckets = Arrays.copyOf(buckets, size);
          counts = Arrays.copyOf(counts, size);
        }
        buckets[n] = bucket;
        counts[n] = 1;
        n++;
      }
      long total = 0;
      for (int i = 0; i < n; i++) {
        total += counts[i];
      }
      return total;
    }
  }
}
