package io.bulwark.cache;

import java.nio.ByteBuffer;

/**
 * Collects a response body as its chunks arrive from the origin, into ONE direct buffer that
 * becomes the cached body, bounded by the largest object the store accepts.
 *
 * <ul>
 *   <li>{@link #append} copies the chunk's remaining bytes (without moving the chunk's position).
 *       When the total would exceed {@code maxObjectBytes}, everything held is dropped at once and
 *       the accumulator reports {@link #tooLarge()}: the rest of the body streams through uncached,
 *       and memory never holds more than the limit for one response.
 *   <li>{@link #finish()} returns the body as a read-only direct buffer of exactly the bytes
 *       received. With a correct expected length (Content-Length) the buffer is allocated once and
 *       filled in place; otherwise it grows by doubling and is copied once to its exact size.
 *   <li>{@link #abort()} discards it all: a body that did not arrive whole (reset, timeout,
 *       premature close) is never stored. As a guard, a body that runs past the expected length is
 *       aborted by {@link #append}, and one that ends short of it is refused by {@link #finish()}.
 * </ul>
 *
 * <p>Direct memory is released by the JDK's cleaner when the buffer becomes garbage; nothing is
 * reference-counted. Not thread-safe: one accumulator belongs to one origin response, fed from its
 * event loop.
 */
public final class BodyAccumulator {
  /** The largest body one ByteBuffer can hold (what the JDK allows for an array-sized buffer). */
  public static final int MAX_BODY_BYTES = Integer.MAX_VALUE - 8;

  private static final int INITIAL_CAPACITY = 16 * 1024;

  private final long maxObjectBytes;
  private final long expectedLength;
  private ByteBuffer buffer;
  private int size;
  private State state = State.OPEN;

  private enum State {
    OPEN,
    TOO_LARGE,
    ABORTED,
    FINISHED
  }

  /**
   * @param maxObjectBytes the largest body kept (capped at {@link #MAX_BODY_BYTES})
   * @param expectedLength the Content-Length if known, else -1; a value above the limit makes the
   *     accumulator too large at once
   */
  public BodyAccumulator(long maxObjectBytes, long expectedLength) {
    if (maxObjectBytes < 0) {
      throw new IllegalArgumentException(
          "maxObjectBytes must not be negative, got " + maxObjectBytes);
    }
    maxObjectBytes = Math.min(maxObjectBytes, MAX_BODY_BYTES);
    this.maxObjectBytes = maxObjectBytes;
    this.expectedLength = expectedLength;
    if (expectedLength > maxObjectBytes) {
      state = State.TOO_LARGE;
    } else if (expectedLength >= 0) {
      buffer = ByteBuffer.allocateDirect((int) expectedLength);
    }
  }

  /** An accumulator with no expected length. */
  public BodyAccumulator(long maxObjectBytes) {
    this(maxObjectBytes, -1);
  }

  /**
   * Appends the chunk's remaining bytes; the chunk's position is left as it was.
   *
   * @return false when the body is (now) too large, longer than the expected length, or was
   *     aborted; nothing is held then
   */
  public boolean append(ByteBuffer chunk) {
    if (state != State.OPEN) {
      if (state == State.FINISHED) {
        throw new IllegalStateException("append after finish()");
      }
      return false;
    }
    int n = chunk.remaining();
    if (size + (long) n > maxObjectBytes) {
      state = State.TOO_LARGE;
      buffer = null;
      size = 0;
      return false;
    }
    if (expectedLength >= 0 && size + (long) n > expectedLength) {
      abort(); // more than Content-Length: a broken message, never stored
      return false;
    }
    if (n == 0) {
      return true;
    }
    ensureCapacity(size + n);
    buffer.put(size, chunk, chunk.position(), n);
    size += n;
    return true;
  }

  private void ensureCapacity(int needed) {
    int capacity = buffer == null ? 0 : buffer.capacity();
    if (needed <= capacity) {
      return;
    }
    long grown = Math.max(needed, capacity == 0 ? INITIAL_CAPACITY : 2L * capacity);
    int newCapacity = (int) Math.min(grown, maxObjectBytes);
    ByteBuffer bigger = ByteBuffer.allocateDirect(newCapacity);
    if (size > 0) {
      bigger.put(0, buffer, 0, size);
    }
    buffer = bigger;
  }

  /** Bytes held so far (0 once too large or aborted). */
  public int size() {
    return size;
  }

  /** True once the body exceeded the limit; the response then streams through uncached. */
  public boolean tooLarge() {
    return state == State.TOO_LARGE;
  }

  /**
   * The whole body as a read-only direct buffer (position 0, limit = size).
   *
   * <p>The edge calls this only after the origin's response ended normally; on a reset, timeout or
   * premature close it calls {@link #abort()}. As a last guard, a body whose length differs from
   * the declared expected length is refused here too.
   *
   * @throws IllegalStateException if too large, aborted, already finished, or shorter or longer
   *     than the expected length given to the constructor (the accumulator is then aborted)
   */
  public ByteBuffer finish() {
    if (state != State.OPEN) {
      throw new IllegalStateException("cannot finish a body that is " + state);
    }
    if (expectedLength >= 0 && size != expectedLength) {
      long got = size;
      abort();
      throw new IllegalStateException(
          "body has "
              + got
              + " bytes but "
              + expectedLength
              + " were expected: a truncated body is never stored");
    }
    state = State.FINISHED;
    ByteBuffer out;
    if (buffer == null) {
      out = ByteBuffer.allocateDirect(0);
    } else if (buffer.capacity() == size) {
      out = buffer;
    } else {
      out = ByteBuffer.allocateDirect(size);
      out.put(0, buffer, 0, size);
    }
    buffer = null;
    return out.clear().asReadOnlyBuffer();
  }

  /** Discards everything; later appends are ignored and {@link #finish()} fails. */
  public void abort() {
    if (state == State.OPEN || state == State.TOO_LARGE) {
      state = State.ABORTED;
    }
    buffer = null;
    size = 0;
  }
}
