package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Scores the default web ACL (every built-in group, blocking) on the repository's corpora and
 * prints detection and false-positive rates with breakdowns:
 *
 * <pre>
 * ./mvnw -o -q -pl bulwark-waf -am verify -Dtest=CorpusScoreTest -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * An outside corpus is scored too, without assertions, when given as files of one payload per line:
 * {@code -Dwaf.corpus.attacks=/path/attacks.txt -Dwaf.corpus.benign=/path/benign.txt} (attack lines
 * are encoded and placed like ours; benign lines are placed as prose).
 */
class CorpusScoreTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void defaultAclDetectsAtLeast90PercentWithAtMost2PercentFalsePositives() throws Exception {
    WebAcl acl = defaultAcl();
    Score attacks = score(acl, Corpus.attacks());
    Score benign = score(acl, Corpus.benign());
    System.out.println(report(attacks, benign));
    assertThat(attacks.total()).as("attack samples").isGreaterThan(5000);
    assertThat(benign.total()).as("benign samples").isGreaterThan(400);
    assertThat(attacks.rate()).as("detection rate").isGreaterThanOrEqualTo(0.90);
    assertThat(benign.rate()).as("false-positive rate").isLessThanOrEqualTo(0.02);
  }

  @Test
  void outsideCorpusWhenGiven() throws Exception {
    String a = System.getProperty("waf.corpus.attacks");
    String b = System.getProperty("waf.corpus.benign");
    if (a == null && b == null) {
      return; // nothing given: this test only reports
    }
    WebAcl acl = defaultAcl();
    if (a != null) {
      List<String> lines = Files.readAllLines(Path.of(a), StandardCharsets.UTF_8);
      Score s =
          score(acl, Corpus.attacks("outside", lines.stream().filter(l -> !l.isBlank()).toList()));
      System.out.printf(
          "outside attacks: %d samples, detected %.1f%%%n", s.total(), 100 * s.rate());
      if (Boolean.getBoolean("waf.corpus.verbose")) {
        for (int i = 0; i < s.total(); i++) {
          if (!s.blocked().get(i)) {
            Corpus.Sample x = s.samples().get(i);
            System.out.println("  MISS " + x.encoding() + "/" + x.placement() + ": " + x.payload());
          }
        }
      }
    }
    if (b != null) {
      List<Corpus.Sample> samples = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of(b), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          samples.add(
              new Corpus.Sample(
                  "outside",
                  "-",
                  "QUERY",
                  line,
                  Corpus.place(Corpus.minimal(line, "&#+"), Corpus.Placement.QUERY, 1)));
        }
      }
      Score s = score(acl, samples);
      System.out.printf(
          "outside benign: %d samples, false positives %.2f%%%n", s.total(), 100 * s.rate());
      s.hits().stream().limit(50).forEach(h -> System.out.println("  FP " + h));
    }
  }

  static WebAcl defaultAcl() throws Exception {
    String yaml = Files.readString(Corpus.dir().resolve("default-acl.yaml"));
    return WebAclParser.parse(TestRequests.yaml("default-acl.yaml", yaml), TestRequests.env())
        .get(0);
  }

  record Score(List<Corpus.Sample> samples, List<Boolean> blocked, List<String> hits) {
    int total() {
      return samples.size();
    }

    double rate() {
      return blocked.stream().filter(x -> x).count() / (double) Math.max(1, total());
    }

    Map<String, double[]> by(Function<Corpus.Sample, String> key) {
      Map<String, double[]> m = new TreeMap<>();
      for (int i = 0; i < samples.size(); i++) {
        double[] c = m.computeIfAbsent(key.apply(samples.get(i)), k -> new double[2]);
        c[0] += blocked.get(i) ? 1 : 0;
        c[1]++;
      }
      return m;
    }
  }

  static Score score(WebAcl acl, List<Corpus.Sample> samples) {
    List<Boolean> blocked = new ArrayList<>();
    List<String> hits = new ArrayList<>();
    for (Corpus.Sample s : samples) {
      Verdict v = acl.evaluate(s.request(), NOW);
      boolean b = v.action() != Action.ALLOW;
      blocked.add(b);
      if (b) {
        hits.add(
            v.terminatingRule()
                + "/"
                + v.terminatingGroupRule()
                + " <- "
                + s.category()
                + ": "
                + Corpus.describe(s.request()));
      }
    }
    return new Score(samples, blocked, hits);
  }

  static String report(Score attacks, Score benign) {
    StringBuilder sb =
        new StringBuilder("\n== WAF corpus score (default web ACL, all built-in groups) ==\n");
    sb.append(
        String.format(
            "attacks: %d samples, detected %.1f%%%n", attacks.total(), 100 * attacks.rate()));
    for (var e :
        List.<Map.Entry<String, Function<Corpus.Sample, String>>>of(
            Map.entry("category", Corpus.Sample::category),
            Map.entry("encoding", Corpus.Sample::encoding),
            Map.entry("placement", Corpus.Sample::placement))) {
      sb.append("  by ").append(e.getKey()).append(":");
      attacks
          .by(e.getValue())
          .forEach((k, c) -> sb.append(String.format(" %s %.1f%%", k, 100 * c[0] / c[1])));
      sb.append('\n');
    }
    sb.append(
        String.format(
            "benign: %d samples, false positives %.2f%%%n", benign.total(), 100 * benign.rate()));
    benign.hits().forEach(h -> sb.append("  FP ").append(h).append('\n'));
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < attacks.samples().size(); i++) {
      if (!attacks.blocked().get(i)) {
        Corpus.Sample s = attacks.samples().get(i);
        missed.add(s.category() + "/" + s.encoding() + "/" + s.placement() + ": " + s.payload());
      }
    }
    sb.append("missed attacks: ").append(missed.size()).append('\n');
    if (Boolean.getBoolean("waf.corpus.verbose")) {
      missed.forEach(m -> sb.append("  MISS ").append(m).append('\n'));
    }
    return sb.toString();
  }
}
