package io.bulwark.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Body assembly into one direct buffer, bounded by the object size limit. */
class BodyAccumulatorTest {

  static Stream<Arguments> rows() {
    return Stream.of(
        // rule, max bytes, expected length, chunk sizes, too large, final size
        arguments(
            "chunks under the limit assemble in order",
            100L,
            -1L,
            new int[] {10, 20, 30},
            false,
            60),
        arguments("exactly at the limit is kept", 60L, -1L, new int[] {30, 30}, false, 60),
        arguments(
            "one byte over the limit drops everything held", 59L, -1L, new int[] {30, 30}, true, 0),
        arguments(
            "declared length over the limit: too large before any byte",
            10L,
            11L,
            new int[] {},
            true,
            0),
        arguments(
            "declared length within the limit, filled in place",
            100L,
            60L,
            new int[] {25, 35},
            false,
            60),
        arguments(
            "unknown length grows past the first 16 KiB buffer",
            1_000_000L,
            -1L,
            new int[] {10_000, 10_000, 50_000},
            false,
            70_000),
        arguments("empty chunks are harmless", 10L, -1L, new int[] {0, 5, 0}, false, 5),
        arguments("no bytes at all: an empty body", 10L, -1L, new int[] {}, false, 0),
        arguments("a zero limit still takes an empty body", 0L, 0L, new int[] {}, false, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void accumulatesWithinTheLimit(
      String rule, long max, long expected, int[] chunks, boolean tooLarge, int size) {
    BodyAccumulator acc = new BodyAccumulator(max, expected);
    byte next = 0;
    boolean allAccepted = true;
    for (int n : chunks) {
      byte[] bytes = new byte[n];
      for (int i = 0; i < n; i++) {
        bytes[i] = next++;
      }
      allAccepted &= acc.append(ByteBuffer.wrap(bytes));
    }
    assertThat(acc.tooLarge()).isEqualTo(tooLarge);
    if (chunks.length > 0) {
      assertThat(allAccepted).isEqualTo(!tooLarge);
    }
    assertThat(acc.size()).isEqualTo(size);
    if (tooLarge) {
      assertThatThrownBy(acc::finish).isInstanceOf(IllegalStateException.class);
      return;
    }
    ByteBuffer body = acc.finish();
    assertThat(body.isDirect()).isTrue();
    assertThat(body.isReadOnly()).isTrue();
    assertThat(body.position()).isZero();
    assertThat(body.remaining()).isEqualTo(size);
    assertThat(body.capacity()).isEqualTo(size);
    for (int i = 0; i < size; i++) {
      assertThat(body.get(i)).isEqualTo((byte) i);
    }
  }

  @Test
  void appendLeavesTheChunkPositionAlone() {
    BodyAccumulator acc = new BodyAccumulator(100);
    ByteBuffer chunk = ByteBuffer.allocateDirect(8);
    chunk.put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).flip();
    chunk.position(3);
    assertThat(acc.append(chunk)).isTrue();
    assertThat(chunk.position()).isEqualTo(3);
    ByteBuffer body = acc.finish();
    assertThat(body.remaining()).isEqualTo(5);
    assertThat(body.get(0)).isEqualTo((byte) 4);
  }

  @Test
  void abortDiscardsAndRefusesEverythingAfter() {
    BodyAccumulator acc = new BodyAccumulator(100);
    acc.append(ByteBuffer.wrap(new byte[10]));
    acc.abort();
    assertThat(acc.size()).isZero();
    assertThat(acc.append(ByteBuffer.wrap(new byte[1]))).isFalse();
    assertThatThrownBy(acc::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void afterOverflowLaterChunksAreIgnored() {
    BodyAccumulator acc = new BodyAccumulator(5);
    assertThat(acc.append(ByteBuffer.wrap(new byte[6]))).isFalse();
    assertThat(acc.append(ByteBuffer.wrap(new byte[1]))).isFalse();
    assertThat(acc.tooLarge()).isTrue();
    assertThat(acc.size()).isZero();
  }

  @Test
  void aBodyShorterThanItsDeclaredLengthIsNeverFinished() {
    BodyAccumulator acc = new BodyAccumulator(100, 50);
    acc.append(ByteBuffer.wrap(new byte[20]));
    assertThatThrownBy(acc::finish)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("truncated");
    assertThat(acc.size()).isZero();
  }

  @Test
  void aBodyLongerThanItsDeclaredLengthIsNeverFinished() {
    BodyAccumulator acc = new BodyAccumulator(100, 10);
    assertThat(acc.append(ByteBuffer.wrap(new byte[8]))).isTrue();
    assertThat(acc.append(ByteBuffer.wrap(new byte[3]))).isFalse();
    assertThat(acc.size()).isZero();
    assertThatThrownBy(acc::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void finishIsOnceAndAppendAfterFinishIsAnError() {
    BodyAccumulator acc = new BodyAccumulator(100);
    acc.append(ByteBuffer.wrap(new byte[3]));
    acc.finish();
    assertThatThrownBy(acc::finish).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> acc.append(ByteBuffer.wrap(new byte[1])))
        .isInstanceOf(IllegalStateException.class);
  }
}
