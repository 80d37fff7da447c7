package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.OriginSpec;
import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Fault;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The edge reads the health graph: a member whose check is down is tried last. */
class HealthAwareFailoverTest {
  private static OriginSpec origin(String id, String check) {
    return new OriginSpec(
        id,
        "127.0.0.1",
        80,
        443,
        null,
        "",
        OriginSpec.OriginProtocolPolicy.HTTP_ONLY,
        "TLSv1.2",
        true,
        1,
        java.time.Duration.ofSeconds(1),
        java.time.Duration.ofSeconds(1),
        java.time.Duration.ofSeconds(5),
        List.of(),
        check);
  }

  @ParameterizedTest(name = "down={0} -> order {1}")
  @CsvSource({
    "'',        a b c",
    "ca,        b c a",
    "cb,        a c b",
    "ca cb,     c a b",
    "ca cb cc,  a b c", // all down: configured order
  })
  void attemptOrder(String down, String expected) {
    Set<String> downChecks = Set.of(down.isBlank() ? new String[0] : down.trim().split(" "));
    List<OriginSpec> members = List.of(origin("a", "ca"), origin("b", "cb"), origin("c", "cc"));
    List<OriginSpec> order =
        io.bulwark.edge.internal.FailoverPolicy.attemptOrder(
            members, id -> !downChecks.contains(id));
    assertThat(order).extracting(OriginSpec::id).containsExactly(expected.split(" "));
  }

  @Test
  void anOriginWithoutACheckCountsAsHealthy() {
    List<OriginSpec> members = List.of(origin("a", null), origin("b", "cb"));
    assertThat(io.bulwark.edge.internal.FailoverPolicy.attemptOrder(members, id -> false))
        .extracting(OriginSpec::id)
        .containsExactly("a", "b");
  }

  @Test
  void aHungPrimaryMarkedDownIsNeverWaitedOn() throws Exception {
    try (FakeOrigin primary = FakeOrigin.start("primary");
        FakeOrigin secondary = FakeOrigin.start("secondary")) {
      secondary.defaultResponder(r -> Response.ok("secondary"));
      primary.fault(Fault.HANG);
      ConcurrentHashMap<String, Boolean> health = new ConcurrentHashMap<>();
      health.put("primary-check", false);
      String yaml =
          EdgeFixture.twoOrigins(primary.port(), secondary.port())
              .replace(
                  "    custom-headers:\n      X-Origin-Verify: {env: SECRET}\n  - id: secondary",
                  "    health-check: primary-check\n    custom-headers:\n      X-Origin-Verify: {env: SECRET}\n  - id: secondary")
              .replace("response-timeout: 1s", "response-timeout: 30s");
      assertThat(yaml).contains("health-check: primary-check");
      try (EdgeFixture edge = EdgeFixture.start(yaml, id -> health.getOrDefault(id, true))) {
        for (int i = 0; i < 5; i++) {
          HttpResponse<String> r = edge.get("/nocache/x" + i);
          assertThat(r.body()).isEqualTo("secondary");
        }
        // No request went to the hung primary: none waited for its 30 s response timeout.
        assertThat(primary.requestCount()).isZero();
        health.put("primary-check", true);
        primary.clearFaults();
        primary.defaultResponder(r -> Response.ok("primary"));
        assertThat(edge.get("/nocache/back").body()).isEqualTo("primary");
      }
    }
  }
}
