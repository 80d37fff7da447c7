package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.node.ConfigNode;
import io.bulwark.core.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the declarative case files in src/test/resources/cases: each file defines one web ACL and an
 * ordered list of requests with the verdict expected for each (action, terminating rule, the rule
 * inside a group, labels, counted rules, response status). Cases in a file share the ACL and a
 * manual clock, so rate-based cases advance time with {@code advance-seconds}.
 */
class CaseFileTest {

  @TestFactory
  Stream<DynamicNode> caseFiles() throws IOException {
    Path dir = TestRequests.resources().resolve("cases");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    return files.stream().map(CaseFileTest::container);
  }

  private static DynamicContainer container(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    ConfigNode root = TestRequests.yaml(file.getFileName().toString(), text);
    ManualClock clock = ManualClock.atDefaultStart();
    WebAcl[] acl = new WebAcl[1];
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(
        DynamicTest.dynamicTest(
            "loads",
            () -> {
              acl[0] = WebAclParser.parse(root.get("web-acls"), TestRequests.env()).get(0);
            }));
    for (ConfigNode c : root.get("cases").items()) {
      String name = TestRequests.text(c, "name", "line " + c.line());
      tests.add(
          DynamicTest.dynamicTest(
              name + " (" + file.getFileName() + ":" + c.line() + ")",
              () -> runCase(acl[0], clock, c)));
    }
    return DynamicContainer.dynamicContainer(file.getFileName().toString(), tests);
  }

  private static void runCase(WebAcl acl, ManualClock clock, ConfigNode c) {
    assertThat(acl).as("the web ACL loaded").isNotNull();
    String adv = TestRequests.text(c, "advance-seconds", "0");
    clock.advance(Duration.ofSeconds(Long.parseLong(adv)));
    int repeat = Integer.parseInt(TestRequests.text(c, "repeat", "1"));
    WafRequest req = TestRequests.request(c.get("request"), clock.instant());
    Verdict v = null;
    for (int i = 0; i < repeat; i++) {
      v = acl.evaluate(req, clock.instant());
    }
    ConfigNode e = c.get("expect");
    String where = "case at line " + c.line() + " got " + v;
    assertThat(v.action().name()).as(where).isEqualTo(TestRequests.text(e, "action", "?"));
    if (e.get("rule") != null) {
      assertThat(v.terminatingRule()).as(where).isEqualTo(e.get("rule").text());
    }
    if (e.get("group-rule") != null) {
      assertThat(v.terminatingGroupRule()).as(where).isEqualTo(e.get("group-rule").text());
    }
    if (e.get("labels") != null) {
      assertThat(v.labels())
          .as(where)
          .containsExactlyInAnyOrderElementsOf(
              e.get("labels").items().stream().map(ConfigNode::text).toList());
    }
    if (e.get("counted") != null) {
      assertThat(v.countedRules())
          .as(where)
          .containsExactlyElementsOf(
              e.get("counted").items().stream().map(ConfigNode::text).toList());
    }
    if (e.get("status") != null) {
      assertThat(v.response()).as(where).isNotNull();
      assertThat(v.response().status())
          .as(where)
          .isEqualTo(Integer.parseInt(e.get("status").text()));
    }
    if (e.get("response-body") != null) {
      assertThat(v.response().body()).as(where).isEqualTo(e.get("response-body").text());
    }
  }
}
