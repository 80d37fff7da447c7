package io.bulwark.dns.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Finished UDP responses for answers that depend on the zone snapshot alone (only simple record
 * sets consulted: no health, no client location, no randomness), keyed by the lower-cased query
 * name, type and EDNS variant. A hit costs a hash of the question, one table probe, one copy of the
 * response and three patches (ID, the RD/CD flags and the question name, whose case the client
 * chose) instead of parsing and building a message, and allocates nothing but the response. It
 * lives and dies with one {@link Responder}, that is with one zone snapshot, so a reload never
 * serves a stale answer; answers that read health (failover, weighted, multi-value, aliases that
 * evaluate target health of such sets) are never stored, so a health change is seen by the next
 * query.
 *
 * <p>Only plain queries use it: QUERY opcode, one question of class IN and a data type, no answer
 * or authority records, and either no OPT or an OPT of version 0 with no options (so no ECS and no
 * cookies). Only responses of at most 512 bytes are kept, which fit every client's buffer, so
 * truncation never depends on the client. At most {@value #MAX_ENTRIES} entries; past that, new
 * answers are simply not cached (a flood of random names cannot grow it).
 *
 * <p>The table is open-addressed with linear probing and never deletes, so readers need no lock: an
 * entry is immutable and published with one compare-and-set into an empty slot.
 */
final class AnswerCache {
  static final int MAX_ENTRIES = 50_000;
  static final int MAX_RESPONSE = 512;

  /** The longest plain query: header, a 255-byte name, type and class, an OPT without options. */
  static final int MAX_PLAIN_QUERY = 12 + 255 + 4 + 11;

  /** A power of two above MAX_ENTRIES / 0.4, so probe sequences stay short. */
  private static final int SLOTS = 1 << 17;

  private final AtomicReferenceArray<Entry> table = new AtomicReferenceArray<>(SLOTS);
  private final AtomicInteger size = new AtomicInteger();

  /**
   * The shape of a plain query in {@code q[0, n)}: the end of the question name in the low 16 bits,
   * the type in the next 16 and the EDNS variant (0 none, 1 EDNS, 2 EDNS with DO) above; or -1 when
   * the query is not plain. Never throws.
   */
  static long shape(byte[] q, int n) {
    if (n < 17 || n > MAX_PLAIN_QUERY || ((q[2] >> 3) & 0x0F) != 0) {
      return -1;
    }
    if (u16(q, 4) != 1 || u16(q, 6) != 0 || u16(q, 8) != 0) {
      return -1;
    }
    int additional = u16(q, 10);
    if (additional > 1) {
      return -1;
    }
    int i = 12;
    while (true) {
      if (i >= n) {
        return -1;
      }
      int len = q[i] & 0xFF;
      if (len == 0) {
        i++;
        break;
      }
      if (len > 63) {
        return -1; // a compression pointer or a reserved label type: not plain
      }
      i += 1 + len;
      if (i - 12 > 255) {
        return -1;
      }
    }
    int nameEnd = i;
    if (i + 4 > n) {
      return -1;
    }
    int qtype = u16(q, i);
    int qclass = u16(q, i + 2);
    i += 4;
    if (qclass != 1 || qtype == 0 || qtype == 41 || qtype >= 128) {
      return -1; // class IN and data types only; meta types (ANY, AXFR, ...) take the full path
    }
    int variant = 0;
    if (additional == 1) {
      if (i + 11 != n
          || q[i] != 0
          || u16(q, i + 1) != 41
          || q[i + 5] != 0
          || q[i + 6] != 0
          || u16(q, i + 9) != 0) {
        return -1;
      }
      variant = (u16(q, i + 7) & 0x8000) != 0 ? 2 : 1;
    } else if (i != n) {
      return -1;
    }
    return nameEnd | ((long) qtype << 16) | ((long) variant << 32);
  }

  /** The cached entry for a plain query of the given {@link #shape}, or null. */
  Entry find(byte[] q, long shape) {
    int nameLength = nameLength(shape);
    int qtype = (int) (shape >>> 16) & 0xFFFF;
    int variant = (int) (shape >>> 32);
    int h = hash(q, 12, nameLength, qtype, variant);
    for (int slot = h & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      Entry e = table.get(slot);
      if (e == null) {
        return null;
      }
      if (e.hash == h && e.matches(q, nameLength, qtype, variant)) {
        return e;
      }
    }
  }

  /** The cached response adapted to this query (of the given {@link #shape}), or null. */
  byte[] get(byte[] query, long shape) {
    Entry e = find(query, shape);
    if (e == null) {
      return null;
    }
    byte[] out = new byte[e.length()];
    adapt(e, query, out);
    return out;
  }

  /**
   * Writes the cached response adapted to the query into {@code out[0, e.length())}: the same
   * patches as {@link #get}, into a buffer the caller reuses.
   */
  static void adapt(Entry e, byte[] query, byte[] out) {
    byte[] r = e.response;
    System.arraycopy(r, 0, out, 0, r.length);
    out[0] = query[0];
    out[1] = query[1];
    out[2] = (byte) ((r[2] & ~0x01) | (query[2] & 0x01)); // RD as asked
    out[3] = (byte) ((r[3] & ~0x10) | (query[3] & 0x10)); // CD as asked
    System.arraycopy(query, 12, out, 12, e.nameLength); // the question, in the client's case
  }

  void put(byte[] query, long shape, byte[] response) {
    boolean truncated = (response[2] & 0x02) != 0; // depends on the client's buffer size
    if (truncated || response.length > MAX_RESPONSE || size.get() >= MAX_ENTRIES) {
      return;
    }
    int nameLength = nameLength(shape);
    int qtype = (int) (shape >>> 16) & 0xFFFF;
    int variant = (int) (shape >>> 32);
    byte[] name = new byte[nameLength];
    for (int j = 0; j < nameLength; j++) {
      name[j] = lower(query[12 + j]);
    }
    int h = hash(query, 12, nameLength, qtype, variant);
    Entry fresh = new Entry(h, name, qtype, variant, response.clone());
    for (int slot = h & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      Entry e = table.get(slot);
      if (e == null) {
        if (table.compareAndSet(slot, null, fresh)) {
          size.incrementAndGet();
          return;
        }
        e = table.get(slot); // another thread took the slot: look at what it stored
      }
      if (e.hash == h && e.matches(query, nameLength, qtype, variant)) {
        return; // already cached
      }
    }
  }

  int size() {
    return size.get();
  }

  private static int nameLength(long shape) {
    return (int) (shape & 0xFFFF) - 12;
  }

  private static int hash(byte[] q, int from, int length, int qtype, int variant) {
    int h = qtype * 31 + variant;
    for (int j = from, end = from + length; j < end; j++) {
      h = h * 31 + lower(q[j]);
    }
    return h ^ (h >>> 15);
  }

  /** ASCII lower case. Length bytes are at most 63, below 'A', so they are never changed. */
  private static byte lower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
  }

  /** One cached response: the lower-cased question name, type and EDNS variant it answers. */
  static final class Entry {
    final int hash;
    final byte[] name;
    final int nameLength;
    final int qtype;
    final int variant;
    final byte[] response;

    Entry(int hash, byte[] name, int qtype, int variant, byte[] response) {
      this.hash = hash;
      this.name = name;
      this.nameLength = name.length;
      this.qtype = qtype;
      this.variant = variant;
      this.response = response;
    }

    int length() {
      return response.length;
    }

    boolean matches(byte[] q, int nameLength, int qtype, int variant) {
      if (this.nameLength != nameLength || this.qtype != qtype || this.variant != variant) {
        return false;
      }
      for (int j = 0; j < nameLength; j++) {
        if (name[j] != lower(q[12 + j])) {
          return false;
        }
      }
      return true;
    }
  }
}
