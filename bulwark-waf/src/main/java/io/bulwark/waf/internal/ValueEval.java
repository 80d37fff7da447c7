package io.bulwark.waf.internal;

import java.util.Arrays;

/**
 * The work on one field value while a web ACL's leaf statements are answered for it: each
 * transformation step, literal scan and detector run happens once per string object and key.
 * Transformations return their input when they change nothing, so chains that differ only in steps
 * with nothing to do reach the same string object and share everything after that.
 */
final class ValueEval {
  private Object[] memo = new Object[48]; // (input, key, result)*
  private int len;

  private Object get(Object in, Object key) {
    Object[] m = memo;
    for (int j = 0; j < len; j += 3) {
      if (m[j] == in && m[j + 1] == key) {
        return m[j + 2];
      }
    }
    return null;
  }

  private void put(Object in, Object key, Object result) {
    if (len == memo.length) {
      memo = Arrays.copyOf(memo, len * 2);
    }
    memo[len] = in;
    memo[len + 1] = key;
    memo[len + 2] = result;
    len += 3;
  }

  /** The value after a transformation chain. */
  String chain(TextChain chain, String value) {
    String v = value;
    for (Transformation t : chain.steps()) {
      String w = (String) get(v, t);
      if (w == null) {
        w = t.transform(v);
        put(v, t, w);
      }
      v = w;
    }
    return v;
  }

  /** The ids of the scanner's literals that occur in {@code value}. */
  long[] bits(String value, LiteralScanner scanner) {
    long[] b = (long[]) get(value, scanner);
    if (b == null) {
      b = scanner.scan(value);
      put(value, scanner, b);
    }
    return b;
  }

  /** A test of {@code value}, run once per string object and key. */
  boolean test(String value, Object key, Statement.ValueTest t) {
    Boolean r = (Boolean) get(value, key);
    if (r == null) {
      r = t.test(value);
      put(value, key, r);
    }
    return r;
  }
}
