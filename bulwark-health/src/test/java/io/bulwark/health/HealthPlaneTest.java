package io.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.core.ManualClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Probes against real loopback servers, with time driven by a {@link ManualProbeTimer}. */
class HealthPlaneTest {
  private final ManualProbeTimer timer = new ManualProbeTimer(ManualClock.atDefaultStart());
  private FakeOrigin origin;
  private HealthPlane plane;

  @AfterEach
  void stop() throws IOException {
    if (plane != null) {
      plane.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  private CheckSpec.Builder http(String id, int port) {
    return CheckSpec.builder(id, CheckType.HTTP)
        .host("127.0.0.1")
        .port(port)
        .resourcePath("/healthz")
        .requestInterval(Duration.ofSeconds(10))
        .timeout(Duration.ofSeconds(2))
        .checkers(1)
        .failureThreshold(1);
  }

  private void start(CheckSpec... specs) {
    plane = HealthPlane.start(List.of(specs), HealthPlane.Options.manual(timer, 42));
  }

  /**
   * Advances by {@code d} one second at a time (less than any probe timeout here, so a probe
   * started in a step cannot also time out in it), waiting after each second for the probes it
   * started to report.
   */
  private void step(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      timer.advance(Duration.ofSeconds(1));
      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  plane.graph().status().stream()
                      .flatMap(c -> c.checkers().stream())
                      .noneMatch(CheckerStatus::inFlight));
    }
  }

  private ProbeResult last(String id) {
    return plane.graph().status(id).checkers().get(0).last();
  }

  private ProbeResult probeOnce(CheckSpec spec) {
    start(spec);
    step(spec.requestInterval());
    return last(spec.id());
  }

  @Test
  void failoverClockIsThresholdTimesInterval() throws IOException {
    origin = new FakeOrigin();
    start(http("primary", origin.port()).failureThreshold(3).build());
    step(Duration.ofSeconds(10));
    assertThat(last("primary").reason()).isEqualTo("status 200");
    assertThat(origin.lastRequest).startsWith("GET /healthz HTTP/1.1").contains("host: 127.0.0.1:");

    origin.status = 503;
    Instant broke = timer.clock().instant();
    while (plane.graph().isHealthy("primary")) {
      step(Duration.ofSeconds(1));
      assertThat(Duration.between(broke, timer.clock().instant()))
          .isLessThanOrEqualTo(Duration.ofSeconds(40));
    }
    Duration detection = Duration.between(broke, timer.clock().instant());
    assertThat(detection).isGreaterThan(Duration.ofSeconds(19)); // three probes, not one
    assertThat(last("primary").reason()).isEqualTo("status 503");

    origin.status = 200;
    Instant fixed = timer.clock().instant();
    while (!plane.graph().isHealthy("primary")) {
      step(Duration.ofSeconds(1));
      assertThat(Duration.between(fixed, timer.clock().instant()))
          .isLessThanOrEqualTo(Duration.ofSeconds(40));
    }
    assertThat(plane.graph().status("primary").transitions())
        .extracting(Transition::healthy)
        .containsExactly(false, true);
  }

  @Test
  void stringMatchReadsOnlyTheFirst5120Bytes() throws IOException {
    origin = new FakeOrigin();
    origin.body = bodyWithNeedleAt(5120 - "READY".length());
    CheckSpec spec = http("sm", origin.port()).searchString("READY").build();
    CheckSpec match =
        CheckSpec.builder("sm", CheckType.HTTP_STR_MATCH)
            .host("127.0.0.1")
            .port(origin.port())
            .searchString("READY")
            .checkers(1)
            .failureThreshold(1)
            .requestInterval(spec.requestInterval())
            .timeout(Duration.ofSeconds(2))
            .build();
    assertThat(probeOnce(match).reason()).isEqualTo("status 200, string found");
    plane.close();

    origin.body = bodyWithNeedleAt(5120 - "READY".length() + 1);
    plane = null;
    ProbeResult r = probeOnce(match);
    assertThat(r.healthy()).isFalse();
    assertThat(r.reason()).isEqualTo("string not found");
  }

