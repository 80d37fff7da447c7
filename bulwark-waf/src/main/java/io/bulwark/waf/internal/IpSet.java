package io.bulwark.waf.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A set of IPv4 and IPv6 CIDR blocks with O(log n) lookup: blocks become [first, last] ranges,
 * sorted and merged at load, then a lookup is one binary search. IPv6 addresses are compared as two
 * unsigned 64-bit halves.
 */
public final class IpSet {
  private final long[] v4First;
  private final long[] v4Last;
  private final long[][] v6First; // {hi, lo}
  private final long[][] v6Last;
  private final int size;

  private IpSet(List<long[]> v4, List<long[]> v6, int size) {
    v4.sort(Comparator.comparingLong(r -> r[0]));
    List<long[]> m4 = new ArrayList<>();
    for (long[] r : v4) {
      if (!m4.isEmpty() && r[0] <= m4.get(m4.size() - 1)[1] + 1) {
        long[] last = m4.get(m4.size() - 1);
        last[1] = Math.max(last[1], r[1]);
      } else {
        m4.add(r.clone());
      }
    }
    v4First = m4.stream().mapToLong(r -> r[0]).toArray();
    v4Last = m4.stream().mapToLong(r -> r[1]).toArray();
    v6.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
    List<long[]> m6 = new ArrayList<>();
    for (long[] r : v6) {
      if (!m6.isEmpty()) {
        long[] last = m6.get(m6.size() - 1);
        if (compare(r[0], r[1], last[2], last[3]) <= 0) {
          if (compare(r[2], r[3], last[2], last[3]) > 0) {
            last[2] = r[2];
            last[3] = r[3];
          }
          continue;
        }
      }
      m6.add(r.clone());
    }
    v6First = m6.stream().map(r -> new long[] {r[0], r[1]}).toArray(long[][]::new);
    v6Last = m6.stream().map(r -> new long[] {r[2], r[3]}).toArray(long[][]::new);
    this.size = size;
  }

  /** Thrown by {@link Builder#add} for an entry that is not an address or CIDR block. */
  public static final class MalformedEntry extends Exception {
    MalformedEntry(String message) {
      super(message, null, false, false);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects CIDR blocks. */
  public static final class Builder {
    private final List<long[]> v4 = new ArrayList<>();
    private final List<long[]> v6 = new ArrayList<>();
    private int count;

    /** Adds {@code 192.0.2.0/24}, {@code 2001:db8::/32} or a bare address. */
    public Builder add(String entry) throws MalformedEntry {
      String e = entry.strip();
      int slash = e.indexOf('/');
      String addr = slash < 0 ? e : e.substring(0, slash);
      InetAddress a = Ips.parseLiteral(addr);
      if (a == null) {
        throw new MalformedEntry("'" + entry + "' is not an IPv4 or IPv6 address");
      }
      byte[] b = a.getAddress();
      int max = b.length * 8;
      int prefix = max;
      if (slash >= 0) {
        String p = e.substring(slash + 1);
        try {
          prefix = Integer.parseInt(p);
        } catch (NumberFormatException x) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > max || p.isEmpty() || !p.chars().allMatch(Character::isDigit)) {
          throw new MalformedEntry(
              "'" + entry + "' has prefix length '" + p + "'; it must be 0-" + max);
        }
      }
      count++;
      if (b.length == 4) {
        long v = toLong(b, 0, 4);
        long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        v4.add(new long[] {v & mask, (v & mask) | (~mask & 0xffffffffL)});
      } else {
        long hi = toLong(b, 0, 8);
        long lo = toLong(b, 8, 8);
        long hiMask = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        v6.add(new long[] {hi & hiMask, lo & loMask, hi | ~hiMask, lo | ~loMask});
      }
      return this;
    }

    public IpSet build() {
      return new IpSet(v4, v6, count);
    }
  }

  /** The number of entries given (before merging). */
  public int size() {
    return size;
  }

  public boolean contains(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 4) {
      long v = toLong(b, 0, 4);
      int i = Arrays.binarySearch(v4First, v);
      if (i >= 0) {
        return true;
      }
      int idx = -i - 2;
      return idx >= 0 && v <= v4Last[idx];
    }
    long hi = toLong(b, 0, 8);
    long lo = toLong(b, 8, 8);
    int low = 0;
    int high = v6First.length - 1;
    int idx = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (compare(v6First[mid][0], v6First[mid][1], hi, lo) <= 0) {
        idx = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return idx >= 0 && compare(hi, lo, v6Last[idx][0], v6Last[idx][1]) <= 0;
  }

  private static long toLong(byte[] b, int off, int len) {
    long v = 0;
    for (int i = 0; i < len; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  private static int compare(long hiA, long loA, long hiB, long loB) {
    int c = Long.compareUnsigned(hiA, hiB);
    return c != 0 ? c : Long.compareUnsigned(loA, loB);
  }
}
