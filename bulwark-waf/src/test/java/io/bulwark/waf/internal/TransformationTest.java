package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransformationTest {
  @Test
  void md5IsTheRawDigest() {
    String d = Transformation.MD5.transform("abc");
    assertThat(HexFormat.of().formatHex(d.getBytes(StandardCharsets.ISO_8859_1)))
        .isEqualTo("900150983cd24fb0d6963f7d28e17f72");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "URL_DECODE|%2|%2",
        "URL_DECODE|%zz%41|%zzA",
        "URL_DECODE_UNI|%u003cx|<x",
        "HTML_ENTITY_DECODE|&#0000060;&#x3C&unknown;|<<&unknown;",
        "HTML_ENTITY_DECODE|&LT;&Colon;&bogus;|<:&bogus;",
        "BASE64_DECODE|not base64!|not base64!",
        "BASE64_DECODE|YWJj|abc",
        "HEX_DECODE|6|6",
        "JS_DECODE|\\u00\\q|u00q",
        "SQL_HEX_DECODE|x0x41|x0x41",
        "REPLACE_COMMENTS|a/*b|'a '",
        "NORMALIZE_PATH|/../../etc/./passwd|/etc/passwd",
        "NORMALIZE_PATH|a/../../b|../b",
        "NORMALIZE_PATH_WIN|c:\\a\\..\\b|c:/b",
        "CMD_LINE|PING  -c1 ,x|ping -c1 x",
        "COMPRESS_WHITE_SPACE|a\u00a0\u00a0b|a b",
        "COMPRESS_WHITE_SPACE|'a b  c\td'|'a b c d'",
        "HTML_ENTITY_DECODE|a=1&size=2&lt;&amp&b|a=1&size=2<&&b",
        "HTML_ENTITY_DECODE|&ltxxxxxxx;&nbsp;|&ltxxxxxxx;\u00c2\u00a0",
        "URL_DECODE|100%+off%21|100% off!",
        "URL_DECODE_UNI|%uff21%u0041%41%u12|AAA%u12",
        "CMD_LINE|' ls /tmp'|' ls/tmp'",
        "CMD_LINE|a (b) c;d|a(b) c d",
        "BASE64_DECODE|YWJj=|abc",
        "BASE64_DECODE_EXT|YW-_Jj|ao\u00bf&",
        "HEX_DECODE|4142|AB",
        "HEX_DECODE|41zz|41zz",
        "NORMALIZE_PATH|/a//b/|/a/b/",
        "NORMALIZE_PATH|/a/b/.|/a/b/",
        "UTF8_TO_UNICODE|\u00f0\u009f\u0098\u0080|%u1f600",
        "LOWERCASE|AbC\u00c9Z|abc\u00c9z",
        "NORMALIZE_PATH|../a/../../b/c/..|../../b/",
        "NORMALIZE_PATH|/..|/",
        "NORMALIZE_PATH|a/./b/./|a/b/",
        "NORMALIZE_PATH|./.|''",
        "NORMALIZE_PATH|https://host/x/../y|https:/host/y",
        "NORMALIZE_PATH_WIN|..\\..\\windows\\|../../windows/",
        "CMD_LINE|'A ,; B ( C'|'a b( c'",
        "LOWERCASE|AbC\u0100Z|abc\u0100z",
        "HTML_ENTITY_DECODE|&Quot;&QUOTE;&q;|\"&QUOTE;&q;",
        "BASE64_DECODE_EXT|Y!W@J#j|abc",
      })
  void edgeCasesAreTotal(Transformation t, String in, String out) {
    assertThat(t.transform(in)).isEqualTo(out);
  }

  /**
   * Inputs a transformation has nothing to do on come back as the very same object: the evaluation
   * shares work between transformation chains by string identity. These are seen before anything is
   * built ({@code apply}, without the check for an equal result in {@code transform}).
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "NONE|anything",
        "LOWERCASE|already lower case, 123 \u00c9",
        "LOWERCASE|''",
        "COMPRESS_WHITE_SPACE|one space between words ",
        "COMPRESS_WHITE_SPACE|' leading and trailing '",
        "HTML_ENTITY_DECODE|no entity here",
        "HTML_ENTITY_DECODE|color=navy&size=42&sort=price_asc&page=2&ampx",
        "HTML_ENTITY_DECODE|a & b &# &#x; &unknown;",
        "URL_DECODE|/products/running-shoes",
        "URL_DECODE|100% sure %zz %4",
        "URL_DECODE_UNI|%u00 %uzzzz %",
        "CMD_LINE|ls -la tmp/x",
        "CMD_LINE|' leading space kept'",
        "CMD_LINE|a(b)/c d_e{}~",
        "BASE64_DECODE|not base64!",
        "BASE64_DECODE|abcde",
        "BASE64_DECODE_EXT|!!!",
        "HEX_DECODE|abc",
        "HEX_DECODE|4g",
        "JS_DECODE|no escapes",
        "CSS_DECODE|color: red",
        "ESCAPE_SEQ_DECODE|plain",
        "SQL_HEX_DECODE|0x 1x41 a0x41",
        "REPLACE_COMMENTS|a / * b",
        "REMOVE_NULLS|no nulls",
        "REPLACE_NULLS|no nulls",
        "NORMALIZE_PATH|/products/item-51",
        "NORMALIZE_PATH|/",
        "NORMALIZE_PATH|a/b.c/.d/..e/",
        "NORMALIZE_PATH|no slash",
        "NORMALIZE_PATH_WIN|/products/item-51",
        "NORMALIZE_PATH_WIN|c:/windows/win.ini",
        "UTF8_TO_UNICODE|plain ASCII",
      })
  void unchangedInputsComeBackAsTheSameObject(Transformation t, String in) {
    String value = new String(in); // not an interned literal
    assertThat(t.apply(value)).isSameAs(value);
    assertThat(t.transform(value)).isSameAs(value);
  }

  /** Whatever the path inside, an output equal to the input is the input itself. */
  @Test
  void everyTransformationReturnsItsInputWhenItChangesNothing() {
    String[] values = {
      "",
      "a",
      "/",
      "//",
      "\\",
      "=",
      "%",
      "&",
      "+",
      "/*",
      "0x",
      "a b",
      "ABC",
      "YWJj",
      "4142",
      "\u00c3\u00a9",
      "x\\",
      "&zz;",
      "%4",
      "  ",
      "\t",
    };
    for (Transformation t : Transformation.values()) {
      for (String v : values) {
        String value = new String(v);
        String out = t.transform(value);
        if (out.equals(value)) {
          assertThat(out).as("%s(%s)", t, v).isSameAs(value);
        }
      }
    }
  }

  @Test
  void utf8ToUnicodeLeavesInvalidSequencesAlone() {
    String e = new String("é".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    assertThat(Transformation.UTF8_TO_UNICODE.transform("a" + e + "\u00c3b"))
        .isEqualTo("a%u00e9\u00c3b");
  }
}
