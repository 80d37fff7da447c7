package io.bulwark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * An HTTP/1.1 origin (plain, or over TLS with {@link #startTls}) for tests that can be told to
 * fail, stall, reset or lie, on an ephemeral loopback port.
 *
 * <p>It is written on plain blocking {@code java.net} sockets with one daemon thread per
 * connection, so every byte on the wire is under the test's control and nothing in it shares code
 * with the Netty edge it is used to test: a bug in the edge's HTTP handling cannot hide behind the
 * same bug in the origin. It supports keep-alive, request bodies with Content-Length or chunked
 * framing, {@code Expect: 100-continue}, and records every request it reads.
 *
 * <p>How one request is answered, in order:
 *
 * <ol>
 *   <li>the request is read whole and recorded ({@link #requests()});
 *   <li>while the origin is {@link #hold() held}, the answer waits for {@link #release()};
 *   <li>the fault for the request's path ({@link #fault(String, Fault)}), else the fault for every
 *       request ({@link #fault(Fault)}), decides what happens; {@link Fault.Kind#HANG} waits until
 *       that fault is cleared (then the request is answered normally) or the origin is closed;
 *   <li>otherwise, or for the faults that still answer (STATUS, TRUNCATE, SLOW), the responder
 *       registered for the exact target, else for the target's path without the query ({@link
 *       #handle}), else the {@link #defaultResponder(Responder) default responder}, makes the
 *       response.
 * </ol>
 *
 * <p>Faults and scripts may be changed at any time from the test thread; a change applies to the
 * next request that reaches step 3. {@link #close()} closes the listener and every connection (also
 * the held and hung ones) and joins their threads.
 *
 * <pre>{@code
 * try (FakeOrigin primary = FakeOrigin.start("primary");
 *     FakeOrigin secondary = FakeOrigin.start("secondary")) {
 *   primary.handle("/a", Response.ok("A").header("Cache-Control", "max-age=60"));
 *   primary.fault(Fault.status(503));          // or RESET, CLOSE, HANG, TRUNCATE, SLOW, REFUSE
 *   // ... request /a through the edge: "secondary GET /a" comes back
 *   assertThat(primary.requestCount("/a")).isEqualTo(1);
 *
 *   primary.clearFaults().hold();              // request collapsing
 *   // ... send 10 concurrent requests for /b through the edge
 *   primary.awaitRequestCount(2, Duration.ofSeconds(5));
 *   primary.release();
 *   // ... all 10 answered; primary.requestCount("/b") == 1
 * }
 * }</pre>
 */
public final class FakeOrigin implements AutoCloseable {
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

  private final String name;
  private final TestCertificate tlsCertificate;
  private final String[] tlsProtocols;
  private final SSLContext tls;
  private volatile int port;
  private final Map<String, Responder> handlers = new ConcurrentHashMap<>();
  private volatile Responder defaultResponder;

  // Everything below is guarded by lock; waiting connections wait on it and every change to the
  // state they wait for (faults, hold, close, a connection closing) calls notifyAll.
  private final Object lock = new Object();
  private ServerSocket listener;
  private Thread acceptor;
  private Fault fault;
  private final Map<String, Fault> pathFaults = new HashMap<>();
  private boolean held;
  private boolean closed;
  private final List<RecordedRequest> requests = new ArrayList<>();
  private final Set<OriginConnection> connections = new LinkedHashSet<>();
  private final Set<Thread> threads = new LinkedHashSet<>();
  private int acceptedConnections;

  private FakeOrigin(String name, TestCertificate tlsCertificate, String[] tlsProtocols) {
    this.name = Objects.requireNonNull(name, "name");
    this.tlsCertificate = tlsCertificate;
    this.tlsProtocols = tlsProtocols.clone();
    this.tls = tlsCertificate == null ? null : tlsCertificate.serverContext();
    this.defaultResponder =
        request -> Response.ok(name + " " + request.method() + " " + request.target());
  }

  /** Starts an origin named "origin" on 127.0.0.1 and an ephemeral port. */
  public static FakeOrigin start() {
    return start("origin");
  }

  /**
   * Starts an origin on 127.0.0.1 and an ephemeral port. The name appears in the default
   * responder's body ({@code "<name> GET /path"}), so failover tests can tell origins apart.
   */
  public static FakeOrigin start(String name) {
    return new FakeOrigin(name, null, new String[0]).listen();
  }

  /**
   * Starts an HTTPS origin (HTTP/1.1 over TLS) presenting {@link TestCertificate#localhost()}.
   * Clients trust it with {@code certificate().clientContext()} or {@code
   * certificate().certificateFile()}.
   */
  public static FakeOrigin startTls(String name) {
    return startTls(name, TestCertificate.localhost());
  }

  /**
   * Starts an HTTPS origin presenting this certificate and accepting only these protocols (e.g.
   * {@code "TLSv1.2"}, for minimum-TLS tests; none given means the JDK's defaults). A fault that
   * closes the connection closes the TLS session first (close_notify), except RESET.
   */
  public static FakeOrigin startTls(String name, TestCertificate certificate, String... protocols) {
    return new FakeOrigin(name, Objects.requireNonNull(certificate, "certificate"), protocols)
        .listen();
  }

  private FakeOrigin listen() {
    synchronized (lock) {
      listener = bind(0);
      port = listener.getLocalPort();
      startAccepting();
    }
    return this;
  }

  public String name() {
    return name;
  }

  /** Always 127.0.0.1. */
  public String host() {
    return LOOPBACK;
  }

  /** The port; it stays the same across {@link Fault#REFUSE} and its clearing. */
  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}. */
  public String authority() {
    return LOOPBACK + ":" + port;
  }

  /** {@code http} or, for {@link #startTls}, {@code https}. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  /** {@code http://127.0.0.1:<port><pathAndQuery>} (https for a TLS origin). */
  public URI uri(String pathAndQuery) {
    return URI.create(scheme() + "://" + authority() + pathAndQuery);
  }

  /** The certificate a TLS origin presents, or null for plain HTTP. */
  public TestCertificate certificate() {
    return tlsCertificate;
  }

  // ---- scripting ----

  /** Answers requests for exactly this path (or exactly this target, query included). */
  public FakeOrigin handle(String path, Responder responder) {
    handlers.put(path, Objects.requireNonNull(responder, "responder"));
    return this;
  }

  /** Answers requests for this path with a fixed response. */
  public FakeOrigin handle(String path, Response response) {
    return handle(path, Responder.always(response));
  }

  /** Answers requests no {@link #handle handler} matches. The default names origin and target. */
  public FakeOrigin defaultResponder(Responder responder) {
    this.defaultResponder = Objects.requireNonNull(responder, "responder");
    return this;
  }

  // ---- faults ----

  /**
   * Sets the fault for every request (a fault for a request's own path wins over it). {@link
   * Fault#REFUSE} closes the listener and every open connection at once; replacing or clearing it
   * binds the same port again.
   */
  public FakeOrigin fault(Fault newFault) {
    Objects.requireNonNull(newFault, "fault (use clearFault() to clear it)");
    synchronized (lock) {
      setGlobalFault(newFault);
    }
    return this;
  }

  /** Sets the fault for requests to this path. {@link Fault#REFUSE} cannot apply to one path. */
  public FakeOrigin fault(String path, Fault newFault) {
    Objects.requireNonNull(newFault, "fault (use clearFault(path) to clear it)");
    if (newFault.kind() == Fault.Kind.REFUSE) {
      throw new IllegalArgumentException(
          "REFUSE closes the listening socket, so it applies to every request: use fault(REFUSE)");
    }
    synchronized (lock) {
      pathFaults.put(path, newFault);
      lock.notifyAll();
    }
    return this;
  }

  /** Clears the fault for every request (a REFUSE re-binds the port); path faults stay. */
  public FakeOrigin clearFault() {
    synchronized (lock) {
      setGlobalFault(null);
    }
    return this;
  }

  public FakeOrigin clearFault(String path) {
    synchronized (lock) {
      pathFaults.remove(path);
      lock.notifyAll();
    }
    return this;
  }

  /** Clears every fault; hung requests are then answered normally. */
  public FakeOrigin clearFaults() {
    synchronized (lock) {
      pathFaults.clear();
      setGlobalFault(null);
    }
    return this;
  }

  /** The fault for every request, or null. */
  public Fault currentFault() {
    synchronized (lock) {
      return fault;
    }
  }

  // ---- the gate ----

  /**
   * Makes every answer wait (after the request is read and recorded) until {@link #release()}. For
   * request-collapsing tests: hold, send N concurrent misses, await the first origin request,
   * release, then assert one origin request.
   */
  public FakeOrigin hold() {
    synchronized (lock) {
      held = true;
    }
    return this;
  }

  /** Lets the held answers, and every later one, go. */
  public FakeOrigin release() {
    synchronized (lock) {
      held = false;
      lock.notifyAll();
    }
    return this;
  }

  // ---- what was received ----

  /** Every request read so far, in arrival order. */
  public List<RecordedRequest> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  /** The requests whose path (without the query) is this one. */
  public List<RecordedRequest> requests(String path) {
    return requests().stream().filter(r -> r.path().equals(path)).toList();
  }

  public int requestCount() {
    synchronized (lock) {
      return requests.size();
    }
  }

  public int requestCount(String path) {
    return requests(path).size();
  }

  /** The most recent request, or null when there was none. */
  public RecordedRequest lastRequest() {
    synchronized (lock) {
      return requests.isEmpty() ? null : requests.get(requests.size() - 1);
    }
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    synchronized (lock) {
      requests.clear();
    }
  }

  /**
   * Waits until at least {@code count} requests have been read and returns them all.
   *
   * @throws AssertionError when the timeout passes first
   */
  public List<RecordedRequest> awaitRequestCount(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (requests.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "expected "
                  + count
                  + " requests at "
                  + name
                  + " within "
                  + timeout
                  + ", got "
                  + requests.size()
                  + ": "
                  + requests);
        }
        try {
          lock.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for requests", e);
        }
      }
      return List.copyOf(requests);
    }
  }

  /** How many connections were accepted since the start. */
  public int connectionCount() {
    synchronized (lock) {
      return acceptedConnections;
    }
  }

  /** How many connections are open now. */
  public int openConnectionCount() {
    synchronized (lock) {
      return connections.size();
    }
  }

  /** Closes every open connection now (cleanly), e.g. to make a client's pooled ones stale. */
  public void closeConnections() {
    synchronized (lock) {
      closeAllConnections();
    }
  }

  /** Closes the listener and every connection, releases held and hung requests, joins threads. */
  @Override
  public void close() {
    List<Thread> toJoin;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stopListening();
      closeAllConnections();
      lock.notifyAll();
      toJoin = new ArrayList<>(threads);
    }
    Thread self = Thread.currentThread();
    for (Thread thread : toJoin) {
      if (thread != self) {
        thread.interrupt();
      }
    }
    long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
    for (Thread thread : toJoin) {
      if (thread == self) {
        continue;
      }
      try {
        thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "FakeOrigin[" + name + " " + authority() + "]";
  }

  // ---- used by connections ----

  Responder responderFor(RecordedRequest request) {
    Responder responder = handlers.get(request.target());
    if (responder == null) {
      responder = handlers.get(request.path());
    }
    return responder != null ? responder : defaultResponder;
  }

  /** Records a request and wakes those awaiting a count. */
  RecordedRequest record(
      String method, String target, String version, Headers headers, byte[] body, int connId) {
    synchronized (lock) {
      RecordedRequest request =
          new RecordedRequest(method, target, version, headers, body, connId, requests.size() + 1);
      requests.add(request);
      lock.notifyAll();
      return request;
    }
  }

  /**
   * Waits out the gate and any HANG, then returns the fault that applies to this request (null for
   * none). Returns {@link Fault#CLOSE} when the origin or the connection was closed meanwhile, so
   * the caller simply stops.
   */
  Fault awaitTurn(OriginConnection connection, String path) throws InterruptedException {
    synchronized (lock) {
      while (true) {
        if (closed || connection.isClosed()) {
          return Fault.CLOSE;
        }
        Fault applicable = pathFaults.getOrDefault(path, fault);
        if (held || (applicable != null && applicable.kind() == Fault.Kind.HANG)) {
          lock.wait();
          continue;
        }
        return applicable;
      }
    }
  }

  void connectionClosed(OriginConnection connection) {
    synchronized (lock) {
      connections.remove(connection);
      threads.remove(Thread.currentThread());
      lock.notifyAll();
    }
  }

  // ---- listener management (all called with lock held) ----

  private ServerSocket bind(int port) {
    try {
      // Plain TCP even for TLS: connections are wrapped in TLS on their own thread, so a RESET
      // can abort the TCP connection underneath without a TLS close_notify first.
      ServerSocket socket = new ServerSocket();
      // Lets REFUSE-then-clear bind the same port again although connections linger in TIME_WAIT.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 128);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + LOOPBACK + ":" + port, e);
    }
  }

  private void setGlobalFault(Fault newFault) {
    if (closed) {
      fault = newFault;
      return;
    }
    boolean wasRefusing = fault != null && fault.kind() == Fault.Kind.REFUSE;
    boolean refusing = newFault != null && newFault.kind() == Fault.Kind.REFUSE;
    fault = newFault;
    if (refusing && !wasRefusing) {
      stopListening();
      closeAllConnections();
    } else if (wasRefusing && !refusing) {
      listener = bind(port);
      startAccepting();
    }
    lock.notifyAll();
  }

  private void startAccepting() {
    ServerSocket socket = listener;
    acceptor = new Thread(() -> acceptLoop(socket), "fake-origin-" + name + "-" + port + "-accept");
    acceptor.setDaemon(true);
    threads.add(acceptor);
    acceptor.start();
  }

  /**
   * Closes the listening socket and waits for the accept thread to leave. The wait matters: a
   * thread blocked in accept() keeps the kernel's listening socket alive until it is woken, so
   * without it a connection attempt right after REFUSE could still be accepted.
   */
  private void stopListening() {
    if (listener == null) {
      return;
    }
    try {
      listener.close();
    } catch (IOException ignored) {
      // Closing a listener only fails if it is already closed.
    }
    listener = null;
    Thread leaving = acceptor;
    acceptor = null;
    long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
    boolean interrupted = false;
    // wait() releases the lock, so the accept thread can finish a last accept and close it.
    while (leaving != null && threads.contains(leaving) && System.nanoTime() < deadline) {
      try {
        lock.wait(50);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeAllConnections() {
    for (OriginConnection connection : List.copyOf(connections)) {
      connection.close();
    }
    lock.notifyAll();
  }

  private void acceptLoop(ServerSocket socket) {
    try {
      while (true) {
        Socket accepted;
        try {
          accepted = socket.accept();
        } catch (IOException e) {
          return; // the listener was closed: REFUSE or close()
        }
        synchronized (lock) {
          if (closed || listener != socket) {
            closeQuietly(accepted);
            return;
          }
          acceptedConnections++;
          OriginConnection connection =
              new OriginConnection(this, accepted, acceptedConnections, tls, tlsProtocols);
          Thread thread =
              new Thread(connection::run, "fake-origin-" + name + "-conn-" + acceptedConnections);
          thread.setDaemon(true);
          connections.add(connection);
          threads.add(thread);
          thread.start();
        }
      }
    } finally {
      synchronized (lock) {
        threads.remove(Thread.currentThread());
        lock.notifyAll();
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing to do about a socket that cannot be closed.
    }
  }
}
