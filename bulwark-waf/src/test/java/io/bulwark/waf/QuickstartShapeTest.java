package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The quickstart's promise, at the engine level: the issue's curl is a 403, ordinary pages 200. */
class QuickstartShapeTest {
  private static WafRequest curl(String target) {
    return WafRequest.builder()
        .target(target)
        .clientIp(TestRequests.ip("127.0.0.1"))
        .header("Host", "127.0.0.1:8080")
        .header("User-Agent", "curl/8.5.0")
        .header("Accept", "*/*")
        .build();
  }

  @Test
  void theIssuesInjectionIsBlockedAndOrdinaryPagesPass() throws Exception {
    WebAcl acl = CorpusScoreTest.defaultAcl();
    Verdict attack = acl.evaluate(curl("/?id=1%27%20OR%20%271%27=%271"), Instant.EPOCH);
    assertThat(attack.action()).isEqualTo(Action.BLOCK);
    assertThat(attack.terminatingRule()).isEqualTo("sql-database");
    assertThat(attack.terminatingGroupRule()).isEqualTo("SQLi_QUERYARGUMENTS");
    assertThat(attack.response().status()).isEqualTo(403);
    for (String page :
        new String[] {"/", "/index.html", "/assets/app.js", "/search?q=shoes&page=2"}) {
      assertThat(acl.evaluate(curl(page), Instant.EPOCH).action()).as(page).isEqualTo(Action.ALLOW);
    }
  }
}
