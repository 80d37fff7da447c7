package io.bulwark.config.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class YamlTreeTest {
  @Test
  void nodesKnowTheirLineAndPath() throws Exception {
    ConfigNode root =
        YamlTree.parse(
            "a.yaml",
            """
            origins:
              - id: one
                url: http://127.0.0.1:1
              - id: two
                custom-headers:
                  X-Secret: abc
            """);
    ConfigNode two = root.get("origins").items().get(1);
    assertThat(two.get("id").text()).isEqualTo("two");
    assertThat(two.get("id").line()).isEqualTo(4);
    assertThat(two.get("custom-headers").get("X-Secret").path())
        .isEqualTo("origins[1].custom-headers.X-Secret");
    assertThat(two.get("custom-headers").get("X-Secret").line()).isEqualTo(6);
    assertThat(root.keys()).containsExactly("origins");
  }

  @Test
  void duplicateKeysAreRefusedWithBothLines() {
    assertThatThrownBy(() -> YamlTree.parse("d.yaml", "a: 1\nb: 2\na: 3\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("d.yaml:3: a: duplicate key 'a' (first at line 1) (fix: remove one of them)");
  }

  @Test
  void badYamlNamesTheLine() {
    assertThatThrownBy(() -> YamlTree.parse("b.yaml", "a: 1\nb: [1, 2\nc: 3\n"))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              ConfigProblem p = ((ConfigException) e).problems().get(0);
              assertThat(p.file()).isEqualTo("b.yaml");
              assertThat(p.line()).isGreaterThanOrEqualTo(2);
              assertThat(p.message()).startsWith("not valid YAML");
            });
  }

  @Test
  void emptyFileIsRefused() {
    assertThatThrownBy(() -> YamlTree.parse("e.yaml", ""))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("the file is empty");
  }

  @Test
  void scalarsAndNullsAreDistinguished() throws Exception {
    ConfigNode root = YamlTree.parse("s.yaml", "a: 10s\nb:\nc: true\n");
    assertThat(root.get("a").isScalar()).isTrue();
    assertThat(root.get("a").text()).isEqualTo("10s");
    assertThat(root.get("b").isNull()).isTrue();
    assertThat(root.get("c").text()).isEqualTo("true");
  }
}
