package io.bulwark.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.dns.GeoLocator;
import io.bulwark.dns.HealthView;
import io.bulwark.dns.LatencyMap;
import io.bulwark.dns.Zone;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cached fast path answers exactly what the full path does: for each query, a cold responder
 * (full path) and a warm one (primed with the same question in other letter case, another ID and
 * other flags) give identical bytes.
 */
class AnswerCacheTest {
  private static Responder responder() throws Exception {
    Name o = Name.fromString("example.test.");
    Path file = Path.of(AnswerCacheTest.class.getResource("/example.test.zone").toURI());
    Zone zone = Zone.of(o, Zone.simpleSets(Zone.readZoneFile(file, o)));
    return new Responder(
        List.of(zone),
        HealthView.ALL_HEALTHY,
        GeoLocator.NONE,
        LatencyMap.EMPTY,
        List.of(),
        1232,
        () -> new SplittableRandom(1));
  }

  private static byte[] query(String name, int type, int id, boolean rd, int edns)
      throws Exception {
    Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    m.getHeader().setID(id);
    if (!rd) {
      m.getHeader().unsetFlag(Flags.RD);
    }
    if (edns > 0) {
      m.addRecord(new OPTRecord(1232, 0, 0, edns == 2 ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
    }
    return m.toWire();
  }

  @ParameterizedTest(name = "{0} {1} edns={2}")
  @CsvSource({
    "Example.Test., A, 0", "www.EXAMPLE.test., A, 1", "x.wild.example.test., TXT, 2",
        "nope.example.test., A, 0",
    "host.example.test., AAAA, 1", "host.sub.example.test., A, 0", "example.com., A, 1",
        "example.test., MX, 2",
    "medium.example.test., TXT, 1", "big.example.test., TXT, 0",
  })
  void warmAnswersEqualColdOnes(String name, String type, int edns) throws Exception {
    InetAddress client = InetAddress.getLoopbackAddress();
    int t = Type.value(type);
    Responder warm = responder();
    warm.respond(query(name.toLowerCase(), t, 1, false, edns), client, false);
    byte[] q = query(name, t, 0xBEEF, true, edns);
    byte[] fast = warm.respond(q, client, false).get(0);
    byte[] slow = responder().respond(q, client, false).get(0);
    assertThat(fast).isEqualTo(slow);
    Message m = new Message(fast);
    assertThat(m.getHeader().getID()).isEqualTo(0xBEEF);
    assertThat(m.getQuestion().getName().toString()).isEqualTo(name);
    boolean truncatedOrBig = m.getHeader().getFlag(Flags.TC) || slow.length > 512;
    assertThat(warm.cachedAnswers()).isEqualTo(truncatedOrBig ? 0 : 1);

    // The UDP fast path (query bytes with trailing junk past the given length, as in a reused
    // scratch buffer) sends the same bytes, or defers to the full path when nothing is cached.
    byte[] scratch = java.util.Arrays.copyOf(q, q.length + 7);
    byte[] out = new byte[Responder.MAX_CACHED_ANSWER];
    java.util.Arrays.fill(out, (byte) 0x5A); // left over from an earlier answer
    int n = warm.cachedUdpAnswer(scratch, q.length, out);
    if (truncatedOrBig) {
      assertThat(n).isEqualTo(-1);
    } else {
      assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(slow);
    }
  }

  @Test
  void fastPathIgnoresResponsesAndUnplainQueries() throws Exception {
    InetAddress client = InetAddress.getLoopbackAddress();
    Responder warm = responder();
    byte[] q = query("www.example.test.", Type.A, 7, true, 0);
    warm.respond(q, client, false);
    assertThat(warm.cachedAnswers()).isEqualTo(1);
    byte[] response = q.clone();
    response[2] |= (byte) 0x80; // QR: never answered
    byte[] out = new byte[Responder.MAX_CACHED_ANSWER];
    assertThat(warm.cachedUdpAnswer(response, response.length, out)).isEqualTo(-1);
    assertThat(warm.respond(response, client, false)).isEmpty();
    byte[] shortened = java.util.Arrays.copyOf(q, q.length - 1);
    assertThat(warm.cachedUdpAnswer(shortened, shortened.length, out)).isEqualTo(-1);
    assertThat(warm.cachedUdpAnswer(q, q.length, out))
        .isEqualTo(warm.respond(q, client, false).get(0).length);
  }
}
