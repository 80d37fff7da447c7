package io.bulwark.edge;

import static io.bulwark.edge.EdgeFixture.xCache;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Fault;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seed 002 section 3's failover table, end to end: real origins on loopback that answer a status,
 * refuse, reset or hang, and an edge in front of them.
 */
class EdgeFailoverTest {
  private FakeOrigin primary;
  private FakeOrigin secondary;
  private EdgeFixture edge;

  @BeforeEach
  void start() throws Exception {
    primary = FakeOrigin.start("primary");
    secondary = FakeOrigin.start("secondary");
    primary.defaultResponder(r -> Response.ok("primary"));
    secondary.defaultResponder(r -> Response.ok("secondary"));
    edge = EdgeFixture.start(EdgeFixture.twoOrigins(primary.port(), secondary.port()));
  }

  @AfterEach
  void stop() {
    edge.close();
    primary.close();
    secondary.close();
  }

  @ParameterizedTest(name = "listed status {0} fails over (GET)")
  @ValueSource(ints = {500, 502, 503, 504, 408})
  void listedStatusFailsOver(int status) throws Exception {
    primary.fault(Fault.status(status));
    HttpResponse<String> r = edge.get("/nocache/x");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("secondary");
    assertThat(primary.requestCount()).isEqualTo(1);
    assertThat(secondary.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "listed 4xx {0} fails over in a group that lists it")
  @ValueSource(ints = {403, 404})
  void listedClientErrorFailsOver(int status) throws Exception {
    primary.fault(Fault.status(status));
    HttpResponse<String> r = edge.get("/four/x");
    assertThat(r.body()).isEqualTo("secondary");
  }

  @ParameterizedTest(name = "unlisted status {0} is returned, never failed over")
  @ValueSource(ints = {429, 400, 401, 403, 404, 410, 501})
  void unlistedStatusIsAnAnswer(int status) throws Exception {
    primary.fault(Fault.status(status));
    HttpResponse<String> r = edge.get("/nocache/x");
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(secondary.requestCount()).isZero();
  }

  @Test
  void headAndOptionsFailOver() throws Exception {
    primary.fault(Fault.status(503));
    assertThat(edge.send("HEAD", "/nocache/x", null).statusCode()).isEqualTo(200);
    assertThat(edge.send("OPTIONS", "/nocache/x", null).statusCode()).isEqualTo(200);
    assertThat(secondary.requests()).extracting(r -> r.method()).containsExactly("HEAD", "OPTIONS");
  }

  @ParameterizedTest(name = "{0} is never replayed against the secondary")
  @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
  void writesNeverFailOver(String method) throws Exception {
    primary.fault(Fault.status(503));
    HttpResponse<String> r = edge.send(method, "/nocache/x", "payload");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(secondary.requestCount()).isZero();
    assertThat(primary.lastRequest().bodyText()).isEqualTo("payload");
  }

  @Test
  void postOnARefusedPrimaryIsNotReplayed() throws Exception {
    primary.fault(Fault.REFUSE);
    HttpResponse<String> r = edge.send("POST", "/nocache/x", "payload");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(xCache(r)).isEqualTo("Error from bulwark");
    assertThat(secondary.requestCount()).isZero();
  }

  @Test
  void connectionRefusedFailsOver() throws Exception {
    primary.fault(Fault.REFUSE);
    HttpResponse<String> r = edge.get("/nocache/x");
    assertThat(r.body()).isEqualTo("secondary");
  }

  @Test
  void connectionResetFailsOver() throws Exception {
    primary.fault(Fault.RESET);
    HttpResponse<String> r = edge.get("/nocache/x");
    assertThat(r.body()).isEqualTo("secondary");
    assertThat(primary.requestCount()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void closeWithoutAnswerFailsOver() throws Exception {
    primary.fault(Fault.CLOSE);
    assertThat(edge.get("/nocache/x").body()).isEqualTo("secondary");
  }

  @Test
  void responseTimeoutFailsOver() throws Exception {
    primary.fault(Fault.HANG); // the primary's response timeout is 1 s
    HttpResponse<String> r = edge.get("/nocache/x");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("secondary");
  }

  @Test
  void aTimeoutOnAPooledConnectionFailsOverWithoutASecondAttempt() throws Exception {
    assertThat(edge.get("/nocache/warm").body()).isEqualTo("primary"); // leaves a pooled connection
    primary.fault(Fault.HANG);
    HttpResponse<String> r = edge.get("/nocache/x");
    assertThat(r.body()).isEqualTo("secondary");
    // One hung attempt, not a "stale connection" retry that would wait a second timeout.
    assertThat(primary.requestCount()).isEqualTo(2);
  }

  @Test
  void aResetPooledConnectionIsRetriedFreshBeforeFailingOver() throws Exception {
    assertThat(edge.get("/nocache/warm").body()).isEqualTo("primary");
    primary.closeConnections(); // the origin closed its idle keep-alive connection
    HttpResponse<String> r = edge.get("/nocache/y");
    assertThat(r.body()).isEqualTo("primary");
    assertThat(secondary.requestCount()).isZero();
  }

  @Test
  void bothFailingGivesTheLastAnswer() throws Exception {
    primary.fault(Fault.status(503));
    secondary.fault(Fault.status(502));
    HttpResponse<String> r = edge.get("/nocache/x");
    assertThat(r.statusCode()).isEqualTo(502);
  }

  @Test
  void bothUnreachableGives502FromTheEdge() throws Exception {
    primary.fault(Fault.REFUSE);
    secondary.fault(Fault.REFUSE);
    HttpResponse<String> r = edge.get("/nocache/x");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(xCache(r)).isEqualTo("Error from bulwark");
  }

  @Test
  void aBehaviorNamingAnOriginDirectlyHasNoFailover() throws Exception {
    primary.fault(Fault.status(503));
    assertThat(edge.get("/direct/x").statusCode()).isEqualTo(503);
    assertThat(secondary.requestCount()).isZero();
  }

  @Test
  void failedPrimaryResponseIsNeverCachedOrSent() throws Exception {
    primary.fault(Fault.status(503));
    HttpResponse<String> r = edge.get("/cached-page");
    assertThat(r.body()).isEqualTo("secondary");
    assertThat(xCache(r)).isEqualTo("Miss from bulwark");
    primary.clearFaults();
    HttpResponse<String> again = edge.get("/cached-page");
    assertThat(xCache(again)).isEqualTo("Hit from bulwark");
    assertThat(again.body()).isEqualTo("secondary");
  }
}
