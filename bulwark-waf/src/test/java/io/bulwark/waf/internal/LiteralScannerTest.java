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
