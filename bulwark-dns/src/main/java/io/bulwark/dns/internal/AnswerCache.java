package io.bulwark.dns.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finished UDP responses for answers that depend on the zone snapshot alone (only simple record
 * sets consulted: no health, no client location, no randomness), keyed by the lower-cased query
 * name, type and EDNS variant. A hit costs one small key, one array copy and three patches (ID, the
 * RD/CD flags and the question name, whose case the client chose) instead of parsing and building a
 * message. It lives and dies with one {@link Responder}, that is with one zone snapshot, so a
 * reload never serves a stale answer.
 *
 * <p>Only plain queries use it: QUERY opcode, one question of class IN and a data type, no answer
 * or authority records, and either no OPT or an OPT of version 0 with no options (so no ECS and no
 * cookies). Only responses of at most 512 bytes are kept, which fit every client's buffer, so
 * truncation never depends on the client. At most {@value #MAX_ENTRIES} entries; past that, new
 * answers are simply not cached (a flood of random names cannot grow it).
 */
final class AnswerCache {
  static final int MAX_ENTRIES = 50_000;
  static final int MAX_RESPONSE = 512;

  private final ConcurrentHashMap<Key, byte[]> map = new ConcurrentHashMap<>();

  /** The cache key of a plain query, or null when the query is not plain. Never throws. */
  static Key key(byte[] q) {
    int n = q.length;
    if (n < 17 || ((q[2] >> 3) & 0x0F) != 0) {
      return null;
    }
    if (u16(q, 4) != 1 || u16(q, 6) != 0 || u16(q, 8) != 0) {
      return null;
    }
    int additional = u16(q, 10);
    if (additional > 1) {
      return null;
    }
    int i = 12;
    while (true) {
      if (i >= n) {
        return null;
      }
      int len = q[i] & 0xFF;
      if (len == 0) {
        i++;
        break;
      }
      if (len > 63) {
        return null; // a compression pointer or a reserved label type: not plain
      }
      i += 1 + len;
      if (i - 12 > 255) {
        return null;
      }
    }
    int nameEnd = i;
    if (i + 4 > n) {
      return null;
    }
    int qtype = u16(q, i);
    int qclass = u16(q, i + 2);
    i += 4;
    if (qclass != 1 || qtype == 0 || qtype == 41 || qtype >= 128) {
      return null; // class IN and data types only; meta types (ANY, AXFR, ...) take the full path
    }
    int variant = 0;
    if (additional == 1) {
      if (i + 11 != n
          || q[i] != 0
          || u16(q, i + 1) != 41
          || q[i + 5] != 0
          || q[i + 6] != 0
          || u16(q, i + 9) != 0) {
        return null;
      }
      variant = (u16(q, i + 7) & 0x8000) != 0 ? 2 : 1;
    } else if (i != n) {
      return null;
    }
    int nameLength = nameEnd - 12;
    byte[] k = new byte[nameLength + 3];
    for (int j = 0; j < nameLength; j++) {
      byte b = q[12 + j];
      // Length bytes are at most 63, below 'A', so they are never changed.
      k[j] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
    k[nameLength] = (byte) (qtype >>> 8);
    k[nameLength + 1] = (byte) qtype;
    k[nameLength + 2] = (byte) variant;
    return new Key(k, nameLength);
  }

  /** The cached response adapted to this query, or null. */
  byte[] get(Key key, byte[] query) {
    byte[] cached = map.get(key);
    if (cached == null) {
      return null;
    }
    byte[] out = cached.clone();
    out[0] = query[0];
    out[1] = query[1];
    out[2] = (byte) ((cached[2] & ~0x01) | (query[2] & 0x01)); // RD as asked
    out[3] = (byte) ((cached[3] & ~0x10) | (query[3] & 0x10)); // CD as asked
    System.arraycopy(query, 12, out, 12, key.nameLength); // the question, in the client's case
    return out;
  }

  void put(Key key, byte[] response) {
    boolean truncated = (response[2] & 0x02) != 0; // depends on the client's buffer size
    if (!truncated && response.length <= MAX_RESPONSE && map.size() < MAX_ENTRIES) {
      map.putIfAbsent(key, response.clone());
    }
  }

  int size() {
    return map.size();
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
  }

  /** Lower-cased name, type and EDNS variant; equality by content. */
  static final class Key {
    final byte[] bytes;
    final int nameLength;
    private final int hash;

    Key(byte[] bytes, int nameLength) {
      this.bytes = bytes;
      this.nameLength = nameLength;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
