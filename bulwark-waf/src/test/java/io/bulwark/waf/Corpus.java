package io.bulwark.waf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The attack and benign corpora as requests. Attack payloads are written plain in
 * corpus/attack-*.txt; each is encoded six ways (plain, URL, double URL, HTML entities, JavaScript
 * unicode escapes, base64) and placed five ways (query argument, form body, JSON body, a header, a
 * cookie). Benign prose lines go into a query argument, a form field and a JSON value; the benign
 * requests file holds whole requests (pages, JSON APIs, form posts, file uploads).
 */
final class Corpus {
  private Corpus() {}

  static final ObjectMapper JSON = new ObjectMapper();

  record Sample(
      String category, String encoding, String placement, String payload, WafRequest request) {}

  enum Encoding {
    PLAIN(s -> s),
    URL(Corpus::percentAll),
    DOUBLE_URL(s -> percentAll(percentAll(s))),
    HTML_ENTITY(s -> escapeNonAlnum(s, c -> "&#" + c + ";")),
    JS_UNICODE(s -> escapeNonAlnum(s, c -> String.format("\\u%04x", c))),
    BASE64(s -> Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));

    final UnaryOperator<String> encode;

    Encoding(UnaryOperator<String> encode) {
      this.encode = encode;
    }
  }

  enum Placement {
    QUERY,
    FORM_BODY,
    JSON_BODY,
    HEADER,
    COOKIE
  }

  static List<String> lines(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!l.isBlank() && !l.startsWith("#")) {
        out.add(l);
      }
    }
    return out;
  }

  static Path dir() {
    return TestRequests.resources().resolve("corpus");
  }

  static List<Sample> attacks() throws IOException {
    List<Sample> out = new ArrayList<>();
    try (var files = Files.list(dir())) {
      for (Path f :
          files.filter(p -> p.getFileName().toString().startsWith("attack-")).sorted().toList()) {
        String category = f.getFileName().toString().replace("attack-", "").replace(".txt", "");
        out.addAll(attacks(category, lines(f)));
      }
    }
    return out;
  }

  static List<Sample> attacks(String category, List<String> payloads) {
    List<Sample> out = new ArrayList<>();
    int i = 0;
    for (String p : payloads) {
      for (Encoding e : Encoding.values()) {
        String v = e.encode.apply(p);
        for (Placement pl : Placement.values()) {
          out.add(new Sample(category, e.name(), pl.name(), p, place(v, pl, i)));
        }
      }
      i++;
    }
    return out;
  }

  static List<Sample> benign() throws IOException {
    List<Sample> out = new ArrayList<>();
    for (String line : lines(dir().resolve("benign-prose.txt"))) {
      String form = URLEncoder.encode(line, StandardCharsets.UTF_8);
      out.add(
          new Sample(
              "prose",
              "form",
              "QUERY",
              line,
              browser().target("/search?q=" + form + "&page=1").build()));
      out.add(
          new Sample(
              "prose",
              "form",
              "FORM_BODY",
              line,
              browser()
                  .method("POST")
                  .target("/contact")
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .body("name=Sam+Lee&email=sam%40example.com&message=" + form)
                  .build()));
      ObjectMapper m = JSON;
      String json = m.createObjectNode().put("message", line).put("rating", 5).toString();
      out.add(
          new Sample(
              "prose",
              "json",
              "JSON_BODY",
              line,
              browser()
                  .method("POST")
                  .target("/api/v1/feedback")
                  .header("Content-Type", "application/json")
                  .body(json)
                  .build()));
    }
    for (String l :
        Files.readAllLines(dir().resolve("benign-requests.jsonl"), StandardCharsets.UTF_8)) {
      if (l.isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(l);
      WafRequest.Builder b =
          WafRequest.builder()
              .method(n.get("method").asText())
              .target(n.get("target").asText())
              .clientIp(TestRequests.ip("198.51.100.20"));
      for (JsonNode h : n.get("headers")) {
        String s = h.asText();
        int c = s.indexOf(':');
        // the edge hands the engine header bytes as ISO-8859-1
        b.header(s.substring(0, c), latin1(s.substring(c + 1).strip()));
      }
      if (n.has("body")) {
        b.body(n.get("body").asText());
      } else if (n.has("body-base64")) {
        b.body(Base64.getDecoder().decode(n.get("body-base64").asText()), false);
      }
      out.add(
          new Sample(n.get("note").asText(), "-", "REQUEST", n.get("target").asText(), b.build()));
    }
    return out;
  }

  private static WafRequest.Builder browser() {
    return WafRequest.builder()
        .clientIp(TestRequests.ip("198.51.100.20"))
        .header("Host", "shop.example.com")
        .header(
            "User-Agent",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                + " Chrome/124.0.0.0 Safari/537.36")
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .header("Accept-Language", "en-US,en;q=0.9")
        .header("Cookie", "session=9f2c1e0b7a5d4c3e8f1a2b3c4d5e6f70; theme=dark");
  }

  static WafRequest place(String v, Placement p, int index) {
    WafRequest.Builder b = browser();
    switch (p) {
      case QUERY -> b.target("/search?q=" + minimal(v, "&#+") + "&page=1");
      case FORM_BODY ->
          b.method("POST")
              .target("/comments")
              .header("Content-Type", "application/x-www-form-urlencoded")
              .body("post_id=381&comment=" + minimal(v, "&#+") + "&submit=Send");
      case JSON_BODY ->
          b.method("POST")
              .target("/api/v1/comments")
              .header("Content-Type", "application/json")
              .body(JSON.createObjectNode().put("comment", v).put("post_id", 381).toString());
      case HEADER -> {
        // replaces the browser's User-Agent (or sets a Referer) with the payload
        String value = latin1(v.replace('\r', ' ').replace('\n', ' '));
        if (index % 2 == 0) {
          WafRequest.Builder nb =
              WafRequest.builder()
                  .clientIp(TestRequests.ip("198.51.100.20"))
                  .header("Host", "shop.example.com")
                  .header("User-Agent", value)
                  .header("Accept", "*/*");
          return nb.build();
        }
        b.header("Referer", value);
      }
      case COOKIE -> b.header("Cookie", "consent=1; pref=" + minimal(v, ";,\"\\"));
    }
    return b.build();
  }

  /** Percent-encodes space, control bytes, non-ASCII and the given delimiters; the rest raw. */
  static String minimal(String s, String delimiters) {
    StringBuilder sb = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (c <= 0x20 || c >= 0x7f || delimiters.indexOf(c) >= 0) {
        sb.append('%').append(String.format("%02X", c));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  static String percentAll(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      int c = x & 0xff;
      if (Character.isLetterOrDigit(c) && c < 0x80 || "-_.~".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format("%02X", c));
      }
    }
    return sb.toString();
  }

  interface CharEscape {
    String escape(int c);
  }

  static String escapeNonAlnum(String s, CharEscape e) {
    StringBuilder sb = new StringBuilder();
    s.codePoints()
        .forEach(
            c -> {
              if (c < 0x80 && Character.isLetterOrDigit(c)) {
                sb.appendCodePoint(c);
              } else {
                sb.append(e.escape(c));
              }
            });
    return sb.toString();
  }

  static String latin1(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  static String describe(WafRequest r) {
    StringBuilder sb = new StringBuilder(r.method()).append(' ').append(r.uriPath());
    if (!r.rawQuery().isEmpty()) {
      sb.append('?').append(r.rawQuery());
    }
    for (WafRequest.Header h : r.headers()) {
      String n = h.name().toLowerCase(Locale.ROOT);
      if (n.equals("user-agent")
          || n.equals("referer")
          || n.equals("cookie")
          || n.equals("content-type")) {
        sb.append(" | ").append(h.name()).append(": ").append(h.value());
      }
    }
    if (r.body().length > 0) {
      String body = new String(r.body(), StandardCharsets.ISO_8859_1);
      sb.append(" | body: ").append(body.length() > 160 ? body.substring(0, 160) + "..." : body);
    }
    return sb.toString();
  }
}
