package io.bulwark.waf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Challenge action's token flow, stateless and pure apart from the random puzzle seed.
 *
 * <ol>
 *   <li>A request that hits a Challenge rule without a valid token gets the interstitial page
 *       ({@link #interstitialPage}), which carries a signed puzzle ({@link #newPuzzle}).
 *   <li>The page's script finds a nonce such that SHA-256({@code puzzle + ":" + nonce}) starts with
 *       {@code difficultyBits} zero bits, and sends it to the edge's verify path.
 *   <li>{@link #redeem} checks the puzzle's signature, age and the work, and returns a token; the
 *       edge sets it as the {@value #TOKEN_COOKIE} cookie and redirects back.
 *   <li>Later requests carry the cookie; {@link #verifyToken} accepts it until the immunity time
 *       has passed since it was issued.
 * </ol>
 *
 * Tokens and puzzles are HMAC-SHA256 signed with one secret and bound to the request's host, so a
 * token for one site is not accepted by another. Verification needs nothing but the secret: two
 * services (two nodes, or one process before and after a restart or reload) built with the same
 * secret accept each other's tokens, and a token signed with any other secret is refused. The
 * server builds the service from {@code waf.challenge-secret}, or from a random secret made at
 * start when none is configured. A solved puzzle can be redeemed more than once within its 5-minute
 * lifetime; that only saves a client work it already did once.
 */
public final class ChallengeService {
  public static final String TOKEN_COOKIE = "bulwark-waf-token";
  public static final Duration DEFAULT_IMMUNITY = Duration.ofSeconds(300);
  public static final Duration PUZZLE_LIFETIME = Duration.ofMinutes(5);
  public static final int DEFAULT_DIFFICULTY_BITS = 16;

  /** The shortest secret accepted: the HMAC-SHA256 key size. */
  public static final int MIN_SECRET_BYTES = 32;

  /** Why a token was or was not accepted. */
  public enum TokenCheck {
    VALID,
    MALFORMED,
    BAD_SIGNATURE,
    EXPIRED,
    FROM_THE_FUTURE
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private final byte[] secret;
  private final Duration immunity;
  private final int difficultyBits;

  public ChallengeService(byte[] secret, Duration immunity, int difficultyBits) {
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "a challenge secret needs at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (difficultyBits < 1 || difficultyBits > 28) {
      throw new IllegalArgumentException("difficulty must be 1-28 bits, got " + difficultyBits);
    }
    this.secret = secret.clone();
    this.immunity = immunity;
    this.difficultyBits = difficultyBits;
  }

  /** A service with a fresh random secret (tokens do not survive a restart). */
  public static ChallengeService withRandomSecret() {
    byte[] s = new byte[MIN_SECRET_BYTES];
    RANDOM.nextBytes(s);
    return withSecret(s);
  }

  /**
   * A service signing with {@code secret} (at least {@value #MIN_SECRET_BYTES} bytes), the default
   * immunity time and difficulty: every service made with the same secret accepts its tokens.
   */
  public static ChallengeService withSecret(byte[] secret) {
    return new ChallengeService(secret, DEFAULT_IMMUNITY, DEFAULT_DIFFICULTY_BITS);
  }

  /**
   * The immunity time this service was made with. For a web ACL's service ({@link
   * WebAcl#challenge()}) it is the longest immunity time of that web ACL's challenge actions, which
   * the edge's verify endpoint gives the token cookie as its lifetime (see {@link
   * WebAclParser#parse(io.bulwark.config.node.ConfigNode, WafEnvironment)}); each rule still checks
   * a token's age against its own immunity time.
   */
  public Duration immunity() {
    return immunity;
  }

  /**
   * This service with another immunity time: same secret and difficulty, so each accepts the
   * other's puzzles and tokens.
   */
  public ChallengeService withImmunity(Duration immunity) {
    return immunity.equals(this.immunity)
        ? this
        : new ChallengeService(secret, immunity, difficultyBits);
  }

  public int difficultyBits() {
    return difficultyBits;
  }

  /** A token for {@code host}, issued at {@code now}. */
  public String issueToken(String host, Instant now) {
    String body = "t1." + now.getEpochSecond();
    return body + "." + mac(body + "|" + normalize(host));
  }

  /** Checks a token against the host, with the given immunity time. */
  public TokenCheck verifyToken(String token, String host, Instant now, Duration immunityTime) {
    if (token == null) {
      return TokenCheck.MALFORMED;
    }
    String[] parts = token.split("\\.");
    if (parts.length != 3 || !parts[0].equals("t1")) {
      return TokenCheck.MALFORMED;
    }
    long issued;
    try {
      issued = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return TokenCheck.MALFORMED;
    }
    String expected = mac(parts[0] + "." + parts[1] + "|" + normalize(host));
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        parts[2].getBytes(StandardCharsets.US_ASCII))) {
      return TokenCheck.BAD_SIGNATURE;
    }
    long age = now.getEpochSecond() - issued;
    if (age < -5) {
      return TokenCheck.FROM_THE_FUTURE;
    }
    return age > immunityTime.toSeconds() ? TokenCheck.EXPIRED : TokenCheck.VALID;
  }

  /** True when the request carries a valid token cookie for its host. */
  public boolean hasValidToken(WafRequest request, Instant now, Duration immunityTime) {
    String host = hostOf(request);
    for (WafRequest.Cookie c : request.cookies()) {
      if (c.name().equals(TOKEN_COOKIE)
          && verifyToken(c.value(), host, now, immunityTime) == TokenCheck.VALID) {
        return true;
      }
    }
    return false;
  }

  /** A fresh signed puzzle for {@code host}. */
  public String newPuzzle(String host, Instant now) {
    byte[] r = new byte[12];
    RANDOM.nextBytes(r);
    String body = "p1." + now.getEpochSecond() + "." + HexFormat.of().formatHex(r);
    return body + "." + mac(body + "|" + normalize(host));
  }

  /**
   * Exchanges a solved puzzle for a token: empty when the puzzle is forged, for another host, older
   * than {@link #PUZZLE_LIFETIME}, or the nonce does not do the work.
   */
  public Optional<String> redeem(String puzzle, String nonce, String host, Instant now) {
    if (puzzle == null || nonce == null || nonce.length() > 32) {
      return Optional.empty();
    }
    String[] parts = puzzle.split("\\.");
    if (parts.length != 4 || !parts[0].equals("p1")) {
      return Optional.empty();
    }
    String body = parts[0] + "." + parts[1] + "." + parts[2];
    if (!MessageDigest.isEqual(
        mac(body + "|" + normalize(host)).getBytes(StandardCharsets.US_ASCII),
        parts[3].getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    long issued;
    try {
      issued = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    long age = now.getEpochSecond() - issued;
    if (age < -5 || age > PUZZLE_LIFETIME.toSeconds()) {
      return Optional.empty();
    }
    if (!solves(puzzle, nonce, difficultyBits)) {
      return Optional.empty();
    }
    return Optional.of(issueToken(host, now));
  }

  /** True when SHA-256(puzzle ":" nonce) starts with {@code bits} zero bits. */
  public static boolean solves(String puzzle, String nonce, int bits) {
    byte[] h;
    try {
      h =
          MessageDigest.getInstance("SHA-256")
              .digest((puzzle + ":" + nonce).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    for (int i = 0; i < bits; i++) {
      if ((h[i / 8] & (0x80 >> (i % 8))) != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The interstitial HTML page (status 202 in AWS WAF's convention). {@code verifyPath} is where
   * the script sends {@code puzzle}, {@code nonce} and {@code return} as query arguments; {@code
   * returnTo} is the path to go back to once the token is set.
   */
  public String interstitialPage(String puzzle, String verifyPath, String returnTo) {
    return template()
        .replace("{{PUZZLE}}", jsString(puzzle))
        .replace("{{BITS}}", Integer.toString(difficultyBits))
        .replace("{{VERIFY}}", jsString(verifyPath))
        .replace("{{RETURN}}", jsString(returnTo));
  }

  private static volatile String template;

  private static String template() {
    String t = template;
    if (t == null) {
      try (InputStream in = ChallengeService.class.getResourceAsStream("challenge.html")) {
        if (in == null) {
          throw new IllegalStateException("challenge.html is missing from the bulwark-waf jar");
        }
        t = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read challenge.html", e);
      }
      template = t;
    }
    return t;
  }

  /** A JavaScript string literal that is also safe inside an HTML script element. */
  static String jsString(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (Character.isLetterOrDigit(c) && c < 0x80
          || c == '.'
          || c == '/'
          || c == '-'
          || c == '_') {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    return sb.append('"').toString();
  }

  static String hostOf(WafRequest request) {
    String h = request.header("host");
    return h == null ? "" : h;
  }

  private static String normalize(String host) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT).strip();
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(']') < colon && h.chars().filter(c -> c == ':').count() == 1) {
      h = h.substring(0, colon); // the token covers the host on any port
    }
    return h;
  }

  private String mac(String data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(secret, "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(m.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has HmacSHA256", e);
    }
  }
}
