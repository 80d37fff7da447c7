package io.bulwark.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * A way for the fake origin to misbehave, set with {@link FakeOrigin#fault(Fault)} (every request)
 * or {@link FakeOrigin#fault(String, Fault)} (one path). Every fault is real on the wire: a client
 * sees exactly what it would see from a broken server.
 */
public final class Fault {

  /** What the origin does instead of (or while) answering. */
  public enum Kind {
    /** Answers the given status with a small text body, keeping the connection open. */
    STATUS,
    /** Reads the request, then resets the connection (SO_LINGER 0, so the peer gets a RST). */
    RESET,
    /** Reads the request, then closes the connection cleanly (FIN) without answering. */
    CLOSE,
    /** Reads the request and never answers, until the fault is cleared or the origin closed. */
    HANG,
    /** Sends the headers promising the whole body, then half of it, then closes. */
    TRUNCATE,
    /** Sends the headers at once, then the body in small pieces with a pause between them. */
    SLOW,
    /** Closes the listening socket: connection attempts are refused. Only for every request. */
    REFUSE
  }

  public static final Fault RESET = new Fault(Kind.RESET, 0, 0, Duration.ZERO);
  public static final Fault CLOSE = new Fault(Kind.CLOSE, 0, 0, Duration.ZERO);
  public static final Fault HANG = new Fault(Kind.HANG, 0, 0, Duration.ZERO);
  public static final Fault TRUNCATE = new Fault(Kind.TRUNCATE, 0, 0, Duration.ZERO);
  public static final Fault REFUSE = new Fault(Kind.REFUSE, 0, 0, Duration.ZERO);

  /** 8 bytes every 50 ms. */
  public static final Fault SLOW = slow(8, Duration.ofMillis(50));

  private final Kind kind;
  private final int status;
  private final int pieceSize;
  private final Duration pause;

  private Fault(Kind kind, int status, int pieceSize, Duration pause) {
    this.kind = kind;
    this.status = status;
    this.pieceSize = pieceSize;
    this.pause = pause;
  }

  /** Answer this status to every affected request, with body {@code "fault: <status>"}. */
  public static Fault status(int status) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("a status code has three digits, got " + status);
    }
    return new Fault(Kind.STATUS, status, 0, Duration.ZERO);
  }

  /** Send the body {@code pieceSize} bytes at a time, pausing {@code pause} before each piece. */
  public static Fault slow(int pieceSize, Duration pause) {
    if (pieceSize < 1) {
      throw new IllegalArgumentException("a piece holds at least one byte");
    }
    if (pause.isNegative()) {
      throw new IllegalArgumentException("the pause cannot be negative");
    }
    return new Fault(Kind.SLOW, 0, pieceSize, pause);
  }

  public Kind kind() {
    return kind;
  }

  /** The status a {@link Kind#STATUS} fault answers; 0 for the others. */
  public int status() {
    return status;
  }

  /** The piece size of a {@link Kind#SLOW} fault; 0 for the others. */
  public int pieceSize() {
    return pieceSize;
  }

  /** The pause of a {@link Kind#SLOW} fault; zero for the others. */
  public Duration pause() {
    return pause;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fault f
        && f.kind == kind
        && f.status == status
        && f.pieceSize == pieceSize
        && f.pause.equals(pause);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, status, pieceSize, pause);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case STATUS -> "STATUS(" + status + ")";
      case SLOW -> "SLOW(" + pieceSize + " bytes every " + pause.toMillis() + " ms)";
      default -> kind.name();
    };
  }
}
