package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.waf.Verdict;
import io.bulwark.waf.WafRequest;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers remembered per field rather than per value: under the raw query (query arguments), the
 * Cookie header (cookies), the whole header block (header fields) and each header (header fields,
 * joined across the headers of a block not remembered). A request that repeats one of those strings
 * starts from the summary of the request that left it; a leaf that summary does not know (the
 * earlier request stopped before the rule asking for it) is still computed from the values, and a
 * remembered summary is never used for a request whose values differ.
 */
class RememberedAnswersTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * The rule after "peek" stops a request that carries x-stop, so the detectors of the later rules
   * are not run for it and its remembered summaries leave their leaves unknown; "peek" has the
   * User-Agent and X-Note fields looked at first, so that their headers are remembered for those
   * fields (and only those).
   */
  private static final String ACL =
      """
      web-acls:
        - name: remembered
          default-action: allow
          rules:
            - name: peek
              priority: 0
              action: count
              rule-labels: ["peek"]
              statement:
                or:
                  statements:
                    - {byte-match: {field: {single-header: user-agent}, positional-constraint: CONTAINS, search-string: curl}}
                    - {byte-match: {field: {single-header: x-note}, positional-constraint: CONTAINS, search-string: hello}}
            - {name: stop, priority: 1, action: block, statement: {byte-match: {field: {single-header: x-stop}, positional-constraint: EXACTLY, search-string: "yes"}}}
            - {name: args-sqli, priority: 2, action: block, statement: {sqli-match: {field: all-query-arguments, text-transformations: [URL_DECODE]}}}
            - {name: q-needle, priority: 3, action: count, rule-labels: ["q:needle"], statement: {byte-match: {field: {single-query-argument: q}, positional-constraint: CONTAINS, search-string: needle}}}
            - name: cookie-xss
              priority: 4
              action: block
              statement: {xss-match: {field: {cookies: {match-pattern: {all: {}}, match-scope: VALUE, oversize-handling: CONTINUE}}, text-transformations: [URL_DECODE]}}
            - name: ua-xss
              priority: 5
              action: block
              statement: {xss-match: {field: {single-header: user-agent}, text-transformations: [NONE]}}
            - {name: name-bad, priority: 7, action: block, statement: {byte-match: {field: {single-header: "x-a~"}, positional-constraint: CONTAINS, search-string: bad}}}
            - name: kind-check
              priority: 9
              action: block
              statement:
                and:
                  statements:
                    - {byte-match: {field: uri-path, positional-constraint: STARTS_WITH, search-string: /guarded}}
                    - not: {statement: {byte-match: {field: {single-header: x-kind}, positional-constraint: EXACTLY, search-string: ok}}}
            - {name: note-bad, priority: 8, action: block, statement: {byte-match: {field: {single-header: x-note}, positional-constraint: CONTAINS, search-string: bad}}}
            - name: headers-sqli
              priority: 6
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
    // values: two whose hashes collide, found by search
    String[] pair = collidingNotes();
    String plain = pair[0];
    String bad = pair[1];
    assertThat(plain).doesNotContain("bad");
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

  @Test
  void headersRememberedBeforeTheirDetectorsRanAreStillInspectedInANewBlock() throws Exception {
    String ua = "Mozilla/5.0 <script>alert(1)</script>";
    String sqli = "1' OR '1'='1";
    stoppedInNewBlocks("User-Agent", ua, "X-Note", sqli);
    // remembered per header for the fields "peek" asked for, with the detectors' leaves unknown
    WafRequest uaAlone = request("/", "User-Agent", ua).build();
    assertThat(remembered(uaAlone, 0)).isTrue();
    assertThat(evaluate(uaAlone)).startsWith("BLOCK ua-xss");
    // X-Note is remembered for the x-note field only: the headers field still reads its value
    WafRequest noteAlone = request("/", "X-Note", sqli).build();
    assertThat(remembered(noteAlone, 0)).isTrue();
    assertThat(evaluate(noteAlone)).startsWith("BLOCK headers-sqli");
  }

  /**
   * Headers that recur in blocks never seen together: each block is answered from what is
   * remembered per header, and must agree with the statements as loaded. Each header is first seen
   * alone, twice (a header is remembered from its second request on), so that every combination
   * after that is a new block of remembered headers.
   */
  @Test
  void headersRecurringInNewCombinationsKeepTheirOwnAnswers() throws Exception {
    String sqli = "1' OR '1'='1";
    String[][] headers = {
      {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"},
      {"User-Agent", "Mozilla/5.0 <script>alert(1)</script>"},
      {"User-Agent", sqli},
      {"User-Agent", "curl/8.5.0"},
      {"X-Note", "hello"},
      {"X-Note", sqli},
      {"X-Note", "a bad note"},
      {"x-a~", "bad"},
      {"x-b_", "bad"},
      {"Referer", "/a"},
      {"Referer", "/b"},
    };
    for (int pass = 0; pass < 2; pass++) {
      for (String[] h : headers) {
        evaluate(request("/", h[0], h[1]).build());
      }
    }
    Set<String> verdicts = new HashSet<>();
    int fresh = 0;
    for (String[] a : headers) {
      for (String[] b : headers) {
        if (a != b) {
          WafRequest r = request("/", a[0], a[1], b[0], b[1]).build();
          assertThat(remembered(r, 0) && remembered(r, 1)).as("%s %s", a[1], b[1]).isTrue();
          verdicts.add(evaluate(r));
          // and with a header never seen, first, between or last: joined around its values
          String[] x = {"X-Fresh", (fresh % 2 == 0 ? "1' OR '1'='" : "plain ") + fresh};
          String[][] three =
              switch (fresh % 3) {
                case 0 -> new String[][] {x, a, b};
                case 1 -> new String[][] {a, x, b};
                default -> new String[][] {a, b, x};
              };
          fresh++;
          verdicts.add(
              evaluate(
                  request(
                          "/",
                          three[0][0],
                          three[0][1],
                          three[1][0],
                          three[1][1],
                          three[2][0],
                          three[2][1])
                      .build()));
        }
      }
    }
    assertThat(verdicts)
        .contains(
            "ALLOW Default_Action []",
            "ALLOW Default_Action [bulwark:remembered:peek]",
            "BLOCK ua-xss []",
            "BLOCK headers-sqli []",
            "BLOCK name-bad []",
            "BLOCK note-bad []");
  }

  /**
   * A header never seen among remembered ones: its values are inspected, the others joined; a leaf
   * the joined entries do not know (they were remembered before the detector ran) is still computed
   * from their values.
   */
  @Test
  void aNewHeaderAmongRememberedOnesIsInspectedWithoutHidingWhatTheirEntriesLack()
      throws Exception {
    String benign = "Mozilla/5.0 (X11; Linux x86_64)";
    String sqli = "1' OR '1'='1";
    stoppedInNewBlocks("User-Agent", benign, "X-Note", sqli);
    WafRequest r = request("/", "User-Agent", benign, "X-Note", sqli, "X-New", "hello").build();
    assertThat(remembered(r, 0) && remembered(r, 1)).isTrue();
    assertThat(remembered(r, 2)).isFalse();
    assertThat(evaluate(r)).startsWith("BLOCK headers-sqli");
  }

  /**
   * A header first met beside remembered ones is learnt from its own values only: the values of the
   * request are those of the new headers, not of every header.
   */
  @Test
  void aHeaderLearntBesideRememberedOnesKeepsItsOwnAnswers() throws Exception {
    String benign = "Mozilla/5.0 (X11; Linux x86_64)";
    for (int i = 0; i < 2; i++) {
      assertThat(evaluate(request("/", "X-Seq", String.valueOf(i), "User-Agent", benign).build()))
          .startsWith("ALLOW");
    }
    for (int i = 0; i < 3; i++) {
      // X-Seq carries an injection each time: it must not be learnt as the User-Agent's
      String seq = "1' OR '1'='" + i;
      assertThat(
              evaluate(
                  request("/", "X-Seq", seq, "User-Agent", benign, "X-Late", "plain text").build()))
          .startsWith("BLOCK headers-sqli");
    }
    WafRequest late = request("/", "User-Agent", benign, "X-Late", "plain text").build();
    assertThat(remembered(late, 0) && remembered(late, 1)).isTrue();
    assertThat(evaluate(late)).startsWith("ALLOW");
    assertThat(evaluate(request("/", "User-Agent", benign, "X-Other", "fine").build()))
        .startsWith("ALLOW");
  }

  /**
   * A field that only a rule's second condition reads (behind a not, so the rule index does not ask
   * for it first) is not known for a header that other fields remembered.
   */
  @Test
  void aHeaderRememberedForOtherFieldsIsReadForAFieldItWasNotRememberedFor() throws Exception {
    for (int i = 0; i < 3; i++) {
      String seq = String.valueOf(i);
      assertThat(evaluate(request("/", "X-Seq", seq, "X-Kind", "ok", "Referer", "/1").build()))
          .startsWith("ALLOW");
    }
    WafRequest guarded = request("/guarded", "X-Kind", "ok", "Referer", "/1").build();
    assertThat(remembered(guarded, 0)).isTrue();
    assertThat(remembered(guarded, 1)).isTrue();
    assertThat(evaluate(guarded)).startsWith("ALLOW");
    assertThat(evaluate(request("/guarded", "X-Kind", "no", "Referer", "/1").build()))
        .startsWith("BLOCK kind-check");
  }

  /** Headers whose entries share a hash ("x-a~" and "x-b_" do) are compared in full. */
  @Test
  void headersWithTheSameHashAreComparedInFull() throws Exception {
    assertThat(headerHash(request("/", "x-a~", "bad").build()))
        .isEqualTo(headerHash(request("/", "x-b_", "bad").build()));
    String[] referers = {"/a", "/b", "/c", "/d"};
    for (int i = 0; i < referers.length; i++) {
      // the Referer changes the block each time; the headers repeat
      assertThat(evaluate(request("/", "x-b_", "bad", "Referer", referers[i]).build()))
          .startsWith("ALLOW");
      assertThat(evaluate(request("/", "x-a~", "bad", "Referer", referers[(i + 1) % 4]).build()))
          .startsWith("BLOCK name-bad");
    }
    WafRequest last = request("/", "x-b_", "bad", "Referer", "/c").build();
    assertThat(remembered(last, 0)).isTrue();
    assertThat(evaluate(last)).startsWith("ALLOW");
  }

  /**
   * Sends the headers a few times with x-stop, which blocks before the detectors run, so that they
   * are remembered per header with the detectors' leaves unknown (a header is remembered from its
   * second request on). A first header, X-Seq, new each time, keeps the blocks new, so that they
   * are not answered as a whole instead.
   */
  private void stoppedInNewBlocks(String... headers) throws Exception {
    for (int i = 0; i < 3; i++) {
      String[] all = new String[headers.length + 4];
      all[0] = "X-Seq";
      all[1] = String.valueOf(i);
      System.arraycopy(headers, 0, all, 2, headers.length);
      all[all.length - 2] = "x-stop";
      all[all.length - 1] = "yes";
      assertThat(evaluate(request("/", all).build())).startsWith("BLOCK stop");
    }
  }

  /** Whether the plan remembers header {@code i} of the request. */
  private boolean remembered(WafRequest r, int i) {
    EvalContext ctx = new EvalContext(r, NOW, compiled.model().services(), compiled.plan());
    return compiled.plan().findHeader(ctx, i) != null;
  }

  private int blockHash(WafRequest r) {
    return ScanPlan.HeaderBlocks.hash(
        new EvalContext(r, NOW, compiled.model().services(), compiled.plan()));
  }

  private int headerHash(WafRequest r) {
    return new EvalContext(r, NOW, compiled.model().services(), compiled.plan()).headerHash(0);
  }

  /**
   * Two X-Note values with the same header hash, the second containing "bad" and the first not: a
   * birthday search over 2^17 plain values, then values with "bad" until one meets one of them
   * (about 2^15 tries for a 32-bit hash).
   */
  private String[] collidingNotes() throws Exception {
    java.util.Map<Integer, String> plain = new java.util.HashMap<>();
    for (int j = 0; j < 1 << 17; j++) {
      String v = "n" + j;
      plain.put(headerHash(request("/", "X-Note", v).build()), v);
    }
    for (int i = 0; i < 1 << 22; i++) {
      String v = "bad" + i;
      String other = plain.get(headerHash(request("/", "X-Note", v).build()));
      if (other != null) {
        return new String[] {other, v};
      }
    }
    throw new AssertionError("no colliding pair found");
  }
}
