package io.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.ConfigLoader;
import io.bulwark.waf.ChallengeService;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code waf.challenge-secret}: nodes with the same secret accept each other's challenge tokens,
 * nodes with another do not; a reload keeps tokens valid unless it changes the secret; the secret
 * is never shown by GET /config.
 */
class ChallengeSecretTest {
  private static final String SECRET_A = "challenge-secret-A-0123456789abcdef0123";
  private static final String SECRET_B = "challenge-secret-B-0123456789abcdef0123";

  @TempDir Path dir;
  private final List<Bulwark> running = new ArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  static String config(String waf, String extraHost) {
    return """
        edge: {http: 127.0.0.1:0}
        admin: {address: 127.0.0.1:0}
        logging: {access-log: "off"}
        %s
        static-origins:
          - {id: site, root: site, address: 127.0.0.1:0}
        origins:
          - {id: o, static: site}
        web-acls:
          - name: acl
            default-action: allow
            rules:
              - name: prove-it
                priority: 0
                action: challenge
                statement: {byte-match: {field: uri-path, positional-constraint: STARTS_WITH, search-string: /guarded, text-transformations: [NONE]}}
        distributions:
          - id: d
            hosts: [127.0.0.1%s]
            web-acl: acl
            default-behavior: {target: o, cache-policy: CachingDisabled}
        """
        .formatted(waf, extraHost);
  }

  @BeforeEach
  void files() throws Exception {
    Files.createDirectories(dir.resolve("site/guarded"));
    Files.writeString(dir.resolve("site/guarded/page"), "behind the challenge\n");
    Files.writeString(dir.resolve("a.key"), SECRET_A + "\n");
    Files.writeString(dir.resolve("b.key"), SECRET_B + "\n");
  }

  @AfterEach
  void stop() {
    running.forEach(Bulwark::close);
  }

