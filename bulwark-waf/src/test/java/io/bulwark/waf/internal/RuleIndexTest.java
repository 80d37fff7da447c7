package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.waf.Verdict;
import io.bulwark.waf.WafRequest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rule index: which rules are guarded by their leaves, which a request has to evaluate, and
 * that skipping the others changes no verdict, label or count.
 */
class RuleIndexTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /** Slot numbers follow the rules below (the group's two rules are slots 6 and 7). */
  private static final String ACL =
      """
      web-acls:
        - name: index
          default-action: allow
          rule-groups:
            - name: g
              capacity: 100
              rules:
                - {name: g-path, priority: 0, action: block, statement: {byte-match: {field: uri-path, positional-constraint: CONTAINS, search-string: /g-bad}}}
                - {name: g-label, priority: 1, action: count, rule-labels: ["g:seen"], statement: {label-match: {scope: LABEL, key: "t:admin"}}}
          rules:
            - {name: admin, priority: 0, action: count, rule-labels: ["t:admin"], statement: {byte-match: {field: uri-path, positional-constraint: CONTAINS, search-string: /admin}}}
            - name: post-sqli
              priority: 1
              action: block
              statement: {and: {statements: [{byte-match: {field: method, positional-constraint: EXACTLY, search-string: POST}}, {sqli-match: {field: body, text-transformations: [URL_DECODE]}}]}}
            - {name: not-ok, priority: 2, action: count, statement: {not: {statement: {byte-match: {field: {single-header: x-ok}, positional-constraint: EXACTLY, search-string: "yes"}}}}}
            - {name: rate, priority: 3, action: block, statement: {rate-based: {limit: 25, evaluation-window-sec: 60, aggregate-key-type: IP}}}
            - name: xss-or
              priority: 4
              action: block
              statement: {or: {statements: [{xss-match: {field: query-string, text-transformations: [URL_DECODE]}}, {byte-match: {field: query-string, positional-constraint: CONTAINS, search-string: "<x"}}]}}
            - name: not-then-leaf
              priority: 5
              action: block
              statement: {and: {statements: [{not: {statement: {byte-match: {field: method, positional-constraint: EXACTLY, search-string: HEAD}}}}, {byte-match: {field: {single-header: x-a}, positional-constraint: CONTAINS, search-string: attack}}]}}
            - {name: group, priority: 6, override-action: none, statement: {rule-group-reference: {name: g}}}
      """;

  /**
   * The statements as loaded (the reference), and a compiled copy with rate counters of its own.
   */
  private AclModel loaded;

  private ScanPlan.Compiled compiled;

  @BeforeEach
  void load() throws Exception {
    loaded = TestAcls.read("index.yaml", ACL);
    compiled = ScanPlan.compile(TestAcls.read("index.yaml", ACL));
  }

  private static WafRequest request(String method, String target, String body, String... headers)
      throws Exception {
    WafRequest.Builder b =
        WafRequest.builder()
            .method(method)
            .target(target)
            .clientIp(InetAddress.getByName("198.51.100.7"));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b.body(body).build();
  }

  private Set<Integer> candidates(WafRequest r) {
    EvalContext ctx = new EvalContext(r, NOW, compiled.model().services(), compiled.plan());
    long[] c = compiled.plan().ruleIndex().candidates(ctx);
    Set<Integer> out = new TreeSet<>();
    for (int s = 0; s < compiled.plan().ruleIndex().slots(); s++) {
      if (RuleIndex.has(c, s)) {
        out.add(s);
      }
    }
    return out;
  }

  private Verdict evaluate(WafRequest r) {
    EvalContext ctx = new EvalContext(r, NOW, compiled.model().services(), compiled.plan());
    try {
      return compiled.model().evaluate(ctx);
    } finally {
      ctx.finish();
    }
  }

  @Test
  void rulesGuardedByTheirLeavesAndTheRest() {
    RuleIndex index = compiled.plan().ruleIndex();
    List<Integer> unguarded = new ArrayList<>();
    for (int s = 0; s < index.slots(); s++) {
      if (index.unguarded(s)) {
        unguarded.add(s);
      }
    }
    // not-ok (a not), rate (must count every request), g-label (a label match); an and is guarded
    // by its first child that names leaves, so not-then-leaf is guarded by its x-a leaf
    assertThat(index.slots()).isEqualTo(8);
    assertThat(unguarded).containsExactly(2, 3, 7);
  }

  @Test
  void aNewRequestEvaluatesRulesWhoseLeavesNeedTheirOwnTest() throws Exception {
    // the literal scan decides the byte matches of a new value (no "/admin", "POST", "/g-bad" or
    // "<x"); xss-or's XSS leaf needs the detector, so it stays a candidate; x-a is absent, and a
    // field without values is known false everywhere
    assertThat(candidates(request("GET", "/page?q=1", ""))).containsExactly(2, 3, 4, 7);
    assertThat(candidates(request("POST", "/admin?q=1", "a=1")))
        .as("the /admin and POST leaves hold; the body's SQLi leaf is unknown")
        .containsExactly(0, 1, 2, 3, 4, 7);
  }

  @Test
  void aRepeatedRequestEvaluatesOnlyUnguardedRulesAndRulesWithTrueLeaves() throws Exception {
    // twice: the value cache admits a value on its second occurrence
    WafRequest page = request("GET", "/page?q=1", "", "x-a", "benign");
    evaluate(page);
    evaluate(page);
    assertThat(candidates(page)).containsExactly(2, 3, 7);

    WafRequest admin = request("GET", "/admin?q=1", "", "x-a", "benign");
    evaluate(admin);
    evaluate(admin);
    assertThat(candidates(admin)).as("the /admin leaf is true").containsExactly(0, 2, 3, 7);
  }

  @Test
  void skippingChangesNoVerdictLabelOrCount() throws Exception {
    List<WafRequest> requests =
        List.of(
            request("GET", "/page?q=1", "", "x-a", "benign"),
            request("GET", "/admin?q=1", "", "x-ok", "yes"),
            request("POST", "/page?q=1", "id=1' OR '1'='1", "x-ok", "yes"),
            request("GET", "/page?q=1", "id=1' OR '1'='1", "x-ok", "yes"),
            request("GET", "/page?q=%3Cscript%3Ealert(1)%3C/script%3E", ""),
            request("GET", "/page?q=<x", "", "x-ok", "yes"),
            request("HEAD", "/page", "", "x-a", "attack"),
            request("GET", "/page", "", "x-a", "attack"),
            request("GET", "/g-bad", "", "x-ok", "yes"),
            request("GET", "/admin/g-bad", "", "x-ok", "yes"));
    List<String> seen = new ArrayList<>();
    for (int pass = 0; pass < 3; pass++) {
      for (WafRequest r : requests) {
        Verdict reference = loaded.evaluate(new EvalContext(r, NOW, loaded.services()));
        Verdict fast = evaluate(r);
        assertThat(describe(fast))
            .as("pass %d: %s %s?%s", pass, r.method(), r.uriPath(), r.rawQuery())
            .isEqualTo(describe(reference));
        seen.add(describe(fast));
      }
    }
    assertThat(seen)
        .as("the requests exercise blocks, counts and labels")
        .anyMatch(v -> v.startsWith("BLOCK post-sqli"))
        .anyMatch(v -> v.startsWith("BLOCK xss-or"))
        .anyMatch(v -> v.startsWith("BLOCK not-then-leaf"))
        .anyMatch(v -> v.startsWith("BLOCK group/g-path"))
        .anyMatch(v -> v.contains("g:seen"))
        .anyMatch(v -> v.startsWith("BLOCK rate")); // the 26th request from the client
  }

  private static String describe(Verdict v) {
    return v.action()
        + " "
        + v.terminatingRule()
        + (v.terminatingGroupRule() == null ? "" : "/" + v.terminatingGroupRule())
        + " labels="
        + v.labels()
        + " counted="
        + v.countedRules();
  }
}
