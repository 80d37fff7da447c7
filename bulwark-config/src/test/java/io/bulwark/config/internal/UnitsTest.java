package io.bulwark.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
    "0, 0",
    "0s, 0",
    "500ms, 500",
    "10s, 10000",
    "10, 10000", // a bare number is seconds
    "5m, 300000",
    "1h, 3600000",
    "1d, 86400000",
    "365d, 31536000000",
    "' 10s ', 10000",
    "10 s, 10000",
  })
  void durations(String text, long millis) {
    assertThat(Units.parseDuration(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "''{0}'' is not a duration")
  @ValueSource(
      strings = {
        "",
        "10 parsecs",
        "-5s",
        "1.5s",
        "10S",
        "10sec",
        "1w",
        "PT10S",
        "s",
        "1h30m",
        "9999999999999999999d"
      })
  void notDurations(String text) {
    assertThat(Units.parseDuration(text)).isNull();
  }

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({
    "0, 0",
    "512, 512",
    "512B, 512",
    "1KB, 1000",
    "1kb, 1000",
    "1KiB, 1024",
    "8KiB, 8192",
    "10MB, 10000000",
    "10MiB, 10485760",
    "1GB, 1000000000",
    "1GiB, 1073741824",
    "256 MiB, 268435456",
  })
  void sizes(String text, long bytes) {
    assertThat(Units.parseSize(text)).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "''{0}'' is not a size")
  @ValueSource(
      strings = {"", "8 KiBs", "-1", "1.5MiB", "1TB", "1K", "MiB", "99999999999999GiB", "1e6"})
  void notSizes(String text) {
    assertThat(Units.parseSize(text)).isEqualTo(-1);
  }

  @ParameterizedTest(name = "{0} ms prints as {1}")
  @CsvSource({"0, 0s", "500, 500ms", "1500, 1500ms", "10000, 10s", "300000, 5m", "86400000, 1d"})
  void durationsPrintShortestExact(long millis, String text) {
    assertThat(Units.formatDuration(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0} bytes prints as {1}")
  @CsvSource({
    "0, 0B",
    "10, 10B",
    "1000, 1000B",
    "8192, 8KiB",
    "10485760, 10MiB",
    "1073741824, 1GiB"
  })
  void sizesPrintShortestExact(long bytes, String text) {
    assertThat(Units.formatSize(bytes)).isEqualTo(text);
  }
}
