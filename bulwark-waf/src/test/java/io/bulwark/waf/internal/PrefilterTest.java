package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrefilterTest {
  /** Pattern => condition: branches joined by " | ", each an AND (" & ") of literal sets. */
  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      value = {
        "nessus|nikto|sqlmap => [nessus, nikto, sqlmap]",
        "java\\.lang\\.runtime|ro0ab => [java.lang.runtime, ro0ab]",
        "class\\.(?:module\\.)?classloader => [class.classloader, class.module.classloader]",
        "abc?de => [abcde, abde]",
        "x?yzz*w => [yz] & [zw]",
        "\\$\\{(?:jndi|lower): => [${jndi:, ${lower:]",
        "(?:cat|ls)\\s => [cat, ls]",
        "\\.(?:log|ini)(?:$|[?;#]) => [.ini, .log]",
        "`\\s*(?:cat|ls|id) => [cat, id, ls] & [`]",
        "a+bc => [abc]",
        "(?:^|[^a-z])(?:https?|ftp):// => [ftp://, http://, https://]",
        // conjunctions: every required part, and the joints between parts
        "://(?:[^/@]*@)?(?:localhost|127\\.) => [://127., ://localhost, @127., @localhost] & [://]",
        "select\\s+\\w+\\s+from => [select] & [from]",
        ";\\s*(?:cat|ls) => [cat, ls] & [;]",
        "\\.{2,}[/\\\\] => [..] & [./, .\\]",
        "(?:ab|cd)+ef => [abef, cdef]",
        // alternatives each with their own conjunction
        "a[0-9]+b\\s+cd|xyz => [cd] & [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9] & [0b, 1b, 2b, 3b, 4b, 5b, 6b, 7b, 8b, 9b] | [xyz]",
        "(?s)foo.bar => [foo] & [bar]",
        "(?P<x>ab)cd => [abcd]",
        "[[:alpha:]]ab => [ab]",
        "\\x41\\x{42}c => [ABc]",
      })
  void derivesAConditionOfLiteralSets(String regex, String condition) {
    assertThat(Prefilter.of(regex)).hasToString(condition);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "(?i)select",
        "a|b",
        "x*y*",
        "[a-z]+",
        "ab|c",
        "(?:a|bc)d?",
        "(?=ab)cd",
        "\\Qab\\E",
        "ab|",
        "(?:abc)?",
        "\\pLab?"
      })
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
      "a+bc",
      "://(?:[^/@]*@)?(?:localhost|127\\.)"
    };
    String[] values = {
      "a nikto scan", "class.module.classloader", "abbbcd", "effgh", "xww", "xyww", "..\\", "none",
      "app.log", "x.ini?", "/.git/x", "/.env", "/.env.bak", "/wp-config.php", "${jndi:x",
          "${lower:",
      "aaabc", "abc", "http://localhost", "http://u:p@127.0.0.1"
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
