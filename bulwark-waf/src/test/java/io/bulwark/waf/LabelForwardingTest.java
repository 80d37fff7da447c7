package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which labels reach the origin, and how the header value is written. */
class LabelForwardingTest {
  private static final List<String> LABELS =
      List.of(
          "bulwark:clientip:geo:country:US",
          "bulwark:managed:core-rule-set:NoUserAgent_HEADER",
          "bulwark:acl:suspect:scanner",
          "bulwark:managed:known-bad-inputs:Log4JRCE_HEADER");

  @Test
  void withoutNamespacesEveryLabelIsForwardedInTheOrderAdded() {
    assertThat(new LabelForwarding("x-l", List.of()).value(LABELS))
        .isEqualTo(
            "bulwark:clientip:geo:country:US, bulwark:managed:core-rule-set:NoUserAgent_HEADER,"
                + " bulwark:acl:suspect:scanner, bulwark:managed:known-bad-inputs:Log4JRCE_HEADER");
  }

  @Test
  void namespacesArePrefixesOfTheQualifiedLabel() {
    LabelForwarding f =
        new LabelForwarding("x-l", List.of("bulwark:managed:", "bulwark:acl:suspect:"));
    assertThat(f.value(LABELS))
        .isEqualTo(
            "bulwark:managed:core-rule-set:NoUserAgent_HEADER, bulwark:acl:suspect:scanner,"
                + " bulwark:managed:known-bad-inputs:Log4JRCE_HEADER");
    assertThat(new LabelForwarding("x-l", List.of("bulwark:acl:")).value(LABELS))
        .isEqualTo("bulwark:acl:suspect:scanner");
  }

  @Test
  void noQualifyingLabelMeansNoHeader() {
    assertThat(new LabelForwarding("x-l", List.of()).value(List.of())).isNull();
    assertThat(new LabelForwarding("x-l", List.of("bulwark:other:")).value(LABELS)).isNull();
  }

  @Test
  void theVerdictOfACountedRuleCarriesTheLabelsToForward() throws Exception {
    WebAcl acl =
        TestRequests.acl(
            """
            web-acls:
              - name: acl
                default-action: allow
                forward-labels: {namespaces: ["bulwark:acl:"]}
                rules:
                  - name: flag
                    priority: 0
                    action: count
                    rule-labels: ["suspect:scanner"]
                    statement: {byte-match: {field: {single-header: user-agent}, positional-constraint: CONTAINS, search-string: sqlmap}}
                  - {name: crs, priority: 1, override-action: count, statement: {managed-rule-group: {name: core-rule-set}}}
            """);
    WafRequest r =
        WafRequest.builder()
            .target("/")
            .header("User-Agent", "sqlmap/1.7")
            .clientIp(TestRequests.ip("192.0.2.1"))
            .build();
    Verdict v = acl.evaluate(r, Instant.EPOCH);
    assertThat(v.countedRules()).contains("flag");
    assertThat(acl.forwardLabels().value(v.labels())).isEqualTo("bulwark:acl:suspect:scanner");
  }
}
