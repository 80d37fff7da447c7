package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every value of the full example replaced by every wrong shape (list, map, nothing, empty text, a
 * negative number, a word): the loader must answer with located problems, never with another
 * exception, and never echo a secret.
 */
class ConfigRobustnessTest {
  private static final Pattern KEY_VALUE = Pattern.compile("^(\\s*(?:- )?[A-Za-z-]+:) (.+)$");
  private static final List<String> WRONG = List.of("[]", "{}", "", "''", "-1", "word", "[a, [b]]");

  @TempDir static Path base;

  @BeforeAll
  static void layout() throws IOException {
    ConfigValidationTest.prepareBaseDir(base);
  }

  @Test
  void everyWrongShapeGivesLocatedProblemsNotACrash() {
    String[] lines = ConfigLoaderTest.FULL.split("\n");
    List<String> crashes = new ArrayList<>();
    int variants = 0;
    int refused = 0;
    for (int i = 0; i < lines.length; i++) {
      Matcher m = KEY_VALUE.matcher(lines[i]);
      if (!m.matches()) {
        continue;
      }
      for (String wrong : WRONG) {
        String[] copy = lines.clone();
        copy[i] = m.group(1) + " " + wrong;
        variants++;
        try {
          ConfigLoader.load("r.yaml", String.join("\n", copy), base, ConfigValidationTest.ENV);
        } catch (ConfigException e) {
          refused++;
          for (ConfigProblem p : e.problems()) {
            assertThat(p.line()).as(p.toString()).isPositive();
            assertThat(p.toString()).doesNotContain(ConfigValidationTest.SECRET);
            assertThat(p.toString()).doesNotContain(ConfigValidationTest.FILE_SECRET);
          }
        } catch (RuntimeException e) {
          crashes.add("line " + (i + 1) + " = " + copy[i].trim() + ": " + e);
        }
      }
    }
    assertThat(crashes).isEmpty();
    assertThat(variants).isGreaterThan(400);
    assertThat(refused).isGreaterThan(variants / 2);
  }
}
