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
      })
  void edgeCasesAreTotal(Transformation t, String in, String out) {
    assertThat(t.transform(in)).isEqualTo(out);
  }

  @Test
  void utf8ToUnicodeLeavesInvalidSequencesAlone() {
    String e = new String("é".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    assertThat(Transformation.UTF8_TO_UNICODE.transform("a" + e + "\u00c3b"))
        .isEqualTo("a%u00e9\u00c3b");
  }
}
