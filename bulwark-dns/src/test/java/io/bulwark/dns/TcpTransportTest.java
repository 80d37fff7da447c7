package io.bulwark.dns;

import static io.bulwark.dns.DnsClient.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** DNS over TCP (RFC 7766): pipelined queries on one connection; idle connections are closed. */
class TcpTransportTest {
  @Test
  void pipelinedQueriesOnOneConnectionAndIdleClose() throws IOException {
    DnsSettings settings =
        new DnsSettings(
            "127.0.0.1", 0, TestZones.standard(), List.of(), LatencyMap.EMPTY, null, 1232, 1);
    try (DnsServer s = DnsServer.start(settings, HealthView.ALL_HEALTHY);
        Socket socket = new Socket()) {
      socket.connect(s.tcpAddress(), 3000);
      socket.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      String[] names = {"host.example.test.", "mail.example.test.", "sip.example.test."};
      for (int i = 0; i < names.length; i++) {
        Message q = query(names[i], Type.A);
        q.getHeader().setID(100 + i);
        byte[] w = q.toWire();
        out.writeShort(w.length);
        out.write(w);
      }
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      for (int i = 0; i < names.length; i++) {
        byte[] r = new byte[in.readUnsignedShort()];
        in.readFully(r);
        Message m = new Message(r);
        assertThat(m.getHeader().getID()).isEqualTo(100 + i);
        assertThat(m.getQuestion().getName().toString()).isEqualTo(names[i]);
        assertThat(DnsClient.rdata(m)).hasSize(1);
      }
      // Idle for longer than tcp-idle-timeout (1 s): the server closes; read sees end of stream.
      assertThat(in.read()).isEqualTo(-1);
    }
  }
}
