package io.bulwark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers. Tests never use fixed ports: servers bind port 0 and report theirs. */
public final class Ports {
  public static final String LOOPBACK = "127.0.0.1";

  private Ports() {}

  /**
   * A loopback port on which nothing listens right now: the kernel picks an ephemeral port, which
   * is released again. Use it as the address of a dead origin (connections are refused), never to
   * start a server on — something else may take it in between.
   */
  public static int unusedPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind an ephemeral loopback port", e);
    }
  }
}
