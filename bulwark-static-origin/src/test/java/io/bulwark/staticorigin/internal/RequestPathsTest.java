package io.bulwark.staticorigin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.staticorigin.internal.RequestPaths.Parsed;
import io.bulwark.staticorigin.internal.RequestPaths.Status;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPathsTest {

  @ParameterizedTest(name = "{0} -> {1} [{2}] dir={3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          /                         | OK        | -                | true
          /index.html               | OK        | index.html       | false
          /a/b/c.css?v=1#frag       | OK        | a,b,c.css        | false
          /docs/                    | OK        | docs             | true
          //a//./b/                 | OK        | a,b              | true
          /a/.                      | OK        | a                | true
          /caf%C3%A9.txt            | OK        | café.txt         | false
          /a+b                      | OK        | a+b              | false
          /a%20b                    | OK        | a b              | false
          /a%2Fb                    | OK        | a,b              | false
          http://host:80/x/y        | OK        | x,y              | false
          http://host               | OK        | -                | true
          /../etc/passwd            | FORBIDDEN | -                | false
          /a/../b                   | FORBIDDEN | -                | false
          /%2e%2e/secret            | FORBIDDEN | -                | false
          /a/%2E%2E%2Fsecret        | FORBIDDEN | -                | false
          /..                       | FORBIDDEN | -                | false
          /a%00.txt                 | FORBIDDEN | -                | false
          /a%5C..%5Csecret          | FORBIDDEN | -                | false
          /%zz                      | MALFORMED | -                | false
          /%2                       | MALFORMED | -                | false
          /%C3%28                   | MALFORMED | -                | false
          relative/path             | MALFORMED | -                | false
          *                         | MALFORMED | -                | false
          """)
  void parses(String target, Status status, String segments, boolean directory) {
    Parsed parsed = RequestPaths.parse(target);

    assertThat(parsed.status()).isEqualTo(status);
    if (status == Status.OK) {
      List<String> expected = segments == null ? List.of() : Arrays.asList(segments.split(","));
      assertThat(parsed.segments()).isEqualTo(expected);
      assertThat(parsed.directory()).isEqualTo(directory);
    }
  }

  @ParameterizedTest
  @CsvSource({"/a/b?x=1, /a/b, x=1", "/a%20b, /a%20b, "})
  void keepsTheRawPathAndQueryForRedirects(String target, String rawPath, String query) {
    Parsed parsed = RequestPaths.parse(target);

    assertThat(parsed.rawPath()).isEqualTo(rawPath);
    assertThat(parsed.query()).isEqualTo(query);
  }
}
