package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.waf.Verdict;
import io.bulwark.waf.WafRequest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers remembered per field rather than per value: under the raw query (query arguments), the
 * Cookie header (cookies) and the whole header block (header fields). A request that repeats one of
 * those strings starts from the summary of the request that left it; a leaf that summary does not
 * know (the earlier request stopped before the rule asking for it) is still computed from the
 * values, and a remembered summary is never used for a request whose values differ.
 */
class RememberedAnswersTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * The first rule stops a request that carries x-stop, so the detectors of the later rules are not
   * run for it and its remembered summaries leave their leaves unknown.
   */
  private static final String ACL =
      """
      web-acls:
        - name: remembered
          default-action: allow
          rules:
            - {name: stop, priority: 0, action: block, statement: {byte-match: {field: {single-header: x-stop}, positional-constraint: EXACTLY, search-string: "yes"}}}
            - {name: args-sqli, priority: 1, action: block, statement: {sqli-match: {field: all-query-arguments, text-transformations: [URL_DECODE]}}}
            - {name: q-needle, priority: 2, action: count, rule-labels: ["q:needle"], statement: {byte-match: {field: {single-query-argument: q}, positional-constraint: CONTAINS, search-string: needle}}}
            - name: cookie-xss
              priority: 3
              action: block
              statement: {xss-match: {field: {cookies: {match-pattern: {all: {}}, match-scope: VALUE, oversize-handling: CONTINUE}}, text-transformations: [URL_DECODE]}}
            - name: ua-xss
              priority: 4
              action: block
              statement: {xss-match: {field: {single-header: user-agent}, text-transformations: [NONE]}}
            - {name: name-bad, priority: 6, action: block, statement: {byte-match: {field: {single-header: "x-a~"}, positional-constraint: CONTAINS, search-string: bad}}}
            - {name: note-bad, priority: 7, action: block, statement: {byte-match: {field: {single-header: x-note}, positional-constraint: CONTAINS, search-string: bad}}}
            - name: headers-sqli
              priority: 5
              action: block
              statement: {sqli-match: {field: {headers: {match-pattern: {excluded-headers: [cookie, x-stop]}, match-scope: VALUE, oversize-handling: CONTINUE}}, text-transformations: [URL_DECODE]}}
      """;

  private AclModel loaded;
  private ScanPlan.Compiled compiled;

  @BeforeEach
  void load() throws Exception {
    loaded = TestAcls.read("remembered.yaml", ACL);
    compiled = ScanPlan.compile(TestAcls.read("remembered.yaml", ACL));
  }

  private static WafRequest.Builder request(String target, String... headers) throws Exception {
    WafRequest.Builder b =
        WafRequest.builder()
            .method("GET")
            .target(target)
            .clientIp(InetAddress.getByName("198.51.100.7"));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  /** The compiled ACL's verdict, checked against the statements as loaded. */
  private String evaluate(WafRequest r) {
    EvalContext ctx = new EvalContext(r, NOW, compiled.model().services(), compiled.plan());
    Verdict fast;
    try {
      fast = compiled.model().evaluate(ctx);
    } finally {
      ctx.finish();
    }
    String reference = describe(loaded.evaluate(new EvalContext(r, NOW, loaded.services())));
    assertThat(describe(fast)).as("%s", r).isEqualTo(reference);
    return describe(fast);
  }

  private static String describe(Verdict v) {
    return v.action() + " " + v.terminatingRule() + " " + v.labels();
  }

  private static final String SQLI_QUERY = "?q=needle&id=1%27%20OR%20%271%27%3D%271";

  @Test
  void aQueryRememberedBeforeItsDetectorRanIsStillInspected() throws Exception {
    // twice: a summary is remembered from its second request on
    assertThat(evaluate(request(SQLI_QUERY, "x-stop", "yes").build())).startsWith("BLOCK stop");
    assertThat(evaluate(request(SQLI_QUERY, "x-stop", "yes").build())).startsWith("BLOCK stop");
    // same raw query: its remembered summary does not know the SQLi leaf, so the values are
    // extracted and the detector runs
    assertThat(evaluate(request(SQLI_QUERY).build())).startsWith("BLOCK args-sqli");
    assertThat(evaluate(request(SQLI_QUERY).build())).startsWith("BLOCK args-sqli");
    assertThat(evaluate(request("?q=needle&id=42").build()))
        .startsWith("ALLOW Default_Action")
        .contains("q:needle");
  }

  @Test
  void aRepeatedQueryKeepsItsAnswersAndLabels() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(evaluate(request("?q=a+needle+here&page=2").build()))
          .as("pass %d", i)
          .startsWith("ALLOW Default_Action")
          .contains("q:needle");
      assertThat(evaluate(request("?q=haystack&page=2").build()))
          .as("pass %d", i)
          .isEqualTo("ALLOW Default_Action []");
    }
  }

  @Test
  void aCookieHeaderRememberedBeforeItsDetectorRanIsStillInspected() throws Exception {
    String xss = "theme=dark; note=%3Cscript%3Ealert(1)%3C%2Fscript%3E";
    for (int i = 0; i < 2; i++) {
      assertThat(evaluate(request("/", "Cookie", xss, "x-stop", "yes").build()))
          .startsWith("BLOCK stop");
    }
    assertThat(evaluate(request("/", "Cookie", xss).build())).startsWith("BLOCK cookie-xss");
    assertThat(evaluate(request("/", "Cookie", "theme=dark").build()))
        .startsWith("ALLOW Default_Action");
  }

  @Test
  void cookiesGivenApartFromTheHeaderAreNotAnsweredFromTheHeader() throws Exception {
    // the header's answers are remembered as benign; the request's cookies say otherwise
    assertThat(evaluate(request("/", "Cookie", "theme=dark").build()))
        .startsWith("ALLOW Default_Action");
    WafRequest given =
        request("/", "Cookie", "theme=dark")
            .cookies(List.of(new WafRequest.Cookie("note", "<script>alert(1)</script>")))
            .build();
    assertThat(evaluate(given)).startsWith("BLOCK cookie-xss");
  }

  @Test
  void aHeaderBlockRememberedBeforeItsDetectorsRanIsStillInspected() throws Exception {
    String ua = "Mozilla/5.0 <script>alert(1)</script>";
    for (int i = 0; i < 2; i++) {
      assertThat(evaluate(request("/", "User-Agent", ua, "Referer", "/a", "x-stop", "yes").build()))
          .startsWith("BLOCK stop");
    }
    // a different block (no x-stop): its own summaries
    assertThat(evaluate(request("/", "User-Agent", ua, "Referer", "/a").build()))
        .startsWith("BLOCK ua-xss");
    assertThat(evaluate(request("/", "User-Agent", ua, "Referer", "/a").build()))
        .startsWith("BLOCK ua-xss");
  }

  @Test
  void headerBlocksDifferingInOneValueOrInOrderAreNotConfused() throws Exception {
    String benign = "Mozilla/5.0 (X11; Linux x86_64)";
    String sqli = "1' OR '1'='1";
    for (int i = 0; i < 3; i++) {
      assertThat(evaluate(request("/", "User-Agent", benign, "X-Note", "hello").build()))
          .as("pass %d", i)
          .startsWith("ALLOW Default_Action");
      assertThat(evaluate(request("/", "User-Agent", benign, "X-Note", sqli).build()))
          .as("pass %d", i)
          .startsWith("BLOCK headers-sqli");
      assertThat(evaluate(request("/", "X-Note", "hello", "User-Agent", benign).build()))
          .as("pass %d", i)
          .startsWith("ALLOW Default_Action");
      assertThat(evaluate(request("/", "x-note", sqli, "user-agent", benign).build()))
          .as("pass %d: names in another case", i)
          .startsWith("BLOCK headers-sqli");
    }
  }

  /** Header blocks with the same hash: only the comparison of names and values tells them apart. */
  @Test
  void headerBlocksWithTheSameHashAreComparedInFull() throws Exception {
    // values: the block hash samples a long value, and these differ only between samples
    String plain = "0".repeat(40);
    String bad = "0000bad" + "0".repeat(33);
    assertThat(blockHash(request("/", "X-Note", bad).build()))
        .isEqualTo(blockHash(request("/", "X-Note", plain).build()));
    // names: "x-a~" and "x-b_" share String.hashCode
    assertThat(blockHash(request("/", "x-a~", "bad").build()))
        .isEqualTo(blockHash(request("/", "x-b_", "bad").build()));
    for (int i = 0; i < 2; i++) {
      assertThat(evaluate(request("/", "X-Note", plain).build())).startsWith("ALLOW");
      assertThat(evaluate(request("/", "X-Note", bad).build())).startsWith("BLOCK note-bad");
      assertThat(evaluate(request("/", "x-b_", "bad").build())).startsWith("ALLOW");
      assertThat(evaluate(request("/", "x-a~", "bad").build())).startsWith("BLOCK name-bad");
    }
  }

  private int blockHash(WafRequest r) {
    EvalContext ctx = new EvalContext(r, NOW, compiled.model().services(), compiled.plan());
    return ScanPlan.HeaderBlocks.hash(ctx.headerNamesLower(), r.headers());
  }
}
