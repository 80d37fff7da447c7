package io.bulwark.dns;

import static io.bulwark.dns.DnsClient.answers;
import static io.bulwark.dns.DnsClient.edns;
import static io.bulwark.dns.DnsClient.query;
import static io.bulwark.dns.DnsClient.rdata;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Acceptance 1: every record type and protocol rule, over real sockets, with dnsjava and dig. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DnsProtocolTest {
  private DnsServer server;
  private InetSocketAddress addr;

  @BeforeAll
  void start() throws IOException {
    server =
        DnsServer.start(
            DnsSettings.of("127.0.0.1", 0, TestZones.standard()), HealthView.ALL_HEALTHY);
    addr = server.udpAddress();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private Message udp(String name, int type) throws IOException {
    return DnsClient.udp(addr, query(name, type));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "example.test.|A|192.0.2.1",
        "example.test.|AAAA|2001:db8:0:0:0:0:0:1",
        "example.test.|MX|10 mail.example.test.",
        "example.test.|TXT|\"v=spf1 -all\"",
        "example.test.|NS|ns1.example.test.;ns2.example.net.",
        "example.test.|SOA|ns1.example.test. hostmaster.example.test. 2026112101 7200 900 1209600 60",
        "_sip._tcp.example.test.|SRV|10 60 5060 sip.example.test.",
        "example.test.|CAA|0 issue \"letsencrypt.org\"",
        "80.2.0.192.in-addr.arpa.|PTR|host.example.test.",
        "ExAmPlE.TeSt.|A|192.0.2.1",
      })
  void everyRecordType(String name, String type, String expected) throws IOException {
    Message m = udp(name, Type.value(type));
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(rdata(m)).containsExactlyInAnyOrder(expected.split(";"));
    // The question is echoed exactly, case included (resolvers using 0x20 compare it).
    assertThat(m.getQuestion().getName().toString()).isEqualTo(name);
  }

  @Test
  void mxAndSrvTargetsComeWithTheirAddresses() throws IOException {
    assertThat(udp("example.test.", Type.MX).getSection(Section.ADDITIONAL))
        .extracting(Record::rdataToString)
        .contains("192.0.2.25");
    assertThat(udp("_sip._tcp.example.test.", Type.SRV).getSection(Section.ADDITIONAL))
        .extracting(Record::rdataToString)
        .contains("192.0.2.60");
  }

  @Test
  void cnameChainIsFollowedInsideTheZone() throws IOException {
    Message m = udp("www.example.test.", Type.A);
    assertThat(answers(m))
        .containsExactly(
            "www.example.test. CNAME web.example.test.",
            "web.example.test. CNAME host.example.test.",
            "host.example.test. A 192.0.2.80");
    assertThat(answers(udp("out.example.test.", Type.A)))
        .containsExactly("out.example.test. CNAME www.elsewhere.example.");
    Message loop = udp("loop1.example.test.", Type.A);
    assertThat(loop.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answers(loop)).hasSize(2);
    assertThat(answers(udp("www.example.test.", Type.CNAME)))
        .containsExactly("www.example.test. CNAME web.example.test.");
  }

  @Test
  void wildcardsSynthesizeTheQueriedName() throws IOException {
    assertThat(answers(udp("Anything.wild.example.test.", Type.A)))
        .containsExactly("Anything.wild.example.test. A 192.0.2.99");
    assertThat(answers(udp("a.b.wild.example.test.", Type.TXT)))
        .containsExactly("a.b.wild.example.test. TXT wildcard");
    Message nodata = udp("x.wild.example.test.", Type.MX);
    assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void nxdomainAndNodataCarryTheSoaForNegativeCaching() throws IOException {
    Message nx = udp("nope.example.test.", Type.A);
    assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(nx.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(nx.getSection(Section.ANSWER)).isEmpty();
    assertThat(nx.getSection(Section.AUTHORITY))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r).isInstanceOf(SOARecord.class);
              assertThat(r.getTTL()).isEqualTo(60); // min(SOA TTL 3600, MINIMUM 60), RFC 2308
            });
    for (Message nodata :
        List.of(udp("host.example.test.", Type.AAAA), udp("empty.example.test.", Type.A))) {
      assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
      assertThat(nodata.getSection(Section.AUTHORITY))
          .singleElement()
          .isInstanceOf(SOARecord.class);
    }
    Message chainToNowhere = udp("nope.wild.example.test.", Type.A); // wildcard still answers
    assertThat(chainToNowhere.getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void zonesNotServedAreRefused() throws IOException {
    Message m = udp("example.com.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void delegationsGetAReferralWithGlue() throws IOException {
    Message m = udp("host.sub.example.test.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getSection(Section.AUTHORITY))
        .extracting(Record::rdataToString)
        .containsExactly("ns.sub.example.test.");
    assertThat(m.getSection(Section.ADDITIONAL))
        .extracting(Record::rdataToString)
        .containsExactly("192.0.2.54");
  }

  @Test
  void anyGetsOneRrset() throws IOException {
    Message m = udp("example.test.", Type.ANY);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSectionRRsets(Section.ANSWER)).hasSize(1);
  }

  @Test
  void truncationAndTcpFallback() throws IOException {
    // About 1.6 KB of TXT: too big for 512 bytes and for the 1232-byte EDNS0 limit.
    Message plain = udp("big.example.test.", Type.TXT);
    assertThat(plain.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(plain.getSection(Section.ANSWER)).isEmpty();
    Message big = DnsClient.udp(addr, edns(query("big.example.test.", Type.TXT), 4096));
    assertThat(big.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(big.getOPT()).isNotNull();
    Message tcp = DnsClient.tcp(server.tcpAddress(), query("big.example.test.", Type.TXT));
    assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(tcp.getSection(Section.ANSWER)).hasSize(8);
    // About 650 bytes: truncated at 512 without EDNS0, whole with it.
    assertThat(udp("medium.example.test.", Type.TXT).getHeader().getFlag(Flags.TC)).isTrue();
    Message medium = DnsClient.udp(addr, edns(query("medium.example.test.", Type.TXT), 1232));
    assertThat(medium.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(medium.getSection(Section.ANSWER)).hasSize(3);
    assertThat(medium.getOPT().getPayloadSize()).isEqualTo(DnsSettings.DEFAULT_UDP_PAYLOAD);
  }

  @Test
  void ednsVersionAboveZeroIsBadvers() throws IOException {
    Message q = query("example.test.", Type.A);
    q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    Message m = DnsClient.udp(addr, q);
    assertThat(m.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void otherOpcodesAreNotImplemented() throws IOException {
    Message q = query("example.test.", Type.SOA);
    q.getHeader().setOpcode(Opcode.NOTIFY);
    assertThat(DnsClient.udp(addr, q).getRcode()).isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void zoneTransferIsRefusedUnlessTheAclAllowsIt() throws IOException {
    assertThat(DnsClient.tcp(server.tcpAddress(), query("example.test.", Type.AXFR)).getRcode())
        .isEqualTo(Rcode.REFUSED);
    assertThat(DnsClient.udp(addr, query("example.test.", Type.AXFR)).getRcode())
        .isEqualTo(Rcode.REFUSED);
    DnsSettings open =
        DnsSettings.of("127.0.0.1", 0, TestZones.standard())
            .withTransferAcl(List.of(Cidr.parse("127.0.0.0/8")));
    try (DnsServer s = DnsServer.start(open, HealthView.ALL_HEALTHY)) {
      Message m = DnsClient.tcp(s.tcpAddress(), query("example.test.", Type.AXFR));
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
      List<Record> rs = m.getSection(Section.ANSWER);
      assertThat(rs.get(0)).isInstanceOf(SOARecord.class);
      assertThat(rs.get(rs.size() - 1)).isInstanceOf(SOARecord.class);
      assertThat(rs).hasSizeGreaterThan(20);
      // Still refused over UDP, and for a zone not served.
      assertThat(DnsClient.udp(s.udpAddress(), query("example.test.", Type.AXFR)).getRcode())
          .isEqualTo(Rcode.REFUSED);
      assertThat(DnsClient.tcp(s.tcpAddress(), query("example.com.", Type.AXFR)).getRcode())
          .isEqualTo(Rcode.REFUSED);
    }
  }

  @Test
  void digSeesTheSameAnswers() throws Exception {
    String a = Dig.run(addr, "example.test", "A");
    assertThat(a)
        .contains("status: NOERROR")
        .contains("flags: qr aa;")
        .containsPattern("example\\.test\\.\\s+300\\s+IN\\s+A\\s+192\\.0\\.2\\.1");
    assertThat(Dig.run(addr, "www.example.test", "A"))
        .containsPattern("www\\.example\\.test\\.\\s+300\\s+IN\\s+CNAME\\s+web\\.example\\.test\\.")
        .containsPattern("host\\.example\\.test\\.\\s+300\\s+IN\\s+A\\s+192\\.0\\.2\\.80");
    for (String[] q :
        new String[][] {
          {"example.test", "AAAA", "2001:db8::1"},
          {"example.test", "MX", "10 mail.example.test."},
          {"example.test", "TXT", "\"v=spf1 -all\""},
          {"example.test", "NS", "ns1.example.test."},
          {"example.test", "SOA", "hostmaster.example.test. 2026112101"},
          {"_sip._tcp.example.test", "SRV", "10 60 5060 sip.example.test."},
          {"example.test", "CAA", "0 issue \"letsencrypt.org\""},
          {"1.2.0.192.in-addr.arpa", "PTR", "example.test."},
          {"x.wild.example.test", "A", "192.0.2.99"}
        }) {
      assertThat(Dig.run(addr, q[0], q[1]))
          .as("%s %s", q[0], q[1])
          .contains("status: NOERROR")
          .contains(q[2]);
    }
    assertThat(Dig.run(addr, "nope.example.test", "A"))
        .contains("status: NXDOMAIN")
        .contains("AUTHORITY: 1");
    assertThat(Dig.run(addr, "host.example.test", "AAAA"))
        .contains("status: NOERROR")
        .contains("ANSWER: 0")
        .contains("AUTHORITY: 1");
    assertThat(Dig.run(addr, "example.com", "A")).contains("status: REFUSED");
    assertThat(Dig.run(addr, "example.test", "ANY"))
        .contains("status: NOERROR")
        .contains("ANSWER: 1,");
    String big = Dig.run(addr, "big.example.test", "TXT");
    assertThat(big).contains("Truncated, retrying in TCP mode").contains("ANSWER: 8,");
    assertThat(Dig.run(addr, "example.test", "AXFR")).contains("Transfer failed");
  }
}