  private static byte[] bodyWithNeedleAt(int offset) {
    byte[] b = new byte[offset + 10_000];
    java.util.Arrays.fill(b, (byte) 'x');
    System.arraycopy("READY".getBytes(StandardCharsets.US_ASCII), 0, b, offset, 5);
    return b;
  }

  @Test
  void stringMatchStillNeedsAGoodStatus() throws IOException {
    origin = new FakeOrigin();
    origin.status = 500;
    origin.body = "READY".getBytes(StandardCharsets.US_ASCII);
    CheckSpec match =
        CheckSpec.builder("sm", CheckType.HTTP_STR_MATCH)
            .host("127.0.0.1")
            .port(origin.port())
            .searchString("READY")
            .checkers(1)
            .requestInterval(Duration.ofSeconds(10))
            .timeout(Duration.ofSeconds(2))
            .build();
    assertThat(probeOnce(match).reason()).isEqualTo("status 500");
  }

  @Test
  void expectedStatusRangeIsConfigurable() throws IOException {
    origin = new FakeOrigin();
    origin.status = 404;
    ProbeResult r = probeOnce(http("h", origin.port()).statusRange(200, 404).build());
    assertThat(r.healthy()).isTrue();
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.latency()).isNotNull();
  }

  @Test
  void connectionRefused() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThat(probeOnce(http("h", port).build()).reason()).isEqualTo("connection refused");
  }

  @Test
  void tcpCheck() throws IOException {
    origin = new FakeOrigin();
    CheckSpec tcp =
        CheckSpec.builder("t", CheckType.TCP)
            .address("127.0.0.1")
            .port(origin.port())
            .checkers(1)
            .requestInterval(Duration.ofSeconds(10))
            .build();
    ProbeResult r = probeOnce(tcp);
    assertThat(r.healthy()).isTrue();
    assertThat(r.reason()).isEqualTo("connected");
  }

  @Test
  void aHungTargetTimesOutAndProbesNeverPileUp() throws IOException {
    origin = new FakeOrigin();
    origin.hang = true;
    start(http("h", origin.port()).failureThreshold(2).build());
    for (int i = 0; i < 50; i++) {
      timer.advance(Duration.ofSeconds(1));
      // A probe in flight has reached the origin and hangs there; none in flight, none open.
      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  origin.hanging.get()
                      == (plane.graph().status("h").checkers().get(0).inFlight() ? 1 : 0));
    }
    CheckStatus s = plane.graph().status("h");
    assertThat(s.healthy()).isFalse();
    assertThat(s.checkers().get(0).last().reason()).isEqualTo("timeout");
    assertThat(s.checkers().get(0).probes()).isBetween(4L, 6L);
    assertThat(origin.maxOpen.get()).isEqualTo(1);
  }

  @Test
  void severalCheckersProbeIndependently() throws IOException {
    origin = new FakeOrigin();
    start(http("q", origin.port()).checkers(3).build());
    step(Duration.ofSeconds(10));
    CheckStatus s = plane.graph().status("q");
    assertThat(s.checkers())
        .extracting(CheckerStatus::checkerId)
        .containsExactly("local-1", "local-2", "local-3");
    assertThat(s.checkers()).allSatisfy(c -> assertThat(c.probes()).isBetween(1L, 2L));
    assertThat(origin.connections.get()).isBetween(3, 6);
  }

  @Test
  void disabledAndCalculatedChecksDoNotProbe() throws IOException {
    origin = new FakeOrigin();
    start(
        http("off", origin.port()).disabled(true).build(),
        CheckSpec.builder("calc", CheckType.CALCULATED).children(List.of("off")).build());
    step(Duration.ofSeconds(30));
    assertThat(origin.connections.get()).isZero();
    assertThat(plane.graph().isHealthy("calc")).isTrue();
  }
}