  private Bulwark start(String name, String yaml) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    Bulwark b = Bulwark.start(file);
    running.add(b);
    return b;
  }

  private HttpResponse<String> get(Bulwark b, String path, String cookie) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.edge().httpPort() + path))
            .timeout(Duration.ofSeconds(20));
    if (cookie != null) {
      r.header("Cookie", cookie);
    }
    return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Solves node {@code b}'s challenge as the interstitial's script does: the token cookie. */
  private String tokenFrom(Bulwark b) throws Exception {
    HttpResponse<String> page = get(b, "/guarded/page", null);
    assertThat(page.statusCode()).isEqualTo(202);
    Matcher m = Pattern.compile("var PUZZLE = \"([^\"]+)\", BITS = (\\d+)").matcher(page.body());
    assertThat(m.find()).isTrue();
    int nonce = 0;
    while (!ChallengeService.solves(
        m.group(1), Integer.toString(nonce), Integer.parseInt(m.group(2)))) {
      nonce++;
    }
    HttpResponse<String> verified =
        get(
            b,
            "/.bulwark/challenge?puzzle="
                + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8)
                + "&nonce="
                + nonce
                + "&return=/guarded/page",
            null);
    assertThat(verified.statusCode()).isEqualTo(303);
    return verified.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
  }

  @Test
  void nodesWithTheSameSecretAcceptEachOthersTokensAndOthersDoNot() throws Exception {
    Bulwark a1 = start("a1.yaml", config("waf: {challenge-secret: {file: a.key}}", ""));
    Bulwark a2 = start("a2.yaml", config("waf: {challenge-secret: " + SECRET_A + "}", ""));
    Bulwark b = start("b.yaml", config("waf: {challenge-secret: {file: b.key}}", ""));

    String cookie = tokenFrom(a1);
    assertThat(get(a1, "/guarded/page", cookie).body()).isEqualTo("behind the challenge\n");
    // Another node (another port, same host name) with the same secret, written another way.
    HttpResponse<String> other = get(a2, "/guarded/page", cookie);
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.body()).isEqualTo("behind the challenge\n");
    // A node with a different secret challenges again.
    assertThat(get(b, "/guarded/page", cookie).statusCode()).isEqualTo(202);
    // And a token from that node is no good on the first two.
    String cookieB = tokenFrom(b);
    assertThat(get(b, "/guarded/page", cookieB).statusCode()).isEqualTo(200);
    assertThat(get(a1, "/guarded/page", cookieB).statusCode()).isEqualTo(202);
  }

  @Test
  void aReloadKeepsTokensValidUnlessItChangesTheSecret() throws Exception {
    Bulwark node = start("node.yaml", config("waf: {challenge-secret: {file: a.key}}", ""));
    String cookie = tokenFrom(node);

    // Same secret, other changes: the token still passes.
    Files.writeString(
        dir.resolve("node.yaml"),
        config("waf: {challenge-secret: {file: a.key}}", ", reload.example"));
    assertThat(node.reload()).isEmpty();
    assertThat(node.snapshot().distributions().get(0).hosts()).contains("reload.example");
    assertThat(get(node, "/guarded/page", cookie).statusCode()).isEqualTo(200);

    // A new secret: tokens signed with the old one are challenged again.
    Files.writeString(
        dir.resolve("node.yaml"), config("waf: {challenge-secret: {file: b.key}}", ""));
    assertThat(node.reload()).isEmpty();
    assertThat(get(node, "/guarded/page", cookie).statusCode()).isEqualTo(202);
    String fresh = tokenFrom(node);
    assertThat(get(node, "/guarded/page", fresh).statusCode()).isEqualTo(200);

    // A refused reload (a secret too short) changes nothing.
    Files.writeString(dir.resolve("node.yaml"), config("waf: {challenge-secret: too-short}", ""));
    assertThat(node.reload()).singleElement().asString().contains("node.yaml:4").contains("32");
    assertThat(get(node, "/guarded/page", fresh).statusCode()).isEqualTo(200);
  }

  @Test
  void theSecretIsNeverShownByGetConfig() throws Exception {
    Bulwark node = start("node.yaml", config("waf: {challenge-secret: {file: a.key}}", ""));
    String body =
        client
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.adminPort() + "/config"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(body)
        .contains("challengeSecret")
        .contains("<redacted: file:a.key>")
        .doesNotContain(SECRET_A);

    Bulwark inline = start("inline.yaml", config("waf: {challenge-secret: " + SECRET_B + "}", ""));
    String inlineBody =
        client
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + inline.adminPort() + "/config"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(inlineBody).contains("redacted: inline").doesNotContain(SECRET_B);
  }

  @Test
  void withoutASecretOneLineSaysTokensDoNotSurviveARestart() throws Exception {
    var withAcl = ConfigLoader.load("x.yaml", config("", ""), dir, Map.of());
    assertThat(Bulwark.challengeSecretNote(withAcl, Planes.parse(withAcl)))
        .contains("no waf.challenge-secret")
        .contains("stop being valid on restart");
    var withSecret =
        ConfigLoader.load(
            "x.yaml", config("waf: {challenge-secret: {file: a.key}}", ""), dir, Map.of());
    assertThat(Bulwark.challengeSecretNote(withSecret, Planes.parse(withSecret))).isNull();
    var withoutAcl = ConfigLoader.load("x.yaml", "origins: []\n", dir, Map.of());
    assertThat(Bulwark.challengeSecretNote(withoutAcl, Planes.parse(withoutAcl))).isNull();

    assertThat(Bulwark.challengeSecretChange(withSecret, withSecret)).isNull();
    assertThat(Bulwark.challengeSecretChange(withAcl, withAcl)).isNull();
    assertThat(Bulwark.challengeSecretChange(withSecret, withAcl))
        .contains("random per-process key")
        .contains("no longer accepted")
        .doesNotContain(SECRET_A);
  }
}
