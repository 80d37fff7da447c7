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

  private static boolean same(Verdict a, Verdict b) {
    return a.action() == b.action()
        && java.util.Objects.equals(a.terminatingRule(), b.terminatingRule())
        && java.util.Objects.equals(a.terminatingGroupRule(), b.terminatingGroupRule())
        && a.labels().equals(b.labels())
        && a.countedRules().equals(b.countedRules());
  }
}
