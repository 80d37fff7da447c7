package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The compiled evaluation (literal scanners, per-field leaf bits, the value cache) must give the
 * verdict the statements give when each is evaluated on its own. Checked over both corpora, every
 * sample twice, so the second pass answers from the value cache.
 */
class CompiledEvaluationTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void compiledVerdictsEqualTheStatementsAsLoaded() throws Exception {
    WebAcl acl = CorpusScoreTest.defaultAcl();
    List<Corpus.Sample> samples = new ArrayList<>(Corpus.attacks());
    samples.addAll(Corpus.benign());
    List<String> differences = new ArrayList<>();
    int blocked = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (Corpus.Sample s : samples) {
        Verdict reference = acl.evaluateAsLoaded(s.request(), NOW);
        Verdict compiled = acl.evaluate(s.request(), NOW);
        if (!same(reference, compiled)) {
          differences.add(
              pass + ": " + Corpus.describe(s.request()) + " " + reference + " vs " + compiled);
        }
        if (compiled.action() == Action.BLOCK) {
          blocked++;
        }
      }
    }
    assertThat(differences).isEmpty();
    assertThat(samples).hasSizeGreaterThan(5000);
    assertThat(blocked).as("the corpus exercises blocking").isGreaterThan(samples.size());
  }

  /**
   * The value cache, the remembered header blocks and the per-header summaries are shared by every
   * thread that evaluates the web ACL and written without locks. Four threads evaluate the corpora,
   * and requests whose headers mix two samples' (new header blocks of remembered headers), each in
   * its own order, three times over; every verdict must still be the one the statements give.
   */
  @Test
  void compiledVerdictsHoldWhenThreadsShareTheCaches() throws Exception {
    WebAcl acl = CorpusScoreTest.defaultAcl();
    List<WafRequest> requests = new ArrayList<>();
    List<Corpus.Sample> samples = new ArrayList<>(Corpus.attacks());
    samples.addAll(Corpus.benign());
    java.util.Random random = new java.util.Random(7);
    for (Corpus.Sample s : samples) {
      requests.add(s.request());
      WafRequest a = s.request();
      WafRequest b = samples.get(random.nextInt(samples.size())).request();
      WafRequest.Builder mixed =
          WafRequest.builder()
              .method(a.method())
              .uriPath(a.uriPath())
              .rawQuery(a.rawQuery())
              .clientIp(a.clientIp())
              .body(a.body(), a.bodyOversize());
      for (WafRequest.Header h : b.headers()) {
        mixed.header(h.name(), h.value());
      }
      for (WafRequest.Header h : a.headers()) {
        mixed.header(h.name(), h.value());
      }
      requests.add(mixed.build());
    }
    List<String> expected = new ArrayList<>(requests.size());
    for (WafRequest r : requests) {
      expected.add(describe(acl.evaluateAsLoaded(r, NOW)));
    }
    int threads = 4;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
          order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(t));
        results.add(
            pool.submit(
                () -> {
                  List<String> wrong = new ArrayList<>();
                  for (int pass = 0; pass < 3; pass++) {
                    for (int i : order) {
                      String got = describe(acl.evaluate(requests.get(i), NOW));
                      if (!got.equals(expected.get(i))) {
                        wrong.add(Corpus.describe(requests.get(i)) + ": " + got);
                      }
                    }
                  }
                  return wrong;
                }));
      }
      for (java.util.concurrent.Future<List<String>> f : results) {
        assertThat(f.get(5, java.util.concurrent.TimeUnit.MINUTES)).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(expected).anyMatch(v -> v.startsWith("BLOCK")).anyMatch(v -> v.startsWith("ALLOW"));
  }

  private static String describe(Verdict v) {
    return v.action()
        + " "
        + v.terminatingRule()
        + " "
        + v.terminatingGroupRule()
        + " "
        + v.labels()
        + " "
        + v.countedRules();
  }

  private static boolean same(Verdict a, Verdict b) {
    return a.action() == b.action()
        && java.util.Objects.equals(a.terminatingRule(), b.terminatingRule())
        && java.util.Objects.equals(a.terminatingGroupRule(), b.terminatingGroupRule())
        && a.labels().equals(b.labels())
        && a.countedRules().equals(b.countedRules());
  }
}
