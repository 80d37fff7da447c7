package io.bulwark.staticorigin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentTypesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          index.html    | text/html; charset=utf-8
          PAGE.HTM      | text/html; charset=utf-8
          site.css      | text/css; charset=utf-8
          app.js        | text/javascript; charset=utf-8
          data.json     | application/json
          notes.txt     | text/plain; charset=utf-8
          logo.svg      | image/svg+xml
          a.png         | image/png
          a.jpg         | image/jpeg
          a.jpeg        | image/jpeg
          a.gif         | image/gif
          a.webp        | image/webp
          favicon.ico   | image/x-icon
          font.woff2    | font/woff2
          mod.wasm      | application/wasm
          feed.xml      | application/xml
          doc.pdf       | application/pdf
          archive.tar.gz | application/octet-stream
          whoami        | application/octet-stream
          trailing.     | application/octet-stream
          .hidden       | application/octet-stream
          """)
  void byExtension(String fileName, String type) {
    assertThat(ContentTypes.forFileName(fileName)).isEqualTo(type);
  }
}
