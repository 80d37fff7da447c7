package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The full example in docs/waf.md loads, so the documented schema stays true. */
class DocsExampleTest {
  @Test
  void theDocumentedExampleLoads() throws Exception {
    Path doc = Path.of("..", "docs", "waf.md");
    String md = Files.readString(doc);
    Matcher m = Pattern.compile("```yaml\\n(web-acls:.*?)```", Pattern.DOTALL).matcher(md);
    assertThat(m.find()).as("docs/waf.md has a web-acls example").isTrue();
    Path dir = Files.createTempDirectory("waf-doc");
    Files.createDirectories(dir.resolve("lists"));
    Files.writeString(dir.resolve("lists/reputation.txt"), "203.0.113.0/25\n198.18.0.0/15 ddos\n");
    WafEnvironment env = TestRequests.env().withBaseDirectory(dir);
    List<WebAcl> acls = WebAclParser.parse(TestRequests.yaml("waf.md", m.group(1)), env);
    assertThat(acls)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.name()).isEqualTo("frontdoor");
              assertThat(a.usedCapacity()).isLessThanOrEqualTo(1500);
            });
    WafRequest attack =
        WafRequest.builder()
            .target("/item?id=1%27%20OR%20%271%27%3D%271")
            .clientIp(TestRequests.ip("198.51.100.9"))
            .header("User-Agent", "curl/8.5.0")
            .build();
    Verdict v = acls.get(0).evaluate(attack, java.time.Instant.EPOCH);
    assertThat(v.terminatingRule()).isEqualTo("sqli");
  }
}
