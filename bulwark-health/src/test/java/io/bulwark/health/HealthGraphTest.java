package io.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.core.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthGraphTest {
  private final ManualClock clock = ManualClock.atDefaultStart();
  private final List<HealthEvent> events = new ArrayList<>();

  private static CheckSpec http(String id, int threshold) {
    return CheckSpec.builder(id, CheckType.HTTP)
        .host("127.0.0.1")
        .port(8080)
        .requestInterval(Duration.ofSeconds(10))
        .failureThreshold(threshold)
        .build();
  }

  private ProbeResult ok() {
    return ProbeResult.success(clock.instant(), "status 200", 200, Duration.ZERO);
  }

  private ProbeResult status503() {
    return ProbeResult.failure(clock.instant(), "status 503", 503, Duration.ZERO);
  }

  private HealthGraph graph(CheckSpec... specs) {
    HealthGraph g = HealthGraph.of(List.of(specs), clock);
    g.addListener(events::add);
    return g;
  }

  @Test
  void flipsAfterThresholdConsecutiveFailuresAndBack() {
    HealthGraph g = graph(http("a", 3));
    g.registerChecker("a", "c1");
    assertThat(g.isHealthy("a")).isTrue();
    g.report("a", "c1", status503());
    g.report("a", "c1", status503());
    assertThat(g.isHealthy("a")).isTrue();
    g.report("a", "c1", status503());
    assertThat(g.isHealthy("a")).isFalse();
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.healthy()).isFalse();
              assertThat(e.reason()).contains("0 of 1 checkers healthy").contains("status 503");
            });
    g.report("a", "c1", ok());
    g.report("a", "c1", ok());
    assertThat(g.isHealthy("a")).isFalse();
    g.report("a", "c1", ok());
    assertThat(g.isHealthy("a")).isTrue();
    assertThat(g.status("a").transitions())
        .extracting(Transition::healthy)
        .containsExactly(false, true);
    assertThat(g.status("a").checkers())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.probes()).isEqualTo(6);
              assertThat(c.last().reason()).isEqualTo("status 200");
            });
  }

  @Test
  void quorumOfCheckersIncludingRemoteOnes() {
    // 18% default share: with 6 checkers, one healthy (16.7%) is not enough; two (33%) are.
    HealthGraph g = graph(http("a", 1));
    for (int i = 1; i <= 6; i++) {
      g.registerChecker("a", "c" + i);
    }
    for (int i = 1; i <= 4; i++) {
      g.report("a", "c" + i, status503());
    }
    assertThat(g.isHealthy("a")).isTrue(); // 2 of 6 = 33%; c5 and c6 have no result yet
    g.report("a", "c5", status503());
    assertThat(g.isHealthy("a")).isFalse(); // 1 of 6 = 16.7%
    g.report("a", "remote-eu", ok()); // a checker on another node reports in: 2 of 7 = 28.6%
    assertThat(g.isHealthy("a")).isTrue();
    g.forgetChecker("a", "remote-eu"); // 1 of 6 again
    assertThat(g.isHealthy("a")).isFalse();
    g.report("a", "c1", ok());
    assertThat(g.isHealthy("a")).isTrue();
    assertThat(g.status("a").checkers())
        .extracting(CheckerStatus::checkerId)
        .containsExactly("c1", "c2", "c3", "c4", "c5", "c6");
    assertThat(events).extracting(HealthEvent::healthy).containsExactly(false, true, false, true);
  }

  @Test
  void calculatedFollowsChildrenWithThreshold() {
    CheckSpec and =
        CheckSpec.builder("all", CheckType.CALCULATED).children(List.of("a", "b")).build();
    CheckSpec or =
        CheckSpec.builder("any", CheckType.CALCULATED)
            .children(List.of("a", "b"))
            .healthThreshold(1)
            .build();
    CheckSpec nested =
        CheckSpec.builder("region", CheckType.CALCULATED)
            .children(List.of("any"))
            .inverted(true)
            .build();
    HealthGraph g = graph(http("a", 1), http("b", 1), and, or, nested);
    assertThat(List.of(g.isHealthy("all"), g.isHealthy("any"), g.isHealthy("region")))
        .containsExactly(true, true, false);
    g.report("a", "c", status503());
    assertThat(List.of(g.isHealthy("all"), g.isHealthy("any"), g.isHealthy("region")))
        .containsExactly(false, true, false);
    g.report("b", "c", status503());
    assertThat(List.of(g.isHealthy("all"), g.isHealthy("any"), g.isHealthy("region")))
        .containsExactly(false, false, true);
    assertThat(g.status("all").transitions())
        .singleElement()
        .satisfies(t -> assertThat(t.reason()).isEqualTo("1 of 2 children healthy (threshold 2)"));
    assertThat(events)
        .extracting(HealthEvent::checkId)
        .containsExactly("a", "all", "b", "any", "region");
  }

  @Test
  void invertedAndDisabled() {
    CheckSpec inverted =
        CheckSpec.builder("maint", CheckType.TCP)
            .host("127.0.0.1")
            .port(1)
            .failureThreshold(1)
            .inverted(true)
            .build();
    CheckSpec disabled =
        CheckSpec.builder("off", CheckType.TCP)
            .host("127.0.0.1")
            .port(1)
            .failureThreshold(1)
            .disabled(true)
            .build();
    HealthGraph g = graph(inverted, disabled);
    assertThat(g.isHealthy("maint")).isFalse();
    g.report("maint", "c", ProbeResult.failure(clock.instant(), "connection refused", 0, null));
    assertThat(g.isHealthy("maint")).isTrue();
    assertThat(events)
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).startsWith("inverted: "));
    g.report("off", "c", ProbeResult.failure(clock.instant(), "connection refused", 0, null));
    assertThat(g.isHealthy("off")).isTrue();
  }

  @Test
  void refusesBadGraphs() {
    CheckSpec x = CheckSpec.builder("x", CheckType.CALCULATED).children(List.of("y")).build();
    CheckSpec y = CheckSpec.builder("y", CheckType.CALCULATED).children(List.of("x")).build();
    assertThatThrownBy(() -> HealthGraph.of(List.of(x, y), clock)).hasMessageContaining("cycle");
    assertThatThrownBy(() -> HealthGraph.of(List.of(x), clock))
        .hasMessageContaining("unknown child y");
    assertThatThrownBy(() -> HealthGraph.of(List.of(http("a", 1), http("a", 2)), clock))
        .hasMessageContaining("duplicate");
    HealthGraph g = HealthGraph.of(List.of(http("a", 1)), clock);
    assertThatThrownBy(() -> g.isHealthy("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listenerFailureDoesNotStopOthers() {
    HealthGraph g = HealthGraph.of(List.of(http("a", 1)), clock);
    g.addListener(
        e -> {
          throw new IllegalStateException("boom");
        });
    g.addListener(events::add);
    g.report("a", "c", status503());
    assertThat(events).hasSize(1);
  }

  @Test
  void reloadCarriesOverTheStateOfUnchangedChecks() {
    HealthGraph g = graph(http("a", 2), http("b", 2));
    g.report("a", "c", status503());
    g.report("a", "c", status503());
    g.report("b", "c", status503());
    assertThat(g.isHealthy("a")).isFalse();
    // b's threshold changes: its state starts afresh; a is unchanged: it stays down, with history.
    HealthGraph next = HealthGraph.of(List.of(http("a", 2), http("b", 3)), clock, g);
    assertThat(next.isHealthy("a")).isFalse();
    assertThat(next.status("a").transitions()).hasSize(1);
    assertThat(next.status("a").checkers())
        .singleElement()
        .satisfies(c -> assertThat(c.probes()).isEqualTo(2));
    assertThat(next.status("b").checkers()).isEmpty();
    next.report("a", "c", ok());
    next.report("a", "c", ok());
    assertThat(next.isHealthy("a")).isTrue();
  }
}
