package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SqliDetectorTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "' OR '1'='1",
        "1 OR 1=1",
        "admin'--",
        "1' ORDER BY 3--+",
        "-1 UNION SELECT 1,2,3--",
        "x' UNION/**/SELECT/**/user(),database()#",
        "1/*!50000UNION*//*!50000SELECT*/1,2,3",
        "'; DROP TABLE users; --",
        "1 AND SLEEP(5)",
        "' AND extractvalue(1,concat(0x7e,(SELECT version())))--",
        "1; WAITFOR DELAY '0:0:5'--",
        "') OR ('x'='x",
        "\" OR \"a\"=\"a",
        "' OR EXISTS(SELECT * FROM users)--",
        "q=shoes&id=1' OR '1'='1",
        "' INTO OUTFILE '/var/www/x.php'--",
      })
  void injectionsAreDetectedAtLowSensitivity(String s) {
    assertThat(SqliDetector.isInjection(s, Statement.Sensitivity.LOW)).as(s).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Please select the size you want from the drop-down menu.",
        "The union of these two sets is every customer who ordered or returned something.",
        "Drop me a line if the delivery is late.",
        "I'd like 2 or 1 extra pillows, whichever you have.",
        "My username is o'brien and I can't log in since Tuesday.",
        "Order by price, lowest first, please.",
        "Tom & Jerry is my kid's favourite cartoon; can you recommend similar shows?",
        "Rock 'n' roll never dies.",
        "Select all that apply: breakfast, lunch, dinner.",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)",
        "If x = 3 and y = 4, then x + y = 7.",
        "name=Sam+Lee&email=sam%40example.com",
        "2024-06-01 to 2024-06-05",
        "Tr0ub4dor&3",
        "p@ss'w0rd;",
        "O'Reilly; O'Neil & O'Hara",
      })
  void proseAndOrdinaryValuesPass(String s) {
    assertThat(SqliDetector.isInjection(s, Statement.Sensitivity.LOW)).as(s).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "1 or 2|false|true",
        "' or x--|false|true",
        "delete from users|false|true",
      })
  void highSensitivityFlagsMore(String s, boolean low, boolean high) {
    assertThat(SqliDetector.isInjection(s, Statement.Sensitivity.LOW))
        .as("LOW " + s)
        .isEqualTo(low);
    assertThat(SqliDetector.isInjection(s, Statement.Sensitivity.HIGH))
        .as("HIGH " + s)
        .isEqualTo(high);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "1 or 1=1|bare|1&1o1",
        "x' or 'a'='a|single|s&sos",
        "admin'--|single|sc",
        "-1 union all select 1,2|bare|1UE1,1",
        "a/**/union/**/select @@version|bare|nUEv",
        "sleep (5)|bare|f(1)",
        "x\" or \"x\"=\"x|double|s&sos",
      })
  void fingerprintsFoldCommentsKeywordsAndSigns(String s, String context, String fp) {
    char ctx =
        switch (context) {
          case "single" -> '\'';
          case "double" -> '"';
          default -> '\0';
        };
    assertThat(SqliDetector.fingerprint(s, ctx)).isEqualTo(fp);
  }
}
