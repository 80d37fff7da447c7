package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sampled requests: the latest per (web ACL, rule), newest first, filtered by time and rule. */
class WafSamplesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static WafSamples.Sample sample(String acl, String rule, int second) {
    return new WafSamples.Sample(
        T0.plusSeconds(second),
        acl,
        rule,
        "BLOCK",
        "192.0.2.1",
        "GET",
        "h",
        "/" + second,
        List.of());
  }

  @Test
  void keepsTheLatestPerRuleAndFiltersByAclRuleAndTime() {
    WafSamples w = new WafSamples();
    for (int i = 0; i < 150; i++) {
      w.add(sample("a", "r1", i));
    }
    w.add(sample("a", "r2", 200));
    w.add(sample("b", "r1", 300));

    List<WafSamples.Sample> r1 = w.query("a", "r1", T0);
    assertThat(r1).hasSize(WafSamples.PER_RULE);
    assertThat(r1.get(0).uri()).isEqualTo("/149");
    assertThat(r1.get(r1.size() - 1).uri()).isEqualTo("/50");

    assertThat(w.query("a", null, T0.plusSeconds(148)))
        .extracting(WafSamples.Sample::uri)
        .containsExactly("/200", "/149", "/148");
    assertThat(w.query("b", null, T0)).extracting(WafSamples.Sample::uri).containsExactly("/300");
    assertThat(w.query("a", "r3", T0)).isEmpty();
    assertThat(w.query("c", null, T0)).isEmpty();
    assertThat(w.query(null, null, T0)).isEmpty();
  }
}
