package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiteralScannerTest {
  private static final List<String> LITERALS =
      List.of("<script", "../", "jndi:", "he", "she", "his", "hers", "s", "\u00ff\u0000");

  /** Expected: the ids found, in order, as a comma-free string like "0 3". */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ushers                 | 3 4 6 7",
        "<SCRIPT                | ''",
        "a<script>              | 0 7",
        "..%2f../etc            | 1",
        "${jndi:ldap://x}       | 2",
        "plain text             | ''",
        "h                      | ''",
        "history                | 5 7",
      })
  void findsEveryLiteralThatOccurs(String value, String expected) {
    LiteralScanner sc = LiteralScanner.of(LITERALS);
    assertThat(ids(sc.scan(value))).isEqualTo(expected.trim());
  }

  @Test
  void agreesWithContainsOnRandomInput() {
    Random r = new Random(7);
    List<String> lits = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      lits.add(randomText(r, 1 + r.nextInt(5), "abc./%"));
    }
    lits = lits.stream().distinct().toList();
    LiteralScanner sc = LiteralScanner.of(lits);
    for (int n = 0; n < 2000; n++) {
      String v = randomText(r, r.nextInt(40), "abc./%xyz\u00e9");
      long[] found = sc.scan(v);
      for (int id = 0; id < lits.size(); id++) {
        assertThat(LiteralScanner.has(found, id))
            .as("'%s' in '%s'", lits.get(id), v)
            .isEqualTo(v.contains(lits.get(id)));
      }
    }
  }

  /** Both table forms, many literal sets, against a plain {@code contains} per literal. */
  @Test
  void agreesWithContainsForManyLiteralSetsInBothTableForms() {
    Random r = new Random(11);
    String[] alphabets = {"ab", "abc", "abc./%", "aA\u0000\u00ff\u0080 <>;", "xyz0123456789"};
    for (int set = 0; set < 60; set++) {
      String alphabet = alphabets[set % alphabets.length];
      int size = 1 + r.nextInt(set < 30 ? 10 : 300);
      List<String> lits = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        lits.add(randomText(r, 1 + r.nextInt(set % 3 == 0 ? 3 : 8), alphabet));
      }
      // Values may hold chars no literal has, chars above 0xff among them.
      String valueAlphabet = alphabet + "q\u00e9\u0100\u4e2d\uffff";
      LiteralScanner narrow = LiteralScanner.of(lits);
      LiteralScanner wide = LiteralScanner.of(lits, true);
      assertThat(narrow.wide()).isFalse();
      assertThat(wide.wide()).isTrue();
      for (int n = 0; n < 300; n++) {
        String v = randomText(r, r.nextInt(60), valueAlphabet);
        if (r.nextInt(3) == 0) {
          v = v + lits.get(r.nextInt(lits.size())) + randomText(r, r.nextInt(5), valueAlphabet);
        }
        long[] expected = naive(lits, v);
        assertThat(narrow.scan(v)).as("narrow, '%s' in %s", v, lits).isEqualTo(expected);
        assertThat(wide.scan(v)).as("wide, '%s' in %s", v, lits).isEqualTo(expected);
      }
    }
  }

  @Test
  void aLiteralListedTwiceIsFoundUnderBothIds() {
    LiteralScanner sc = LiteralScanner.of(List.of("ab", "b", "ab", "xab"));
    assertThat(ids(sc.scan("xab"))).isEqualTo("0 1 2 3");
    assertThat(ids(sc.scan("ab"))).isEqualTo("0 1 2");
    assertThat(ids(sc.scan(""))).isEqualTo("");
  }

  @Test
  void bitSetsHaveOneWordPer64Literals() {
    List<String> lits = new ArrayList<>();
    for (int i = 0; i < 130; i++) {
      lits.add("k" + i + ";");
    }
    LiteralScanner sc = LiteralScanner.of(lits);
    assertThat(sc.words()).isEqualTo(3);
    assertThat(ids(sc.scan("k0;k64;k129;k1"))).isEqualTo("0 64 129");
    assertThat(LiteralScanner.of(List.of()).scan("anything")).isEqualTo(new long[1]);
  }

  /** Too many states for a char table: the scanner falls back to ints, with the same answers. */
  @Test
  void manyStatesFallBackToAnIntTable() {
    Random r = new Random(5);
    List<String> lits = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      lits.add(randomText(r, 14 + r.nextInt(8), "abcdefghijklmnopqrst\u00ff"));
    }
    lits = lits.stream().distinct().toList();
    LiteralScanner sc = LiteralScanner.of(lits);
    assertThat(sc.states()).isGreaterThan(LiteralScanner.MAX_NARROW_STATES);
    assertThat(sc.wide()).isTrue();
    for (int n = 0; n < 200; n++) {
      StringBuilder v = new StringBuilder(randomText(r, r.nextInt(30), "abcdefg\u0100"));
      for (int k = r.nextInt(4); k > 0; k--) {
        String l = lits.get(r.nextInt(lits.size()));
        // Often a literal cut short, so that scans run deep and fall back.
        v.append(r.nextBoolean() ? l : l.substring(0, 1 + r.nextInt(l.length())));
        v.append(randomText(r, r.nextInt(4), "abcdefghijklmnopqrst"));
      }
      String s = v.toString();
      assertThat(sc.scan(s)).as("'%s'", s).isEqualTo(naive(lits, s));
    }
  }

  @Test
  void refusesAnEmptyLiteral() {
    assertThatThrownBy(() -> LiteralScanner.of(List.of("a", "")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String randomText(Random r, int len, String alphabet) {
    StringBuilder sb = new StringBuilder(len);
    for (int i = 0; i < len; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  private static long[] naive(List<String> lits, String v) {
    long[] bits = new long[Math.max(1, (lits.size() + 63) >>> 6)];
    for (int id = 0; id < lits.size(); id++) {
      if (v.indexOf(lits.get(id)) >= 0) {
        bits[id >>> 6] |= 1L << (id & 63);
      }
    }
    return bits;
  }

  private static String ids(long[] bits) {
    StringBuilder sb = new StringBuilder();
    for (int id = 0; id < bits.length * 64; id++) {
      if (LiteralScanner.has(bits, id)) {
        sb.append(sb.length() == 0 ? "" : " ").append(id);
      }
    }
    return sb.toString();
  }
}
