package io.bulwark.waf.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpSetTest {
  private static IpSet set() throws IpSet.MalformedEntry {
    return IpSet.builder()
        .add("10.0.0.0/8")
        .add("10.1.0.0/16")
        .add("192.0.2.7")
        .add("0.0.0.0/32")
        .add("2001:db8::/32")
        .add("2001:db8:ffff::/48")
        .add("::1/128")
        .add("fe80::/10")
        .build();
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0,true",
    "10.255.255.255,true",
    "11.0.0.0,false",
    "9.255.255.255,false",
    "192.0.2.7,true",
    "192.0.2.8,false",
    "0.0.0.0,true",
    "2001:db8::1,true",
    "2001:db9::,false",
    "::1,true",
    "::2,false",
    "febf:ffff::1,true",
    "fec0::1,false",
    "::ffff:10.1.2.3,true"
  })
  void lookups(String ip, boolean in) throws Exception {
    assertThat(set().contains(Ips.parseLiteral(ip))).as(ip).isEqualTo(in);
  }

  @Test
  void malformedEntriesAreRefused() {
    assertThatThrownBy(() -> IpSet.builder().add("10.0.0.0/"))
        .isInstanceOf(IpSet.MalformedEntry.class);
    assertThatThrownBy(() -> IpSet.builder().add("1.2.3")).isInstanceOf(IpSet.MalformedEntry.class);
    assertThatThrownBy(() -> IpSet.builder().add("localhost"))
        .isInstanceOf(IpSet.MalformedEntry.class);
    assertThatThrownBy(() -> IpSet.builder().add("::1/-1"))
        .isInstanceOf(IpSet.MalformedEntry.class);
  }
}
