package io.bulwark.waf.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A lossy, fixed-size, four-way set-associative table: the mechanics shared by the value cache and
 * the header blocks of {@link ScanPlan}. Entries are immutable and a slot is a plain array element:
 * a racing reader sees either an old complete entry or a new complete one (final fields), which
 * {@link #matches} checks against the hash and key it looks for, and a lost write only costs a
 * later recomputation. Each slot's hash also sits in a dense array, so a miss reads one cache line
 * and loads no entry.
 *
 * <p>A new key is admitted on its second put (a doorkeeper: the hashes of keys put once, one per
 * slot): values that never recur, such as a session id seen once or an attacker's varying payloads,
 * then cost one int write instead of evicting entries that do recur.
 *
 * @param <E> the entries
 */
abstract class Buckets<E> {
  /**
   * Entries per bucket. With one, keys whose hashes share a slot evict each other on every request
   * that has both (a fifth of a few thousand recurring values, at a quarter full); with four, a
   * bucket overflows only when five of its keys recur together.
   */
  static final int WAYS = 4;

  private final Object[] slots;
  private final int[] hashes;

  /** Hashes of keys put once and not yet admitted, by their hash's slot. */
  private final int[] seen;

  private final int mask;

  Buckets(int slots) {
    int n = Integer.highestOneBit(Math.max(16, slots - 1) << 1);
    this.slots = new Object[n];
    this.hashes = new int[n];
    this.seen = new int[n];
    this.mask = n - 1;
  }

  /**
   * Whether {@code entry} is the one for hash {@code hash} and key ({@code field}, {@code key}).
   */
  abstract boolean matches(E entry, int hash, int field, Object key);

  /** The entry for the key, or null. */
  @SuppressWarnings("unchecked")
  final E get(int hash, int field, Object key) {
    for (int i = hash & mask & ~(WAYS - 1), end = i + WAYS; i < end; i++) {
      if (hashes[i] == hash) {
        E e = (E) slots[i];
        if (e != null && matches(e, hash, field, key)) {
          return e;
        }
      }
    }
    return null;
  }

  /**
   * Keeps an entry in its bucket: in place of the same key's entry; else, for a key put before (the
   * doorkeeper above), in an empty slot or in place of one chosen at random. Hits write nothing.
   */
  @SuppressWarnings("unchecked")
  final void put(int hash, int field, Object key, E entry) {
    int bucket = hash & mask & ~(WAYS - 1);
    int slot = -1;
    for (int i = bucket; i < bucket + WAYS && slot < 0; i++) {
      if (hashes[i] == hash) { // only entries with the same hash are loaded
        E e = (E) slots[i];
        if (e != null && matches(e, hash, field, key)) {
          slot = i;
        }
      }
    }
    if (slot < 0) {
      int d = hash & mask;
      if (seen[d] != hash) {
        seen[d] = hash;
        return;
      }
    }
    for (int i = bucket; i < bucket + WAYS && slot < 0; i++) {
      if (slots[i] == null) {
        slot = i;
      }
    }
    if (slot < 0) {
      slot = bucket + ThreadLocalRandom.current().nextInt(WAYS);
    }
    slots[slot] = entry;
    hashes[slot] = hash; // a reader that sees it before the entry checks the entry's own hash
  }
}
