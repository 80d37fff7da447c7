package io.bulwark.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

/** The request view's header names: lower-cased, the usual ones without a copy. */
class WafPhaseTest {
  @Test
  void usualNamesInAnyCaseGiveOneSharedLowerCaseString() {
    String a = WafPhase.lowerName(new AsciiString("User-Agent"));
    String b = WafPhase.lowerName(new AsciiString("USER-AGENT"));
    assertThat(a).isEqualTo("user-agent").isSameAs(b);
    assertThat(WafPhase.lowerName(new AsciiString("Sec-Fetch-Site"))).isEqualTo("sec-fetch-site");
    assertThat(WafPhase.lowerName(new AsciiString("cookie"))).isEqualTo("cookie");
    assertThat(WafPhase.lowerName(new AsciiString("uSeR-aGeNt"))).isSameAs(a);
    assertThat(WafPhase.lowerName(new AsciiString("DNT"))).isEqualTo("dnt");
    assertThat(WafPhase.lowerName(new AsciiString("Sec-CH-UA-Mobile")))
        .isEqualTo("sec-ch-ua-mobile");
  }

  @Test
  void otherNamesAreLowerCasedInAscii() {
    assertThat(WafPhase.lowerName(new AsciiString("X-My-Header"))).isEqualTo("x-my-header");
    assertThat(WafPhase.lowerName(new AsciiString("x-already-lower"))).isEqualTo("x-already-lower");
    assertThat(WafPhase.lowerName("X-From-A-String")).isEqualTo("x-from-a-string");
    assertThat(WafPhase.lowerName(new StringBuilder("Host"))).isEqualTo("host");
    // Near misses of a usual name (same case-insensitive hash bucket or not) are not confused.
    assertThat(WafPhase.lowerName(new AsciiString("Hosts"))).isEqualTo("hosts");
    assertThat(WafPhase.lowerName(new AsciiString("Accept-"))).isEqualTo("accept-");
  }
}
