package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * A prefilter must never reject a value its regex matches: for every built-in pattern (and a few
 * tricky ones), over the corpora and strings generated from the pattern's own pieces, each match
 * passes both {@link Prefilter#mayMatch} and the compiled gate on a real {@link LiteralScanner}'s
 * bits.
 */
class PrefilterSoundnessTest {
  private static final String[] EXTRA = {
    "nessus|nikto",
    "class\\.(?:module\\.)?classloader",
    "ab+cd|ef{2}gh",
    "x(y|z)?ww|\\.\\.[/\\\\]",
    "a+bc",
    "://(?:[^/@]*@)?(?:localhost|127\\.)",
    "select\\s+\\w+\\s+from",
    "(?:ab|cd)+ef",
    "a[0-9]+b\\s+cd|xyz",
    "(?s)foo.bar",
    "[]a]b|[^]x]yz",
    "a{2,3}b{0,2}c",
    "(?:x|y)*zz(?:w|)q",
    "[[:digit:]]x|q[-/]r",
    "\\bab\\b|c\\Bd",
  };

  @Test
  void everyMatchPassesItsPrefilter() throws Exception {
    List<String> patterns = new ArrayList<>(builtInPatterns());
    assertThat(patterns).hasSizeGreaterThan(15);
    patterns.addAll(List.of(EXTRA));
    List<String> corpus = corpus();
    Random rnd = new Random(42);
    int matches = 0;
    int prefiltered = 0;
    for (String r : patterns) {
      Prefilter p = Prefilter.of(r);
      if (p == null) {
        continue;
      }
      prefiltered++;
      Pattern re = Pattern.compile(r);
      List<String> lits = new ArrayList<>();
      for (String l : p.literals()) {
        if (l.chars().allMatch(c -> c <= 0xff)) {
          lits.add(l);
        }
      }
      LiteralScanner sc = LiteralScanner.of(lits);
      Scanned.Gate gate = gate(p, lits, sc.words());
      List<String> values = new ArrayList<>(corpus);
      values.addAll(generated(r, rnd));
      for (String v : values) {
        if (re.matcher(v).find()) {
          matches++;
          assertThat(p.mayMatch(v)).as(r + " on " + v).isTrue();
          assertThat(gate.open(sc.scan(v))).as(r + " on " + v + " (gate)").isTrue();
        }
      }
    }
    assertThat(prefiltered).isGreaterThan(25);
    assertThat(matches).isGreaterThan(10_000);
  }

  private static Scanned.Gate gate(Prefilter p, List<String> lits, int words) {
    List<List<List<String>>> bs = p.branches();
    long[][][] out = new long[bs.size()][][];
    for (int b = 0; b < out.length; b++) {
      out[b] = new long[bs.get(b).size()][];
      for (int k = 0; k < out[b].length; k++) {
        long[] m = new long[words];
        for (String l : bs.get(b).get(k)) {
          int id = lits.indexOf(l);
          if (id >= 0) {
            m[id >>> 6] |= 1L << (id & 63);
          }
        }
        out[b][k] = m;
      }
    }
    return new Scanned.Gate(out);
  }

  /** Strings built from the pattern's literal pieces and a few chars regexes care about. */
  private static List<String> generated(String regex, Random rnd) {
    List<String> pieces = new ArrayList<>();
    for (String s : regex.split("[|()\\[\\]?*+{}^$]+")) {
      String t = s.replaceAll("\\\\[sdwbSDWB]", " ").replaceAll("\\\\(.)", "$1");
      if (!t.isEmpty()) {
        pieces.add(t);
        if (t.length() > 1) {
          pieces.add(t.substring(0, t.length() / 2));
          pieces.add(t.substring(t.length() / 2));
        }
      }
    }
    String alphabet = "/.:@[]0123456789 ;|`$(){}\n\t-_=&?#%axyzabcdefq\\'\"";
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      StringBuilder sb = new StringBuilder();
      int parts = 1 + rnd.nextInt(6);
      for (int k = 0; k < parts; k++) {
        if (!pieces.isEmpty() && rnd.nextInt(3) > 0) {
          sb.append(pieces.get(rnd.nextInt(pieces.size())));
        } else {
          int n = 1 + rnd.nextInt(3);
          for (int j = 0; j < n; j++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
          }
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  static List<String> builtInPatterns() throws IOException, URISyntaxException {
    Path dir =
        Path.of(Prefilter.class.getResource("/io/bulwark/waf/managed/core-rule-set.yaml").toURI())
            .getParent();
    Set<String> out = new LinkedHashSet<>();
    java.util.regex.Pattern str =
        java.util.regex.Pattern.compile("\"regex-string\": \"((?:[^\"\\\\]|\\\\.)*)\"");
    try (var files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        Matcher m = str.matcher(Files.readString(f));
        while (m.find()) {
          out.add(unescape(m.group(1)));
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<String> corpus() throws IOException, URISyntaxException {
    Path dir = Path.of(PrefilterSoundnessTest.class.getResource("/corpus").toURI());
    List<String> out = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          out.add(l);
          out.add(l.toLowerCase(Locale.ROOT));
        }
      }
    }
    return out;
  }

  /** The YAML files hold JSON-style double-quoted strings. */
  private static String unescape(String s) throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readValue('"' + s + '"', String.class);
  }
}
