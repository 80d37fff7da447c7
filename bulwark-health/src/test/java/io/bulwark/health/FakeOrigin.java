package io.bulwark.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP/1.1 server on loopback that can be told to answer a status, a body, or hang. */
final class FakeOrigin implements AutoCloseable {
  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger maxOpen = new AtomicInteger();
  final AtomicInteger hanging = new AtomicInteger();
  volatile int status = 200;
  volatile byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
  volatile boolean hang;
  volatile String lastRequest;

  FakeOrigin() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.execute(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        connections.incrementAndGet();
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        pool.execute(() -> handle(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      StringBuilder req = new StringBuilder();
      int c;
      while ((c = in.read()) != -1) {
        req.append((char) c);
        if (req.toString().endsWith("\r\n\r\n")) {
          break;
        }
      }
      lastRequest = req.toString();
      if (hang) {
        hanging.incrementAndGet();
        try {
          while (in.read() != -1) {
            // hold the connection until the client gives up
          }
        } finally {
          hanging.decrementAndGet();
        }
        return;
      }
      byte[] b = body;
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 "
                  + status
                  + " X\r\nContent-Length: "
                  + b.length
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
    } catch (IOException e) {
      // the client went away
    } finally {
      sockets.remove(s);
      open.decrementAndGet();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
    pool.shutdownNow();
  }
}
