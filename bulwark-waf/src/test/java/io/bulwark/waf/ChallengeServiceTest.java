package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.ManualClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChallengeServiceTest {
  private final ManualClock clock = ManualClock.atDefaultStart();
  private final ChallengeService svc =
      new ChallengeService(TestRequests.SECRET, Duration.ofSeconds(300), 8);

  @Test
  void aTokenIsValidUntilItsImmunityTimeThenExpires() {
    String token = svc.issueToken("shop.example.com", clock.instant());
    assertThat(svc.verifyToken(token, "shop.example.com", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.VALID);
    clock.advance(Duration.ofSeconds(300));
    assertThat(svc.verifyToken(token, "shop.example.com", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.VALID);
    clock.advance(Duration.ofSeconds(1));
    assertThat(svc.verifyToken(token, "shop.example.com", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.EXPIRED);
  }

  @Test
  void aTokenIsBoundToItsHostButNotToThePort() {
    String token = svc.issueToken("shop.example.com:8443", clock.instant());
    assertThat(svc.verifyToken(token, "SHOP.example.com", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.VALID);
    assertThat(svc.verifyToken(token, "evil.example.com", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.BAD_SIGNATURE);
  }

  @Test
  void forgedMalformedAndFutureTokensAreRefused() {
    String token = svc.issueToken("a.test", clock.instant());
    String[] p = token.split("\\.");
    String forgedTime = p[0] + "." + (Long.parseLong(p[1]) + 1000) + "." + p[2];
    assertThat(svc.verifyToken(forgedTime, "a.test", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.BAD_SIGNATURE);
    assertThat(svc.verifyToken("garbage", "a.test", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.MALFORMED);
    assertThat(svc.verifyToken("t1.x.y", "a.test", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.MALFORMED);
    String other =
        new ChallengeService(
                "another-secret-of-32-bytes-long!".getBytes(), Duration.ofMinutes(5), 8)
            .issueToken("a.test", clock.instant());
    assertThat(svc.verifyToken(other, "a.test", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.BAD_SIGNATURE);
    String future = svc.issueToken("a.test", clock.instant().plusSeconds(60));
    assertThat(svc.verifyToken(future, "a.test", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.FROM_THE_FUTURE);
  }

  @Test
  void aSolvedPuzzleIsRedeemedForAToken() {
    String puzzle = svc.newPuzzle("a.test", clock.instant());
    String nonce = solve(puzzle, svc.difficultyBits());
    Optional<String> token = svc.redeem(puzzle, nonce, "a.test", clock.instant());
    assertThat(token).isPresent();
    assertThat(svc.verifyToken(token.get(), "a.test", clock.instant(), svc.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.VALID);
  }

  @Test
  void wrongWorkOtherHostsAndStalePuzzlesAreNotRedeemed() {
    String puzzle = svc.newPuzzle("a.test", clock.instant());
    String nonce = solve(puzzle, svc.difficultyBits());
    String wrong = nonce;
    for (int n = 0; ChallengeService.solves(puzzle, wrong, svc.difficultyBits()); n++) {
      wrong = "x" + n;
    }
    assertThat(svc.redeem(puzzle, wrong, "a.test", clock.instant())).isEmpty();
    assertThat(svc.redeem(puzzle, nonce, "b.test", clock.instant())).isEmpty();
    assertThat(svc.redeem(puzzle.replace("p1.", "p1.9"), nonce, "a.test", clock.instant()))
        .isEmpty();
    clock.advance(ChallengeService.PUZZLE_LIFETIME.plusSeconds(1));
    assertThat(svc.redeem(puzzle, nonce, "a.test", clock.instant())).isEmpty();
  }

  @Test
  void theInterstitialPageCarriesThePuzzleAsSafeScriptStrings() {
    String page = svc.interstitialPage("p1.1.ab.cd", "/.bulwark/challenge", "/cart?x=\"</script>");
    assertThat(page).contains("var PUZZLE = \"p1.1.ab.cd\"");
    assertThat(page).contains("BITS = 8");
    assertThat(page).doesNotContain("</script>\"").doesNotContain("{{");
    assertThat(page).contains("\\u003c/script\\u003e");
  }

  @Test
  void aRequestWithAValidTokenCookieIsRecognised() {
    String token = svc.issueToken("a.test", clock.instant());
    WafRequest req =
        WafRequest.builder()
            .clientIp(TestRequests.ip("192.0.2.1"))
            .header("Host", "a.test")
            .header("Cookie", "x=1; " + ChallengeService.TOKEN_COOKIE + "=" + token)
            .build();
    assertThat(svc.hasValidToken(req, clock.instant(), svc.immunity())).isTrue();
    clock.advance(Duration.ofMinutes(6));
    assertThat(svc.hasValidToken(req, clock.instant(), svc.immunity())).isFalse();
  }

  @Test
  void servicesWithTheSameSecretAcceptEachOthersTokensAndPuzzles() {
    byte[] shared = "a-shared-secret-of-at-least-32-bytes".getBytes();
    ChallengeService nodeA = ChallengeService.withSecret(shared);
    ChallengeService nodeB = ChallengeService.withSecret(shared.clone());
    ChallengeService other =
        ChallengeService.withSecret("another-secret-of-at-least-32-bytes!".getBytes());
    String token = nodeA.issueToken("a.test", clock.instant());
    assertThat(nodeB.verifyToken(token, "a.test", clock.instant(), nodeB.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.VALID);
    assertThat(other.verifyToken(token, "a.test", clock.instant(), other.immunity()))
        .isEqualTo(ChallengeService.TokenCheck.BAD_SIGNATURE);
    // A puzzle handed out by one node can be redeemed at the other.
    String puzzle = nodeA.newPuzzle("a.test", clock.instant());
    String nonce = solve(puzzle, nodeA.difficultyBits());
    assertThat(nodeB.redeem(puzzle, nonce, "a.test", clock.instant())).isPresent();
    assertThat(other.redeem(puzzle, nonce, "a.test", clock.instant())).isEmpty();
    // Random secrets differ per service.
    String random = ChallengeService.withRandomSecret().issueToken("a.test", clock.instant());
    assertThat(
            ChallengeService.withRandomSecret()
                .verifyToken(random, "a.test", clock.instant(), Duration.ofMinutes(5)))
        .isEqualTo(ChallengeService.TokenCheck.BAD_SIGNATURE);
  }

  @Test
  void aSecretShorterThan32BytesIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ChallengeService.withSecret(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
  }

  private static String solve(String puzzle, int bits) {
    for (int n = 0; ; n++) {
      if (ChallengeService.solves(puzzle, Integer.toString(n), bits)) {
        return Integer.toString(n);
      }
    }
  }
}
