package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Refusals at load: each problem names the file, the line, the key path and the reason. */
class WebAclParserTest {

  private static List<ConfigProblem> problems(String yaml) {
    try {
      WebAclParser.parse(TestRequests.yaml("waf.yaml", yaml), TestRequests.env());
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("expected the configuration to be refused");
  }

  @Test
  void aWebAclOverItsCapacityIsRefusedWithThePerRuleBreakdown() {
    List<ConfigProblem> p =
        problems(
            """
            web-acls:
              - name: heavy
                default-action: allow
                capacity: 100
                rules:
                  - {name: core, priority: 1, override-action: none, statement: {managed-rule-group: {name: core-rule-set}}}
                  - {name: xss, priority: 2, action: block, statement: {xss-match: {field: body, text-transformations: [URL_DECODE]}}}
            """);
    assertThat(p).hasSize(1);
    ConfigProblem c = p.get(0);
    assertThat(c.file()).isEqualTo("waf.yaml");
    assertThat(c.line()).isEqualTo(4);
    assertThat(c.path()).isEqualTo("web-acls[0].capacity");
    assertThat(c.message())
        .contains("needs 750 WCU, over its capacity of 100")
        .contains("core (priority 1) 700")
        .contains("xss (priority 2) 50");
    assertThat(c.fix()).contains("raise capacity to at least 750");
  }

  @Test
  void theDefaultCapacityIs1500() {
    List<ConfigProblem> p =
        problems(
            """
            web-acls:
              - name: heavy
                default-action: allow
                rules:
                  - {name: core, priority: 1, override-action: none, statement: {managed-rule-group: {name: core-rule-set}}}
                  - {name: core2, priority: 2, override-action: count, statement: {managed-rule-group: {name: AWSManagedRulesCommonRuleSet}}}
                  - {name: sqli, priority: 3, override-action: none, statement: {managed-rule-group: {name: sql-database}}}
            """);
    assertThat(p)
        .singleElement()
        .satisfies(
            c -> assertThat(c.message()).contains("needs 1600 WCU, over its capacity of 1500"));
  }

  @Test
  void aLabelMatchOnANamespaceNoEarlierRuleProducesIsRefused() {
    List<ConfigProblem> p =
        problems(
            """
            web-acls:
              - name: labels
                default-action: allow
                rules:
                  - name: uses-label
                    priority: 1
                    action: block
                    statement:
                      label-match: {scope: NAMESPACE, key: "bulwark:labels:team:"}
                  - name: adds-label-too-late
                    priority: 2
                    action: count
                    rule-labels: ["team:x"]
                    statement: {byte-match: {field: method, positional-constraint: EXACTLY, search-string: GET}}
                  - name: unknown
                    priority: 3
                    action: block
                    statement: {label-match: {scope: LABEL, key: "nobody:adds:this"}}
            """);
    assertThat(p).hasSize(2);
    assertThat(p.get(0).line()).isEqualTo(9);
    assertThat(p.get(0).message())
        .isEqualTo(
            "label-match on namespace 'bulwark:labels:team:', which no rule evaluated before this"
                + " one adds");
    assertThat(p.get(1).line()).isEqualTo(18);
    assertThat(p.get(1).path()).isEqualTo("web-acls[0].rules[2].statement.label-match");
  }

  @Test
  void aLabelFromABuiltInGroupCanBeMatched() throws ConfigException {
    WebAcl acl =
        TestRequests.acl(
            """
            web-acls:
              - name: ok
                default-action: allow
                rules:
                  - {name: kbi, priority: 1, override-action: count, statement: {managed-rule-group: {name: known-bad-inputs}}}
                  - {name: after, priority: 2, action: block, statement: {label-match: {scope: LABEL, key: Log4JRCE_HEADER}}}
            """);
    assertThat(acl.ruleNames()).containsExactly("kbi", "after");
  }

  @Test
  void aMalformedRegexIsRefusedWithRe2sReason() {
    List<ConfigProblem> p =
        problems(
            """
            web-acls:
              - name: rx
                default-action: allow
                regex-pattern-sets:
                  - name: bad-set
                    regular-expression-list: ["ok", "(a|b"]
                rules:
                  - name: backref
                    priority: 1
                    action: block
                    statement: {regex-match: {field: uri-path, regex-string: "(a)\\\\1"}}
            """);
    assertThat(p).hasSize(2);
    assertThat(p.get(0).line()).isEqualTo(6);
    assertThat(p.get(0).message())
        .startsWith("malformed regular expression '(a|b': missing closing )");
    assertThat(p.get(1).line()).isEqualTo(11);
    assertThat(p.get(1).message()).contains("malformed regular expression '(a)\\1'");
    assertThat(p.get(1).fix()).contains("RE2 syntax");
  }

  @Test
  void malformedIpSetEntriesAreRefusedOneByOne() {
    List<ConfigProblem> p =
        problems(
            """
            web-acls:
              - name: ips
                default-action: allow
                ip-sets:
                  - name: office
                    addresses:
                      - 192.0.2.0/24
                      - 192.0.2.300
                      - 10.0.0.0/33
                      - "2001:db8::/129"
                      - example.com
                rules: []
            """);
    assertThat(p).extracting(ConfigProblem::line).containsExactly(8, 9, 10, 11);
    assertThat(p.get(0).message()).contains("'192.0.2.300' is not an IPv4 or IPv6 address");
    assertThat(p.get(1).message()).contains("prefix length '33'; it must be 0-32");
    assertThat(p.get(2).message()).contains("it must be 0-128");
    assertThat(p.get(3).message()).contains("'example.com' is not an IPv4 or IPv6 address");
  }

  @Test
  void aMalformedLineInAnIpListFileIsRefusedWithItsFileAndLine() {
    List<ConfigProblem> p =
        problems(
            """
            web-acls:
              - name: lists
                default-action: allow
                rules:
                  - {name: rep, priority: 1, override-action: none, statement: {managed-rule-group: {name: ip-reputation, ip-list-file: lists/bad-list.txt}}}
                  - {name: anon, priority: 2, override-action: none, statement: {managed-rule-group: {name: anonymous-ip}}}
            """);
    assertThat(p).hasSize(3);
    assertThat(p.get(0).message())
        .contains("bad-list.txt:3: '10.1.2.3 spammers' is not '<cidr> [category]'");
    assertThat(p.get(1).message()).contains("bad-list.txt:4: '10.0.0.0/99' has prefix length '99'");
    assertThat(p.get(2).message())
        .contains("built-in group 'anonymous-ip' reads its addresses from a list file you supply");
  }

  @Test
  void captchaIsRefusedRatherThanPretended() {
    List<ConfigProblem> p =
        problems(
            """
            web-acls:
              - name: c
                default-action: allow
                rules:
                  - {name: cap, priority: 1, action: captcha, statement: {byte-match: {field: uri-path, positional-constraint: EXACTLY, search-string: /login}}}
            """);
    assertThat(p)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.line()).isEqualTo(5);
              assertThat(c.message()).contains("CAPTCHA action is not available");
              assertThat(c.fix()).contains("challenge");
            });
  }

  @Test
  void typosUnknownStatementsAndMissingPiecesAreAllReportedTogether() {
    List<ConfigProblem> p =
        problems(
            """
            web-acls:
              - name: typos
                default-action: allow
                rules:
                  - {name: a, priority: 1, action: block, statement: {byte-match: {field: uri-path, positional-constraint: CONTAINZ, search-string: x}}}
                  - {name: b, priority: 2, action: block, statement: {bytematch: {}}}
                  - {name: c, priority: 3, action: block, statment: {}}
                  - {name: d, priority: 3, action: block, statement: {rate-based: {limit: 100, evaluation-window-sec: 30, aggregate-key-type: IP}}}
                  - {name: e, priority: 4, action: block, statement: {byte-match: {field: {single-header: {}}, positional-constraint: EXACTLY, search-string: x, text-transformations: [URL_DEKODE]}}}
                  - {name: f, priority: 5, override-action: none, statement: {rule-group-reference: {name: missing}}}
            """);
    assertThat(p)
        .extracting(ConfigProblem::message)
        .anySatisfy(
            m -> assertThat(m).contains("unknown positional-constraint the value 'CONTAINZ'"))
        .anySatisfy(m -> assertThat(m).contains("unknown statement 'bytematch'"))
        .anySatisfy(m -> assertThat(m).contains("unknown key 'statment'"))
        .anySatisfy(
            m -> assertThat(m).contains("evaluation-window-sec is 60, 120, 300 or 600, found 30"))
        .anySatisfy(m -> assertThat(m).contains("single-header needs the name to inspect"))
        .anySatisfy(
            m -> assertThat(m).contains("unknown text transformation the value 'URL_DEKODE'"))
        .anySatisfy(m -> assertThat(m).contains("no rule group named 'missing'"));
    assertThat(p).allSatisfy(c -> assertThat(c.file()).isEqualTo("waf.yaml"));
    assertThat(p).allSatisfy(c -> assertThat(c.line()).isBetween(5, 10));
  }

  @Test
  void overridesMustNameRulesOfTheGroup() {
    assertThatThrownBy(
            () ->
                TestRequests.acl(
                    """
                    web-acls:
                      - name: o
                        default-action: allow
                        rules:
                          - name: crs
                            priority: 1
                            override-action: none
                            statement:
                              managed-rule-group:
                                name: core-rule-set
                                rule-action-overrides: [{name: NoSuchRule, action-to-use: count}]
                    """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("test.yaml:11")
        .hasMessageContaining("no rule named 'NoSuchRule'")
        .hasMessageContaining("SizeRestrictions_BODY");
  }

  @Test
  void forwardLabelsRefusesHeadersTheEdgeOwnsOrTheViewerNeedsAndNamespacesThatMatchNothing() {
    List<ConfigProblem> p =
        problems(
            """
            web-acls:
              - {name: a, default-action: allow, forward-labels: {header: "x labels"}}
              - {name: b, default-action: allow, forward-labels: {header: Host}}
              - {name: c, default-action: allow, forward-labels: {header: content-length}}
              - {name: d, default-action: allow, forward-labels: {header: Transfer-Encoding}}
              - {name: e, default-action: allow, forward-labels: {header: X-Amzn-Waf-Labels}}
              - {name: f, default-action: allow, forward-labels: {header: Authorization}}
              - {name: g, default-action: allow, forward-labels: {namespaces: ["bulwark:managed"]}}
              - {name: h, default-action: allow, forward-labels: {namespaces: ["awswaf:managed:"]}}
              - {name: i, default-action: allow, forward-labels: {headers: x-labels}}
              - {name: j, default-action: allow, forward-labels: x-labels}
              - {name: k, default-action: allow, forward-labels: {header: [x-a, x-b]}}
              - {name: l, default-action: allow, forward-labels: {header: TE, namespaces: ["x:"]}}
            """);
    // One row per refusal: line, key path, message fragment, fix fragment.
    Object[][] rows = {
      {2, "web-acls[0].forward-labels.header", "'x labels' is not a valid header name", "token"},
      {3, "web-acls[1].forward-labels.header", "may not be 'Host': the edge sets Host", "e.g. "},
      {4, "web-acls[2].forward-labels.header", "request-smuggling", "x-bulwark-waf-labels"},
      {5, "web-acls[3].forward-labels.header", "hop-by-hop", "x-bulwark-waf-labels"},
      {6, "web-acls[4].forward-labels.header", "reserved to the edge", "x-bulwark-waf-labels"},
      {7, "web-acls[5].forward-labels.header", "removes the viewer's copy", "x-bulwark-waf-labels"},
      {8, "web-acls[6].forward-labels.namespaces[0]", "ending in ':'", "bulwark:managed:"},
      {9, "web-acls[7].forward-labels.namespaces[0]", "matches no label", "bulwark:<acl>:"},
      {10, "web-acls[8].forward-labels.headers", "unknown key 'headers'", "header, namespaces"},
      {11, "web-acls[9].forward-labels", "forward-labels must be a map", "key: value"},
      {12, "web-acls[10].forward-labels.header", "is not a valid header name", "token"},
      // Every problem of one setting is reported, not only the first.
      {13, "web-acls[11].forward-labels.header", "may not be 'TE'", "x-bulwark-waf-labels"},
      {13, "web-acls[11].forward-labels.namespaces[0]", "matches no label", "bulwark:managed:"},
    };
    assertThat(p).hasSameSizeAs(rows);
    for (int i = 0; i < rows.length; i++) {
      ConfigProblem c = p.get(i);
      assertThat(c.file()).isEqualTo("waf.yaml");
      assertThat(c.line()).as(c.toString()).isEqualTo(rows[i][0]);
      assertThat(c.path()).as(c.toString()).isEqualTo(rows[i][1]);
      assertThat(c.message()).as(c.toString()).contains((String) rows[i][2]);
      assertThat(c.fix()).as(c.toString()).contains((String) rows[i][3]);
    }
  }

  @Test
  void forwardLabelsDefaultsToEveryLabelUnderOneHeader() throws ConfigException {
    List<WebAcl> acls =
        WebAclParser.parse(
            TestRequests.yaml(
                "waf.yaml",
                """
                web-acls:
                  - {name: none, default-action: allow}
                  - {name: all, default-action: allow, forward-labels: {}}
                  - name: some
                    default-action: allow
                    forward-labels:
                      header: X-Waf-Labels
                      namespaces: ["bulwark:managed:", "bulwark:some:team:"]
                """),
            TestRequests.env());
    assertThat(acls.get(0).forwardLabels()).isNull();
    assertThat(acls.get(1).forwardLabels())
        .isEqualTo(new LabelForwarding("x-bulwark-waf-labels", List.of()));
    assertThat(acls.get(2).forwardLabels().header()).isEqualTo("X-Waf-Labels");
    assertThat(acls.get(2).forwardLabels().namespaces())
        .containsExactly("bulwark:managed:", "bulwark:some:team:");
  }

  @Test
  void noWebAclsSectionMeansNoWebAcls() throws ConfigException {
    assertThat(WebAclParser.parse(TestRequests.yaml("x.yaml", "other: 1\n"), TestRequests.env()))
        .isEmpty();
  }

  @Test
  void aWebAclsChallengeServiceCarriesItsLongestChallengeImmunity() throws ConfigException {
    String guard =
        "{byte-match: {field: uri-path, positional-constraint: STARTS_WITH, search-string: /g,"
            + " text-transformations: [NONE]}}";
    List<WebAcl> acls =
        WebAclParser.parse(
            TestRequests.yaml(
                "waf.yaml",
                """
                web-acls:
                  - name: none
                    default-action: allow
                    challenge-config: {immunity-time-property: {immunity-time: 1200}}
                    rules: [{name: b, priority: 1, action: block, statement: %1$s}]
                  - name: acl-level
                    default-action: allow
                    challenge-config: {immunity-time-property: {immunity-time: 3600}}
                    rules: [{name: c, priority: 1, action: challenge, statement: %1$s}]
                  - name: per-rule
                    default-action: allow
                    challenge-config: {immunity-time-property: {immunity-time: 600}}
                    rules:
                      - {name: short, priority: 1, action: challenge, statement: %1$s, challenge-config: {immunity-time-property: {immunity-time: 120}}}
                      - {name: long, priority: 2, action: challenge, statement: %1$s, challenge-config: {immunity-time-property: {immunity-time: 7200}}}
                  - name: shorter
                    default-action: allow
                    rules: [{name: c, priority: 1, action: challenge, statement: %1$s, challenge-config: {immunity-time-property: {immunity-time: 60}}}]
                  - name: group-override
                    default-action: allow
                    challenge-config: {immunity-time-property: {immunity-time: 1800}}
                    rules:
                      - name: kbi
                        priority: 1
                        override-action: none
                        statement: {managed-rule-group: {name: known-bad-inputs, rule-action-overrides: [{name: JavaDeserializationRCE_BODY, action-to-use: challenge}]}}
                  - name: counted-or-excluded
                    default-action: allow
                    rule-groups:
                      - name: team
                        rules: [{name: slow, priority: 1, action: challenge, statement: %1$s, challenge-config: {immunity-time-property: {immunity-time: 86400}}}]
                    rules:
                      - {name: excluded, priority: 1, override-action: none, statement: {rule-group-reference: {name: team, excluded-rules: [slow]}}}
                      - {name: counted, priority: 2, override-action: count, statement: {rule-group-reference: {name: team}}}
                      - {name: c, priority: 3, action: challenge, statement: %1$s, challenge-config: {immunity-time-property: {immunity-time: 900}}}
                """
                    .formatted(guard)),
            TestRequests.env());
    assertThat(acls)
        .extracting(a -> a.name() + " " + a.challenge().immunity().toSeconds())
        .containsExactly(
            "none 300",
            "acl-level 3600",
            "per-rule 7200",
            "shorter 60",
            "group-override 1800",
            "counted-or-excluded 900");
    // Only the immunity differs: every web ACL's service accepts the others' tokens.
    java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");
    String token = acls.get(1).challenge().issueToken("a.test", now);
    assertThat(
            acls.get(3)
                .challenge()
                .verifyToken(token, "a.test", now, acls.get(3).challenge().immunity()))
        .isEqualTo(ChallengeService.TokenCheck.VALID);
  }
}
