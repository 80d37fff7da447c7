package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Patterns that make a backtracking engine run for ages must not hang a worker: rules use RE2/J,
 * whose time is linear in the input. The bound asserted is generous on purpose (this proves "does
 * not hang", not a speed); java.util.regex needs hours for the same input.
 */
class LinearTimeTest {
  @Test
  void aCatastrophicPatternOnALongInputFinishesPromptly() throws Exception {
    WebAcl acl =
        TestRequests.acl(
            """
            web-acls:
              - name: redos
                default-action: allow
                rules:
                  - {name: nested, priority: 1, action: block, statement: {regex-match: {field: {single-header: x-input}, regex-string: "^(a+)+$"}}}
                  - {name: alternation, priority: 2, action: block, statement: {regex-match: {field: body, regex-string: "^(a|aa|a?)*b$"}}}
            """);
    String input = "a".repeat(100_000) + "!";
    WafRequest req =
        WafRequest.builder()
            .method("POST")
            .clientIp(TestRequests.ip("192.0.2.1"))
            .header("X-Input", input)
            .body(input)
            .build();
    Verdict v =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> acl.evaluate(req, Instant.EPOCH));
    assertThat(v.action()).isEqualTo(Action.ALLOW);
    WafRequest matching =
        WafRequest.builder()
            .clientIp(TestRequests.ip("192.0.2.1"))
            .header("X-Input", "aaaa")
            .build();
    assertThat(acl.evaluate(matching, Instant.EPOCH).terminatingRule()).isEqualTo("nested");
  }

  @Test
  void theBuiltInGroupsHandleLargeAdversarialValuesPromptly() throws Exception {
    WebAcl acl = CorpusScoreTest.defaultAcl();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      sb.append("'(\"<a onx=;|${${").append(i % 10);
    }
    String nasty = sb.toString();
    WafRequest req =
        WafRequest.builder()
            .method("POST")
            .target("/x?q=" + nasty.replace("&", "%26").replace("#", "%23").replace(" ", "%20"))
            .clientIp(TestRequests.ip("192.0.2.1"))
            .header("User-Agent", nasty)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("a=" + nasty)
            .build();
    Verdict v =
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> acl.evaluate(req, Instant.EPOCH));
    assertThat(v.action()).isEqualTo(Action.BLOCK);
  }
}
