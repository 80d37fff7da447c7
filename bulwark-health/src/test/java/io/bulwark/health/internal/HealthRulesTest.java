package io.bulwark.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.health.internal.HealthRules.CheckerState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthRulesTest {

  /** Results are a string of + (healthy) and - (unhealthy), applied from the initial state. */
  @ParameterizedTest(name = "threshold {0}: {1} -> healthy={2}, streak={3}")
  @CsvSource({
    "3, '', true, 0",
    "3, -, true, 1",
    "3, --, true, 2",
    "3, ---, false, 0",
    "3, --+--, true, 2",
    "3, ---+, false, 1",
    "3, ---++, false, 2",
    "3, ---+++, true, 0",
    "3, ---++-+++, true, 0",
    "1, -, false, 0",
    "1, -+, true, 0",
    "10, ---------, true, 9",
    "10, ----------, false, 0",
    "2, -+-+-+-+, true, 0",
  })
  void consecutiveResultsFlipBothWays(int threshold, String results, boolean healthy, int streak) {
    CheckerState s = CheckerState.INITIAL;
    for (char c : results.toCharArray()) {
      s = HealthRules.next(s, c == '+', threshold);
    }
    assertThat(s).isEqualTo(new CheckerState(healthy, streak));
  }

  @ParameterizedTest(name = "{0} of {1} healthy, share {2} -> {3}")
  @CsvSource({
    "0, 0, 0.18, true",
    "0, 1, 0.18, false",
    "1, 1, 0.18, true",
    "0, 3, 0.18, false",
    "1, 3, 0.18, true",
    "1, 6, 0.18, false", // 16.7% is not more than 18%
    "2, 11, 0.18, true", // 18.2%
    "9, 50, 0.18, false", // exactly 18% is not more than 18%
    "10, 50, 0.18, true",
    "1, 2, 0.5, false",
    "2, 3, 0.5, true",
    "1, 16, 0.0, true",
    "0, 16, 0.0, false",
  })
  void quorumIsStrictlyMoreThanTheShare(int healthy, int total, double share, boolean expected) {
    assertThat(HealthRules.quorum(healthy, total, share)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} healthy children, threshold {1} -> {2}")
  @CsvSource({
    "0, 0, true",
    "0, 1, false",
    "1, 1, true",
    "2, 3, false",
    "3, 3, true",
    "3, 1, true",
  })
  void calculatedNeedsThresholdChildren(int healthy, int threshold, boolean expected) {
    assertThat(HealthRules.calculated(healthy, threshold)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "measured={0} disabled={1} inverted={2} -> {3}")
  @CsvSource({
    "true, false, false, true",
    "false, false, false, false",
    "true, false, true, false",
    "false, false, true, true",
    "false, true, false, true",
    "true, true, false, true",
    "false, true, true, false",
    "true, true, true, false",
  })
  void disabledThenInverted(
      boolean measured, boolean disabled, boolean inverted, boolean expected) {
    assertThat(HealthRules.effective(measured, disabled, inverted)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "'hello world', 11, world, true",
    "'hello world', 10, world, false",
    "'hello', 5, hello, true",
    "'hel', 3, hello, false",
    "'', 0, x, false",
  })
  void byteSearchRespectsTheLength(String hay, int len, String needle, boolean expected) {
    assertThat(HttpProber.contains(hay.getBytes(), len, needle.getBytes())).isEqualTo(expected);
  }
}
