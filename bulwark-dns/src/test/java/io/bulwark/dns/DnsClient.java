package io.bulwark.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** A plain DNS client over real loopback sockets, built on dnsjava's wire format. */
final class DnsClient {
  private DnsClient() {}

  static Message query(String name, int type) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Message edns(Message m, int payload, EDNSOption... options) {
    m.addRecord(new OPTRecord(payload, 0, 0, 0, options), Section.ADDITIONAL);
    return m;
  }

  static Message udp(InetSocketAddress server, Message query) throws IOException {
    byte[] r = udpRaw(server, query.toWire());
    if (r == null) {
      throw new SocketTimeoutException("no answer to " + query.getQuestion());
    }
    return new Message(r);
  }

  /** Sends raw bytes and returns the raw answer, or null when none came within the timeout. */
  static byte[] udpRaw(InetSocketAddress server, byte[] query) throws IOException {
    return udpRaw(server, query, 3000);
  }

  static byte[] udpRaw(InetSocketAddress server, byte[] query, int timeoutMillis)
      throws IOException {
    try (DatagramSocket s =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      s.setSoTimeout(timeoutMillis);
      s.send(new DatagramPacket(query, query.length, server));
      byte[] buf = new byte[65535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        s.receive(p);
      } catch (SocketTimeoutException e) {
        return null;
      }
      return Arrays.copyOf(buf, p.getLength());
    }
  }

  static Message tcp(InetSocketAddress server, Message query) throws IOException {
    return tcpAll(server, query, 1).get(0);
  }

  /** Sends one query over TCP and reads {@code count} response messages. */
  static List<Message> tcpAll(InetSocketAddress server, Message query, int count)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(server, 3000);
      s.setSoTimeout(3000);
      byte[] q = query.toWire();
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(q.length);
      out.write(q);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      List<Message> msgs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int len = in.readUnsignedShort();
        byte[] r = new byte[len];
        in.readFully(r);
        msgs.add(new Message(r));
      }
      return msgs;
    }
  }

  static List<String> answers(Message m) {
    List<String> out = new ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      out.add(r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString());
    }
    return out;
  }

  static List<String> rdata(Message m) {
    List<String> out = new ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      out.add(r.rdataToString());
    }
    return out;
  }
}
