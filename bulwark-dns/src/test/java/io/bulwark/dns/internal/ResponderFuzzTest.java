package io.bulwark.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.dns.GeoLocator;
import io.bulwark.dns.HealthView;
import io.bulwark.dns.LatencyMap;
import io.bulwark.dns.Zone;
import java.net.InetAddress;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Acceptance 6, in process: random and mutated packets never make the responder throw, and whatever
 * it answers is a well-formed response to the same ID.
 */
class ResponderFuzzTest {
  private static Responder responder() throws Exception {
    Name o = Name.fromString("example.test.");
    Zone zone =
        Zone.of(
            o,
            Zone.simpleSets(
                Zone.readZoneFile(
                    java.nio.file.Path.of(
                        ResponderFuzzTest.class.getResource("/example.test.zone").toURI()),
                    o)));
    return new Responder(
        List.of(zone),
        HealthView.ALL_HEALTHY,
        GeoLocator.NONE,
        LatencyMap.EMPTY,
        List.of(),
        1232,
        () -> new SplittableRandom(1));
  }

  static byte[][] seeds() throws Exception {
    String[] names = {
      "example.test.",
      "www.example.test.",
      "x.wild.example.test.",
      "big.example.test.",
      "nope.example.test.",
      "example.com."
    };
    int[] types = {Type.A, Type.TXT, Type.ANY, Type.AXFR, Type.MX};
    byte[][] out = new byte[names.length * types.length][];
    int i = 0;
    for (String n : names) {
      for (int t : types) {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(n), t, DClass.IN));
        if (i % 2 == 0) {
          m.addRecord(
              new OPTRecord(
                  4096,
                  0,
                  0,
                  0,
                  new org.xbill.DNS.ClientSubnetOption(24, InetAddress.getByName("81.2.69.0"))),
              Section.ADDITIONAL);
        }
        out[i++] = m.toWire();
      }
    }
    return out;
  }

  @Test
  void randomAndMutatedPacketsNeverBreakTheResponder() throws Exception {
    Responder r = responder();
    byte[][] seeds = seeds();
    SplittableRandom random = new SplittableRandom(20261121);
    InetAddress client = InetAddress.getLoopbackAddress();
    int answered = 0;
    for (int i = 0; i < 30_000; i++) {
      byte[] p;
      switch (i % 4) {
        case 0 -> {
          p = new byte[random.nextInt(0, 300)];
          random.nextBytes(p);
        }
        case 1 -> { // flip a few bits of a valid query
          p = seeds[random.nextInt(seeds.length)].clone();
          for (int f = random.nextInt(1, 6); f > 0; f--) {
            p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 2 -> { // cut a valid query short or pad it with garbage
          byte[] s = seeds[random.nextInt(seeds.length)];
          p = java.util.Arrays.copyOf(s, random.nextInt(0, s.length + 40));
        }
        default -> { // a valid header over random body bytes
          p = new byte[random.nextInt(12, 120)];
          random.nextBytes(p);
          p[2] &= 0x7F;
        }
      }
      boolean clearQr = p.length > 2 && (p[2] & 0x80) == 0;
      for (boolean tcp : new boolean[] {false, true}) {
        List<byte[]> out = r.respond(p, client, tcp);
        if (!clearQr) {
          assertThat(out).isEmpty(); // never answer a response, never answer a runt
          continue;
        }
        for (byte[] b : out) {
          Message m = new Message(b);
          assertThat(m.getHeader().getID()).isEqualTo(((p[0] & 0xFF) << 8) | (p[1] & 0xFF));
          assertThat(m.getHeader().getFlag(org.xbill.DNS.Flags.QR)).isTrue();
          assertThat(m.getRcode()).isNotEqualTo(Rcode.SERVFAIL);
          if (!tcp) {
            assertThat(b.length).isLessThanOrEqualTo(1232);
          }
          answered++;
        }
      }
    }
    assertThat(answered).isGreaterThan(10_000);
  }

  @Test
  void craftedNastyPackets() throws Exception {
    Responder r = responder();
    InetAddress client = InetAddress.getLoopbackAddress();
    byte[][] nasty = {
      // compression pointer pointing at itself
      hex("abcd 0000 0001 0000 0000 0000 c00c 0001 0001"),
      // QDCOUNT 65535 with one question
      hex("abcd 0000 ffff 0000 0000 0000 0765 7861 6d70 6c65 0474 6573 7400 0001 0001"),
      // label length running past the end
      hex("abcd 0000 0001 0000 0000 0000 3f61 6200 0001 0001"),
      // no question at all
      hex("abcd 0100 0000 0000 0000 0000"),
      // two OPT records
      hex(
          "abcd 0100 0001 0000 0000 0002 0765 7861 6d70 6c65 0474 6573 7400 0001 0001"
              + " 0000 2910 0000 0000 0000 00 0000 2910 0000 0000 0000 00"
                  .replace(" 00 ", " 0000 ")),
      // ECS claiming a /33 IPv4 source
      hex(
          "abcd 0100 0001 0000 0000 0001 0765 7861 6d70 6c65 0474 6573 7400 0001 0001"
              + " 00 0029 1000 0000 0000 000b 0008 0007 0001 2100 5102 4500"),
    };
    for (byte[] p : nasty) {
      for (boolean tcp : new boolean[] {false, true}) {
        List<byte[]> out = r.respond(p, client, tcp);
        assertThat(out).hasSizeLessThanOrEqualTo(1);
        for (byte[] b : out) {
          Message m = new Message(b);
          assertThat(m.getRcode())
              .isIn(Rcode.FORMERR, Rcode.NOERROR, Rcode.NXDOMAIN, Rcode.REFUSED);
        }
      }
    }
    assertThat(new Message(r.respond(nasty[3], client, false).get(0)).getRcode())
        .isEqualTo(Rcode.FORMERR);
    assertThat(new Message(r.respond(nasty[0], client, false).get(0)).getRcode())
        .isEqualTo(Rcode.FORMERR);
  }

  private static byte[] hex(String s) {
    String h = s.replace(" ", "");
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
