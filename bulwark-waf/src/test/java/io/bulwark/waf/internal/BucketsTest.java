package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The set-associative table under the value cache and the header blocks. */
class BucketsTest {
  record E(int hash, int field, String key) {}

  /** Entries keyed by (field, key), every one given the same hash by the test. */
  static final class Table extends Buckets<E> {
    Table() {
      super(64);
    }

    @Override
    boolean matches(E e, int hash, int field, Object key) {
      return e.hash() == hash && e.field() == field && e.key().equals(key);
    }

    /** Puts a key twice, so that the doorkeeper admits it. */
    void put(int hash, int field, String key) {
      put(hash, field, key, new E(hash, field, key));
      put(hash, field, key, new E(hash, field, key));
    }
  }

  private static final int SAME = 0x1234_5670;

  private static List<String> present(Table t, int field, String... keys) {
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (t.get(SAME, field, k) != null) {
        out.add(k);
      }
    }
    return out;
  }

  @Test
  void fourKeysWithOneHashCoexistAndAFifthReplacesOneOfThem() {
    Table t = new Table();
    for (String k : List.of("a", "b", "c", "d")) {
      t.put(SAME, 0, k);
    }
    assertThat(present(t, 0, "a", "b", "c", "d")).containsExactly("a", "b", "c", "d");
    t.put(SAME, 0, "e");
    assertThat(present(t, 0, "e")).containsExactly("e");
    assertThat(present(t, 0, "a", "b", "c", "d")).hasSize(3);
  }

  @Test
  void aNewKeyIsAdmittedOnItsSecondPut() {
    Table t = new Table();
    t.put(SAME, 0, "a", new E(SAME, 0, "a"));
    assertThat(t.get(SAME, 0, "a")).as("put once").isNull();
    t.put(SAME, 0, "a", new E(SAME, 0, "a"));
    assertThat(t.get(SAME, 0, "a")).as("put twice").isNotNull();
  }

  @Test
  void puttingAKeyAgainReplacesItsOwnEntry() {
    Table t = new Table();
    for (String k : List.of("a", "b", "c", "d")) {
      t.put(SAME, 0, k);
    }
    E again = new E(SAME, 0, "b");
    t.put(SAME, 0, "b", again);
    assertThat(t.get(SAME, 0, "b")).isSameAs(again);
    assertThat(present(t, 0, "a", "b", "c", "d")).containsExactly("a", "b", "c", "d");
  }

  @Test
  void aKeyIsFoundOnlyUnderItsHashAndField() {
    Table t = new Table();
    t.put(SAME, 0, "a");
    assertThat(t.get(SAME, 1, "a")).isNull();
    assertThat(t.get(SAME + 1, 0, "a")).isNull();
    assertThat(t.get(SAME, 0, "b")).isNull();
    assertThat(t.get(SAME, 0, "a")).isNotNull();
  }

  @Test
  void theValueCacheTellsFieldsApart() {
    ScanPlan.ValueCache c = new ScanPlan.ValueCache(64);
    ScanPlan.ValueCache.Entry e = new ScanPlan.ValueCache.Entry(1, 7, "v", new long[1]);
    assertThat(c.matches(e, 7, 1, "v")).isTrue();
    assertThat(c.matches(e, 7, 2, "v")).as("another field").isFalse();
    assertThat(c.matches(e, 8, 1, "v")).as("another hash").isFalse();
    assertThat(c.matches(e, 7, 1, new String("v"))).as("an equal string").isTrue();
    assertThat(c.matches(e, 7, 1, "w")).isFalse();
  }
}
