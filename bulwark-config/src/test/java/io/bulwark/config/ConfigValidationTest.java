package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation rule, one case each, from the case file {@code invalid-configs.txt}.
 *
 * <p>Case file format: a case starts with {@code ### <name>}; then one {@code ### expect <path> |
 * <message fragment> [| <fix fragment>]} line per expected problem; then the YAML. The line each
 * problem must name is marked in the YAML with a trailing {@code # <} comment ({@code # <<} for two
 * problems on one line), the i-th marker for the i-th expectation, so line numbers are shown where
 * they are, not counted by hand. A case must produce exactly its expected problems: a rule that
 * reports one mistake twice fails here.
 */
class ConfigValidationTest {
  static final String SECRET = "s3cr3t-from-env";
  static final String FILE_SECRET = "s3cr3t-from-file";
  static final Map<String, String> ENV = Map.of("ORIGIN_SECRET", SECRET, "EMPTY_SECRET", "");

  @TempDir static Path base;

  @BeforeAll
  static void layout() throws IOException {
    prepareBaseDir(base);
  }

  /** Folders and files the cases refer to by relative path. */
  static void prepareBaseDir(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("site-a"));
    Files.createDirectories(dir.resolve("site-b"));
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(dir.resolve("secret.txt"), FILE_SECRET + "\n");
    Files.writeString(dir.resolve("empty.txt"), "\n");
    Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
    Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
  }

  /** "# <" marks a line where one problem is expected; "# <<" two, and so on. */
  private static final Pattern MARKER = Pattern.compile("#\\s*(<+)\\s*$");

  record Expect(int line, String path, String message, String fix) {}

  record Case(String name, String yaml, List<Expect> expects) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() throws IOException {
    String text;
    try (InputStream in = ConfigValidationTest.class.getResourceAsStream("invalid-configs.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Case> cases = new ArrayList<>();
    String name = null;
    List<String[]> expects = new ArrayList<>();
    List<String> yaml = new ArrayList<>();
    for (String line : (text + "\n### end").split("\n", -1)) {
      if (line.startsWith("### expect ")) {
        expects.add(line.substring("### expect ".length()).split(" \\| ", -1));
      } else if (line.startsWith("### ")) {
        if (name != null) {
          cases.add(build(name, expects, yaml));
        }
        name = line.substring(4).trim();
        expects = new ArrayList<>();
        yaml = new ArrayList<>();
      } else if (name != null) {
        yaml.add(line);
      }
    }
    return cases.stream();
  }

  private static Case build(String name, List<String[]> expects, List<String> yaml) {
    List<Integer> marked = new ArrayList<>();
    for (int i = 0; i < yaml.size(); i++) {
      Matcher m = MARKER.matcher(yaml.get(i));
      if (m.find()) {
        for (int k = 0; k < m.group(1).length(); k++) {
          marked.add(i + 1);
        }
      }
    }
    if (marked.size() != expects.size()) {
      throw new IllegalStateException(
          name + ": " + expects.size() + " expectations but " + marked.size() + " '# <' markers");
    }
    List<Expect> out = new ArrayList<>();
    for (int i = 0; i < expects.size(); i++) {
      String[] e = expects.get(i);
      out.add(new Expect(marked.get(i), e[0].trim(), e[1].trim(), e.length > 2 ? e[2].trim() : ""));
    }
    return new Case(name, String.join("\n", yaml), out);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedWithLocatedProblems(Case c) {
    List<ConfigProblem> problems;
    try {
      ConfigLoader.load("case.yaml", c.yaml(), base, ENV);
      fail("accepted: " + c.name());
      return;
    } catch (ConfigException e) {
      problems = e.problems();
    }
    String all = problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    assertThat(problems).as(all).hasSameSizeAs(c.expects());
    for (int i = 0; i < c.expects().size(); i++) {
      Expect e = c.expects().get(i);
      ConfigProblem p = problems.get(i);
      assertThat(p.file()).isEqualTo("case.yaml");
      assertThat(p.line()).as(all).isEqualTo(e.line());
      assertThat(p.path()).as(all).isEqualTo(e.path());
      assertThat(p.message()).as(all).contains(e.message());
      assertThat(p.fix()).as(all).contains(e.fix());
      assertThat(p.fix()).as("every problem says how to fix it").isNotBlank();
      assertThat(p.toString()).doesNotContain(SECRET).doesNotContain(FILE_SECRET);
    }
  }
}
