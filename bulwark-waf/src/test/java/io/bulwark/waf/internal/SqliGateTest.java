package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link SqliDetector#hasLowTrigger} only skips work: on every line of every corpus file (attacks
 * of all kinds and benign text), and on each line's URL-decoded and lower-cased forms, the LOW
 * verdict is the same with and without it.
 */
class SqliGateTest {
  @Test
  void theLowGateNeverChangesAVerdict() throws Exception {
    List<String> values = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/corpus"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".txt")).toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          String bytes = Text.bytesOf(line);
          values.add(bytes);
          values.add(Transformation.URL_DECODE_UNI.transform(bytes));
          values.add(Text.asciiLower(bytes));
        }
      }
    }
    int injections = 0;
    int gated = 0;
    List<String> differ = new ArrayList<>();
    for (String v : values) {
      boolean full = SqliDetector.isInjection(v, Statement.Sensitivity.LOW, false);
      boolean withGate = SqliDetector.isInjection(v, Statement.Sensitivity.LOW, true);
      if (full != withGate) {
        differ.add(v);
      }
      injections += full ? 1 : 0;
      gated += SqliDetector.hasLowTrigger(v) ? 0 : 1;
    }
    assertThat(differ).isEmpty();
    assertThat(values).hasSizeGreaterThan(1000);
    assertThat(injections).as("the corpus holds injections").isGreaterThan(100);
    assertThat(gated).as("the gate clears some values").isGreaterThan(100);
  }
}
