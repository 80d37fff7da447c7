package io.bulwark.waf;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of evaluating the default web ACL (every built-in group, blocking) on typical ~1 KB
 * requests. Not a test: surefire does not run it. Run it with (see docs/waf.md):
 *
 * <pre>
 * ./mvnw -o -q -pl bulwark-waf -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp bulwark-waf/target/test-classes:bulwark-waf/target/classes:$(cat bulwark-waf/target/test-classpath.txt) \
 *     org.openjdk.jmh.Main WebAclBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class WebAclBenchmark {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private WebAcl acl;
  private WafRequest pageGet;
  private WafRequest formPost;
  private WafRequest jsonPost;

  @Setup
  public void setUp() throws Exception {
    acl = CorpusScoreTest.defaultAcl();
    pageGet =
        browser(WafRequest.builder())
            .target(
                "/products/running-shoes?color=navy&size=42&sort=price_asc&page=2"
                    + "&utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale_2026")
            .header("Referer", "https://shop.example.com/search?q=running+shoes+for+trail")
            .build();
    formPost =
        browser(WafRequest.builder())
            .method("POST")
            .target("/contact")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(
                "name=Liam+O%27Brien&email=liam%40example.ie&subject=Delivery+question"
                    + "&message=Hi%2C+I+ordered+2+or+3+items+last+week+and+would+like+to+know+when+they"
                    + "+ship.+Could+you+select+the+faster+option+for+the+remaining+ones%3F+Thanks%21"
                    + "&csrf_token=a1b2c3d4e5f60718293a4b5c6d7e8f90")
            .build();
    jsonPost =
        browser(WafRequest.builder())
            .method("POST")
            .target("/api/v1/orders")
            .header("Content-Type", "application/json")
            .body(
                "{\"items\":[{\"sku\":\"A-100\",\"qty\":2},{\"sku\":\"B-220\",\"qty\":1}],"
                    + "\"shipping\":{\"name\":\"Zo\u00eb D'Angelo\",\"line1\":\"5 Rue de l'\u00c9glise\","
                    + "\"city\":\"Lyon\",\"zip\":\"69001\",\"country\":\"FR\"},\"coupon\":null,"
                    + "\"note\":\"Leave at the door, please; ring twice.\"}")
            .build();
  }

  private static final String COOKIES =
      "session=9f2c1e0b7a5d4c3e8f1a2b3c4d5e6f70; theme=dark; "
          + "cookie_consent=%7B%22necessary%22%3Atrue%2C%22analytics%22%3Afalse%7D; "
          + "_ga=GA1.2.1234567890.1700000000";

  private static WafRequest.Builder browser(WafRequest.Builder b) {
    return browser(b, COOKIES);
  }

  private static WafRequest.Builder browser(WafRequest.Builder b, String cookies) {
    return b.clientIp(TestRequests.ip("198.51.100.20"))
        .header("Host", "shop.example.com")
        .header(
            "User-Agent",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
                + " (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36")
        .header(
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
                + "image/webp,*/*;q=0.8")
        .header("Accept-Language", "en-US,en;q=0.9,fr;q=0.8")
        .header("Accept-Encoding", "gzip, deflate, br, zstd")
        .header("Cookie", cookies)
        .header("Sec-Fetch-Site", "same-origin")
        .header("Sec-Fetch-Mode", "navigate")
        .header("Upgrade-Insecure-Requests", "1");
  }

  /**
   * CPU time per evaluation (thread CPU time over 20,000 calls after as many to warm up, four
   * rounds), which a shared machine disturbs less than JMH's wall-clock times. Run with the class
   * path above: {@code java -cp ... io.bulwark.waf.WebAclBenchmark}; add {@code
   * -Dbulwark.waf.valueCacheSlots=0} to measure without the value cache.
   */
  public static void main(String[] args) throws Exception {
    WebAclBenchmark b = new WebAclBenchmark();
    b.setUp();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Map<String, java.util.function.Supplier<Verdict>> cases =
        new java.util.LinkedHashMap<>();
    cases.put("pageGet1k", b::pageGet1k);
    cases.put("pageGet1kFreshValues", b::pageGet1kFreshValues);
    cases.put("pageGet1kBrowse", b::pageGet1kBrowse);
    cases.put("formPost1k", b::formPost1k);
    cases.put("jsonPost1k", b::jsonPost1k);
    int iterations = 20_000;
    for (int round = 1; round <= 4; round++) {
      StringBuilder line = new StringBuilder("round " + round + ":");
      for (var c : cases.entrySet()) {
        for (int i = 0; i < iterations; i++) {
          c.getValue().get();
        }
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < iterations; i++) {
          c.getValue().get();
        }
        long t1 = mx.getCurrentThreadCpuTime();
        line.append(String.format("  %s %.1f us", c.getKey(), (t1 - t0) / 1000.0 / iterations));
      }
      System.out.println(line);
    }
  }

  /**
   * The request as the edge hands it over: every string a new object (Netty decodes each request's
   * line and header values into new Strings), so per-value work such as hashing is paid every time.
   */
  private static WafRequest copy(WafRequest r) {
    WafRequest.Builder b =
        WafRequest.builder()
            .method(new String(r.method()))
            .uriPath(new String(r.uriPath()))
            .rawQuery(new String(r.rawQuery()))
            .clientIp(r.clientIp())
            .expectHeaders(r.headers().size());
    for (WafRequest.Header h : r.headers()) {
      b.header(h.name(), new String(h.value()));
    }
    return b.body(r.body(), r.bodyOversize()).build();
  }

  @Benchmark
  public Verdict pageGet1k() {
    return acl.evaluate(copy(pageGet), NOW);
  }

  private long sequence;

  /**
   * A page GET whose query values and session cookie are new on every request, as a site's traffic
   * has them; the browser headers repeat. Includes building the request.
   */
  @Benchmark
  public Verdict pageGet1kFreshValues() {
    long n = ++sequence;
    WafRequest r =
        browser(
                WafRequest.builder(),
                "session=" + Long.toHexString(n * 0x9E3779B97F4A7C15L) + COOKIES.substring(40))
            .target(
                "/products/item-"
                    + n
                    + "?color=navy&size="
                    + (n % 50)
                    + "&sort=price_asc&page="
                    + n
                    + "&utm_source=newsletter&utm_medium=email&utm_campaign=c"
                    + (n * 7919))
            .header("Referer", "https://shop.example.com/search?q=running+shoes+" + n)
            .build();
    return acl.evaluate(copy(r), NOW);
  }

  private final java.util.Random browsing = new java.util.Random(42);

  private static final String[] COLORS = {"navy", "black", "white", "red", "olive", "grey"};
  private static final String[] SORTS = {"price_asc", "price_desc", "newest", "rating"};

  /**
   * Returning visitors, as the browse shape of bench/waf-requests.lua: one of 200 session cookies,
   * 300 query strings and 300 Referer pages, drawn at random, so every value recurs but a request
   * rarely has the same headers and query as an earlier one. Includes building the request.
   */
  @Benchmark
  public Verdict pageGet1kBrowse() {
    int q = browsing.nextInt(300);
    int session = 1 + browsing.nextInt(200);
    WafRequest r =
        browser(
                WafRequest.builder(),
                String.format("session=%08x%08x", (session * 2654435761L) % 4294967296L, session)
                    + COOKIES.substring(40))
            .target(
                "/products/running-shoes?color="
                    + COLORS[q % 6]
                    + "&size="
                    + (36 + q % 12)
                    + "&sort="
                    + SORTS[q % 4]
                    + "&page="
                    + (q % 25 + 1)
                    + "&utm_source=newsletter&utm_medium=email")
            .header(
                "Referer",
                "https://shop.example.com/products/item-" + browsing.nextInt(300) + "?ref=list")
            .build();
    return acl.evaluate(copy(r), NOW);
  }

  @Benchmark
  public Verdict formPost1k() {
    return acl.evaluate(copy(formPost), NOW);
  }

  @Benchmark
  public Verdict jsonPost1k() {
    return acl.evaluate(copy(jsonPost), NOW);
  }
}
