package io.bulwark.dns;

import static io.bulwark.dns.DnsClient.query;
import static io.bulwark.dns.DnsClient.rdata;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Acceptance 6 over the network: a flood of malformed UDP and TCP input, then valid queries. */
class MalformedTrafficTest {
  @Test
  void serverKeepsAnsweringAfterGarbage() throws IOException {
    try (DnsServer s =
        DnsServer.start(
            DnsSettings.of("127.0.0.1", 0, TestZones.standard()), HealthView.ALL_HEALTHY)) {
      InetSocketAddress udp = s.udpAddress();
      SplittableRandom random = new SplittableRandom(99);
      byte[] valid = query("www.example.test.", Type.A).toWire();
      try (DatagramSocket sock =
          new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
        for (int i = 0; i < 2000; i++) {
          byte[] p;
          if (i % 2 == 0) {
            p = new byte[random.nextInt(0, 700)];
            random.nextBytes(p);
          } else {
            p = valid.clone();
            p[random.nextInt(p.length)] ^= (byte) random.nextInt(1, 256);
          }
          sock.send(new DatagramPacket(p, p.length, udp));
          if (i % 100 == 99) {
            // Every hundred bad packets a good query still gets its answer. (Pacing keeps the
            // socket buffer from overflowing, which would drop the good query with the bad.)
            assertThat(DnsClient.udpRaw(udp, valid, 3000))
                .as("answer after packet %d", i)
                .isNotNull();
          }
        }
      }
      // TCP: a zero-length frame, a frame longer than what follows, random bytes, abrupt closes.
      for (int i = 0; i < 20; i++) {
        try (Socket t = new Socket()) {
          t.connect(s.tcpAddress(), 3000);
          OutputStream out = t.getOutputStream();
          byte[] junk = new byte[random.nextInt(1, 400)];
          random.nextBytes(junk);
          out.write(junk);
          out.flush();
        }
      }
      assertThat(DnsClient.udp(udp, query("example.test.", Type.A)).getRcode())
          .isEqualTo(Rcode.NOERROR);
      assertThat(rdata(DnsClient.udp(udp, query("host.example.test.", Type.A))))
          .containsExactly("192.0.2.80");
      assertThat(rdata(DnsClient.tcp(s.tcpAddress(), query("host.example.test.", Type.A))))
          .containsExactly("192.0.2.80");
      byte[] formerr = DnsClient.udpRaw(udp, new byte[] {0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
      assertThat(new org.xbill.DNS.Message(formerr).getRcode()).isEqualTo(Rcode.FORMERR);
    }
  }

  @Test
  void oversizedQueryIsAnsweredAndServingGoesOn() throws IOException {
    try (DnsServer s =
        DnsServer.start(
            DnsSettings.of("127.0.0.1", 0, TestZones.standard()), HealthView.ALL_HEALTHY)) {
      InetSocketAddress udp = s.udpAddress();
      // A valid query padded (RFC 7830) past the size the epoll transport reads whole: it arrives
      // cut there and no longer parses (FORMERR); on NIO it arrives whole and is answered.
      org.xbill.DNS.Message big =
          DnsClient.edns(
              query("host.example.test.", Type.A),
              1232,
              new org.xbill.DNS.GenericEDNSOption(12, new byte[DnsServer.MAX_UDP_QUERY + 500]));
      big.getHeader().setID(0x4242);
      byte[] wire = big.toWire();
      assertThat(wire.length).isGreaterThan(DnsServer.MAX_UDP_QUERY);
      byte[] answer = DnsClient.udpRaw(udp, wire);
      assertThat(answer).isNotNull();
      org.xbill.DNS.Header h = new org.xbill.DNS.Header(answer);
      assertThat(h.getID()).isEqualTo(0x4242);
      assertThat(h.getRcode()).isIn(Rcode.FORMERR, Rcode.NOERROR);
      assertThat(rdata(DnsClient.udp(udp, query("host.example.test.", Type.A))))
          .containsExactly("192.0.2.80");
    }
  }
}
