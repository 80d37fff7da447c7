package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Fault;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: 64 concurrent clients GET an uncacheable path while the primary is killed (refuses
 * connections, its open connections dropped), then hung, then resetting connections: no viewer sees
 * a failed response. The load is bounded by count, and each phase starts when the previous one has
 * served its share, so the test does not depend on timing.
 */
class EdgeFailoverLoadTest {
  private static final int CLIENTS = 64;
  private static final int PER_PHASE = 640;

  @Test
  void zeroFailedResponsesWhilePrimaryIsKilledHungAndReset() throws Exception {
    try (FakeOrigin primary = FakeOrigin.start("primary");
        FakeOrigin secondary = FakeOrigin.start("secondary")) {
      primary.defaultResponder(r -> Response.ok("primary"));
      secondary.defaultResponder(r -> Response.ok("secondary"));
      try (EdgeFixture edge =
          EdgeFixture.start(EdgeFixture.twoOrigins(primary.port(), secondary.port()))) {
        Fault[] phases = {null, Fault.REFUSE, Fault.HANG, Fault.RESET, null};
        AtomicInteger served = new AtomicInteger();
        AtomicInteger phase = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        int total = PER_PHASE * phases.length;
        CountDownLatch done = new CountDownLatch(CLIENTS);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          futures.add(
              pool.submit(
                  () -> {
                    try {
                      while (served.get() < total) {
                        try {
                          HttpResponse<String> r = edge.get("/nocache/load");
                          if (r.statusCode() != 200) {
                            failures.add("status " + r.statusCode() + " in phase " + phase.get());
                          }
                        } catch (Exception e) {
                          failures.add(e + " in phase " + phase.get());
                        }
                        int n = served.incrementAndGet();
                        if (n % PER_PHASE == 0 && n / PER_PHASE < phases.length) {
                          int p = n / PER_PHASE;
                          phase.set(p);
                          Fault f = phases[p];
                          if (f == null) {
                            primary.clearFaults();
                          } else {
                            primary.clearFaults();
                            primary.fault(f);
                          }
                        }
                      }
                    } finally {
                      done.countDown();
                    }
                  }));
        }
        assertThat(done.await(5, TimeUnit.MINUTES)).as("load finished").isTrue();
        pool.shutdownNow();
        for (Future<?> f : futures) {
          f.get();
        }
        assertThat(failures).as("failed viewer responses").isEmpty();
        assertThat(served.get()).isGreaterThanOrEqualTo(total);
        assertThat(secondary.requestCount()).as("the secondary took over").isGreaterThan(0);
      }
    }
  }
}
