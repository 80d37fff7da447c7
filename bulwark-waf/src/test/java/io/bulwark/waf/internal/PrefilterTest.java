package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrefilterTest {
  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      value = {
        "nessus|nikto|sqlmap => [nessus, nikto, sqlmap]",
        "java\\.lang\\.runtime|ro0ab => [java.lang.runtime, ro0ab]",
        "class\\.(?:module\\.)?classloader => [classloader]",
        "abc?de => [ab]",
        "x?yzz*w => [yz]",
        "\\$\\{(?:jndi|lower): => [${jndi:, ${lower:]",
        "(?:cat|ls)\\s => [cat, ls]",
        "\\.(?:log|ini)(?:$|[?;#]) => [.log, .ini]",
        "/(?:\\.git/|\\.env(?:$|[./])|wp-config\\.php) => [.git/, .env, wp-config.php]",
        "`\\s*(?:cat|ls|id) => [cat, ls, id]",
        "a+bc => [abc]",
        "(?:^|[^a-z])(?:https?|ftp):// => [://]",
      })
  void derivesTheLongestMandatoryLiteralOfEachBranch(String regex, String literals) {
    assertThat(Prefilter.of(regex).literals().toString()).isEqualTo(literals);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"(?i)select", "a|b", "x*y*", "[a-z]+", "ab|c", "(?:a|bc)d?", "(?=ab)cd"})
  void givesUpWhenItCannotProveANecessaryLiteral(String regex) {
    assertThat(Prefilter.of(regex)).isNull();
  }

  @Test
  void neverRejectsAValueTheRegexMatches() {
    String[] regexes = {
      "nessus|nikto",
      "class\\.(?:module\\.)?classloader",
      "ab+cd|ef{2}gh",
      "x(y|z)?ww|\\.\\.[/\\\\]",
      "\\.(?:log|ini)(?:$|[?;#])",
      "/(?:\\.git/|\\.env(?:$|[./])|wp-config\\.php)",
      "\\$\\{(?:jndi|lower):",
      "a+bc"
    };
    String[] values = {
      "a nikto scan", "class.module.classloader", "abbbcd", "effgh", "xww", "xyww", "..\\", "none",
      "app.log", "x.ini?", "/.git/x", "/.env", "/.env.bak", "/wp-config.php", "${jndi:x",
          "${lower:",
      "aaabc", "abc"
    };
    for (String r : regexes) {
      Prefilter p = Prefilter.of(r);
      Pattern re = Pattern.compile(r);
      for (String v : values) {
        if (re.matcher(v).find()) {
          assertThat(p == null || p.mayMatch(v)).as(r + " on " + v).isTrue();
        }
      }
    }
  }
}
