package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XssDetectorTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert`1`>",
        "\"><svg onload=alert(1)>",
        "\" onmouseover=\"alert(1)",
        "' autofocus onfocus='alert(1)",
        "javascript:alert(document.domain)",
        "<a href=\"  JaVa\tScRiPt:alert(1)\">x</a>",
        "<iframe src=//evil.example>",
        "<div style=\"width: expression(alert(1))\">",
        "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
        "<object data=\"data:text/html;base64,PHNjcmlwdD4=\">",
        "';alert(String.fromCharCode(88))//",
        "<details open ontoggle=alert(1)>",
      })
  void scriptInjectionsAreDetected(String s) {
    assertThat(XssDetector.isXss(s)).as(s).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Use <b> tags for bold text in the forum editor.",
        "I love <3 this shop, great service.",
        "Price: 5 < 10 and 10 > 5, so the second deal is better.",
        "<p>I <strong>love</strong> this jacket.</p><ul><li>warm</li></ul>",
        "Javascript: the good parts is a classic book.",
        "The alert on my phone said the parcel was delivered.",
        "Turn on the lights; once=enough",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle cx=\"12\" r=\"10\"/></svg>",
        "<a href=\"https://example.com/a?b=c\">link</a>",
        "Document everything before you submit the claim.",
      })
  void harmlessMarkupAndProsePass(String s) {
    assertThat(XssDetector.isXss(s)).as(s).isFalse();
  }
}
