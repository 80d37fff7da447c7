package io.bulwark.dns;

import static io.bulwark.dns.DnsClient.query;
import static io.bulwark.dns.DnsClient.rdata;
import static io.bulwark.dns.Sets.a;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.bulwark.core.ManualClock;
import io.bulwark.health.CheckSpec;
import io.bulwark.health.CheckType;
import io.bulwark.health.CheckerStatus;
import io.bulwark.health.HealthPlane;
import io.bulwark.health.ManualProbeTimer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * Acceptance 2: the primary's health-check target, a real HTTP server on loopback, starts answering
 * 503; within failure threshold × interval (plus one interval) the DNS answer flips to the
 * secondary, and flips back after it recovers.
 */
class FailoverTest {
  private HttpServer origin;
  private volatile int status = 200;
  private HealthPlane plane;
  private DnsServer dns;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    origin.createContext(
        "/healthz",
        exchange -> {
          byte[] body = (status == 200 ? "ok" : "down").getBytes();
          exchange.sendResponseHeaders(status, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    origin.start();
  }

  @AfterEach
  void stop() {
    if (dns != null) {
      dns.close();
    }
    if (plane != null) {
      plane.close();
    }
    origin.stop(0);
  }

  private CheckSpec.Builder check() {
    return CheckSpec.builder("primary-origin", CheckType.HTTP)
        .host("127.0.0.1")
        .port(origin.getAddress().getPort())
        .resourcePath("/healthz");
  }

  private void startDns() throws IOException {
    Zone zone =
        Sets.zone(
            "example.test.",
            a(
                "www.example.test.",
                "primary",
                new Routing.Failover(Routing.Role.PRIMARY),
                "primary-origin",
                "127.0.0.10"),
            a(
                "www.example.test.",
                "secondary",
                new Routing.Failover(Routing.Role.SECONDARY),
                null,
                "127.0.0.20"));
    dns = DnsServer.start(DnsSettings.of("127.0.0.1", 0, List.of(zone)), plane.graph()::isHealthy);
  }

  private String answer() throws IOException {
    List<String> r = rdata(DnsClient.udp(dns.udpAddress(), query("www.example.test.", Type.A)));
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @Test
  void flipsWithinThresholdTimesIntervalOnAnInjectedClock() throws IOException {
    ManualProbeTimer timer = new ManualProbeTimer(ManualClock.atDefaultStart());
    // Route 53's defaults but 10 s: interval 10 s, threshold 3, three checkers with the 18% quorum.
    CheckSpec spec =
        check()
            .requestInterval(Duration.ofSeconds(10))
            .failureThreshold(3)
            .checkers(3)
            .timeout(Duration.ofSeconds(2))
            .build();
    plane = HealthPlane.start(List.of(spec), HealthPlane.Options.manual(timer, 5));
    startDns();
    step(timer, Duration.ofSeconds(10));
    assertThat(answer()).isEqualTo("127.0.0.10");

    Duration bound =
        spec.requestInterval().multipliedBy(spec.failureThreshold()).plus(spec.requestInterval());
    status = 503;
    Instant broke = timer.clock().instant();
    while (answer().equals("127.0.0.10")) {
      assertThat(Duration.between(broke, timer.clock().instant())).isLessThan(bound);
      step(timer, Duration.ofSeconds(1));
    }
    assertThat(answer()).isEqualTo("127.0.0.20");
    // It took the threshold, not one bad probe.
    assertThat(Duration.between(broke, timer.clock().instant()))
        .isGreaterThan(Duration.ofSeconds(20));

    status = 200;
    Instant fixed = timer.clock().instant();
    while (answer().equals("127.0.0.20")) {
      assertThat(Duration.between(fixed, timer.clock().instant())).isLessThan(bound);
      step(timer, Duration.ofSeconds(1));
    }
    assertThat(answer()).isEqualTo("127.0.0.10");
  }

  /** Advances one second at a time, waiting for the probes each second started to report. */
  private void step(ManualProbeTimer timer, Duration d) {
    for (long i = 0; i < d.toSeconds(); i++) {
      timer.advance(Duration.ofSeconds(1));
      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  plane.graph().status().stream()
                      .flatMap(s -> s.checkers().stream())
                      .noneMatch(CheckerStatus::inFlight));
    }
  }

  @Test
  void flipsAndRecoversInRealTimeWithShortIntervals() throws IOException {
    CheckSpec spec =
        check()
            .requestInterval(Duration.ofSeconds(1))
            .failureThreshold(2)
            .checkers(1)
            .timeout(Duration.ofMillis(800))
            .build();
    plane = HealthPlane.start(List.of(spec));
    startDns();
    assertThat(answer()).isEqualTo("127.0.0.10");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> plane.graph().status("primary-origin").checkers().get(0).probes() > 0);

    // threshold x interval + one interval = 3 s; the bound adds 3 s for a loaded machine.
    Duration bound = Duration.ofSeconds(2 * 1 + 1 + 3);
    status = 503;
    await()
        .atMost(bound)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> answer().equals("127.0.0.20"));
    assertThat(plane.graph().status("primary-origin").checkers().get(0).last().reason())
        .isEqualTo("status 503");
    status = 200;
    await()
        .atMost(bound)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> answer().equals("127.0.0.10"));
    assertThat(plane.graph().status("primary-origin").transitions()).hasSize(2);
  }
}
