package io.bulwark.cache;

import static io.bulwark.cache.TestPolicies.allExcept;
import static io.bulwark.cache.TestPolicies.policy;
import static io.bulwark.cache.TestPolicies.whitelist;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.bulwark.config.CachePolicy;
import io.bulwark.config.KeyFields;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The cache key: each key-field behavior, the encoding, and Accept-Encoding normalisation. */
class CacheKeysTest {

  /** A request as the key sees it. */
  record Req(String host, String path, String query, TestHeaders headers) {
    static Req get(String host, String path, String query, String... headers) {
      return new Req(host, path, query, TestHeaders.of(headers));
    }

    CacheKey key(CachePolicy p) {
      return CacheKeys.of(p, host, path, query, headers);
    }
  }

  private static CachePolicy identityOnly() {
    return policy().compression(false, false).build();
  }

  static Stream<Arguments> encodings() {
    return Stream.of(
        arguments(
            "host lower-cased, path kept case-sensitive (CloudFront: paths are case-sensitive)",
            identityOnly(),
            Req.get("WWW.Example.COM", "/A/b.html", null),
            "www.example.com /A/b.html\nae identity"),
        arguments(
            "query NONE: no parameter is in the key",
            identityOnly(),
            Req.get("h", "/p", "a=1&b=2"),
            "h /p\nae identity"),
        arguments(
            "query ALL: the raw query, viewer's order and encoding kept",
            policy().compression(false, false).query(KeyFields.ALL).build(),
            Req.get("h", "/p", "b=2&a=%20x+y"),
            "h /p?b=2&a=%20x+y\nae identity"),
        arguments(
            "query ALL with an empty query: no '?'",
            policy().compression(false, false).query(KeyFields.ALL).build(),
            Req.get("h", "/p", ""),
            "h /p\nae identity"),
        arguments(
            "query WHITELIST: listed parameters only, in the viewer's order, not the policy's",
            policy().compression(false, false).query(whitelist("a", "b")).build(),
            Req.get("h", "/p", "b=2&c=3&a=1"),
            "h /p?b=2&a=1\nae identity"),
        arguments(
            "query WHITELIST: names match after percent-decoding, raw encoding kept in the key",
            policy().compression(false, false).query(whitelist("page")).build(),
            Req.get("h", "/p", "%70age=2&x=1"),
            "h /p?%70age=2\nae identity"),
        arguments(
            "query WHITELIST: '+' in a name decodes to a space (form encoding)",
            policy().compression(false, false).query(whitelist("my key")).build(),
            Req.get("h", "/p", "my+key=1&my=2"),
            "h /p?my+key=1\nae identity"),
        arguments(
            "query WHITELIST: a parameter without '=' is matched by name",
            policy().compression(false, false).query(whitelist("flag")).build(),
            Req.get("h", "/p", "flag&x=1"),
            "h /p?flag\nae identity"),
        arguments(
            "query WHITELIST: empty segments are dropped",
            policy().compression(false, false).query(whitelist("a")).build(),
            Req.get("h", "/p", "&&a=1&"),
            "h /p?a=1\nae identity"),
        arguments(
            "query WHITELIST: repeated parameters all kept",
            policy().compression(false, false).query(whitelist("a")).build(),
            Req.get("h", "/p", "a=1&b=0&a=2"),
            "h /p?a=1&a=2\nae identity"),
        arguments(
            "query ALL_EXCEPT: every parameter but the listed ones",
            policy().compression(false, false).query(allExcept("utm_source")).build(),
            Req.get("h", "/p", "utm_source=x&id=7&utm_source=y"),
            "h /p?id=7\nae identity"),
        arguments(
            "query WHITELIST with no listed parameter present: no '?'",
            policy().compression(false, false).query(whitelist("a")).build(),
            Req.get("h", "/p", "b=1"),
            "h /p\nae identity"),
        arguments(
            "headers WHITELIST: policy order, lower-case names, values as sent, length-prefixed",
            policy()
                .compression(false, false)
                .headers(whitelist("accept-language", "x-device"))
                .build(),
            Req.get("h", "/p", null, "X-Device", "Mobile", "Accept-Language", "en-US"),
            "h /p\nh accept-language=5:en-US\nh x-device=6:Mobile\nae identity"),
        arguments(
            "headers WHITELIST: an absent header adds nothing, an empty one is present",
            policy().compression(false, false).headers(whitelist("x-a", "x-b")).build(),
            Req.get("h", "/p", null, "X-B", ""),
            "h /p\nh x-b=0:\nae identity"),
        arguments(
            "headers WHITELIST: each field line of a repeated header is kept in order",
            policy().compression(false, false).headers(whitelist("x-a")).build(),
            Req.get("h", "/p", null, "X-A", "1", "x-a", "2"),
            "h /p\nh x-a=1:1\nh x-a=1:2\nae identity"),
        arguments(
            "headers ALL: names lower-cased and sorted; Cookie and Accept-Encoding have their own"
                + " dimensions",
            policy().headers(KeyFields.ALL).build(),
            Req.get(
                "h",
                "/p",
                null,
                "X-B",
                "2",
                "Cookie",
                "a=1",
                "Accept-Encoding",
                "gzip",
                "x-A",
                "1"),
            "h /p\nh x-a=1:1\nh x-b=1:2\nae gzip"),
        arguments(
            "headers ALL_EXCEPT: all but the listed names",
            policy().compression(false, false).headers(allExcept("user-agent")).build(),
            Req.get("h", "/p", null, "User-Agent", "curl", "X-A", "1"),
            "h /p\nh x-a=1:1\nae identity"),
        arguments(
            "cookies WHITELIST: listed cookies in the viewer's order (RFC 6265 5.4 syntax)",
            policy().compression(false, false).cookies(whitelist("lang", "theme")).build(),
            Req.get("h", "/p", null, "Cookie", "session=abc; theme=dark; lang=en"),
            "h /p\nc theme=4:dark\nc lang=2:en\nae identity"),
        arguments(
            "cookies ALL: every Cookie header line is parsed",
            policy().compression(false, false).cookies(KeyFields.ALL).build(),
            Req.get("h", "/p", null, "Cookie", "a=1; b=2", "cookie", "c=3"),
            "h /p\nc a=1:1\nc b=1:2\nc c=1:3\nae identity"),
        arguments(
            "cookies ALL_EXCEPT: all but the listed names",
            policy().compression(false, false).cookies(allExcept("session")).build(),
            Req.get("h", "/p", null, "Cookie", "session=x; a=1"),
            "h /p\nc a=1:1\nae identity"),
        arguments(
            "cookies: a pair without '=' has an empty name (RFC 6265bis 5.6)",
            policy().compression(false, false).cookies(KeyFields.ALL).build(),
            Req.get("h", "/p", null, "Cookie", "foo; a=1"),
            "h /p\nc =3:foo\nc a=1:1\nae identity"),
        arguments(
            "cookies: whitespace around names and values is trimmed, empty pairs skipped",
            policy().compression(false, false).cookies(KeyFields.ALL).build(),
            Req.get("h", "/p", null, "Cookie", "  a = 1 ;;b=2;"),
            "h /p\nc a=1:1\nc b=1:2\nae identity"),
        arguments(
            "cookies: names are case-sensitive (RFC 6265 5.4)",
            policy().compression(false, false).cookies(whitelist("Session")).build(),
            Req.get("h", "/p", null, "Cookie", "session=1"),
            "h /p\nae identity"),
        arguments(
            "cookies NONE: Cookie headers are ignored",
            identityOnly(),
            Req.get("h", "/p", null, "Cookie", "session=1"),
            "h /p\nae identity"),
        arguments(
            "all three dimensions together: query, then headers, then cookies, then encoding",
            policy()
                .query(whitelist("v"))
                .headers(whitelist("x-a"))
                .cookies(whitelist("c"))
                .build(),
            Req.get("h", "/p", "v=1", "Cookie", "c=2", "X-A", "3", "Accept-Encoding", "br"),
            "h /p?v=1\nh x-a=1:3\nc c=1:2\nae br"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodings")
  void keyEncodesWhatThePolicySelects(String rule, CachePolicy p, Req req, String expected) {
    assertThat(req.key(p).value()).isEqualTo(expected);
  }

  static Stream<Arguments> sameObject() {
    CachePolicy def = policy().build();
    return Stream.of(
        arguments(
            "host case does not split the cache",
            def,
            Req.get("Example.com", "/a", null),
            Req.get("example.com", "/a", null),
            true),
        arguments(
            "path case does split it (case-sensitive paths)",
            def,
            Req.get("h", "/A", null),
            Req.get("h", "/a", null),
            false),
        arguments(
            "an unkeyed query parameter does not split it",
            policy().query(whitelist("id")).build(),
            Req.get("h", "/a", "id=1&utm=x"),
            Req.get("h", "/a", "id=1&utm=y"),
            true),
        arguments(
            "a keyed query parameter does",
            policy().query(whitelist("id")).build(),
            Req.get("h", "/a", "id=1"),
            Req.get("h", "/a", "id=2"),
            false),
        arguments(
            "query ALL keeps the viewer's order, so order splits it",
            policy().query(KeyFields.ALL).build(),
            Req.get("h", "/a", "a=1&b=2"),
            Req.get("h", "/a", "b=2&a=1"),
            false),
        arguments(
            "Accept-Encoding variants that normalise alike share an object",
            def,
            Req.get("h", "/a", null, "Accept-Encoding", "gzip, deflate, br"),
            Req.get("h", "/a", null, "Accept-Encoding", "br;q=1.0"),
            true),
        arguments(
            "br and gzip viewers get different objects",
            def,
            Req.get("h", "/a", null, "Accept-Encoding", "gzip"),
            Req.get("h", "/a", null, "Accept-Encoding", "br"),
            false),
        arguments(
            "a header value cannot forge another keyed header (length prefix)",
            policy().headers(whitelist("x-a", "x-b")).build(),
            Req.get("h", "/a", null, "X-A", "1\nh x-b=1:2"),
            Req.get("h", "/a", null, "X-A", "1", "X-B", "2"),
            false),
        arguments(
            "a cookie value cannot forge another keyed cookie (length prefix)",
            policy().cookies(KeyFields.ALL).build(),
            Req.get("h", "/a", null, "Cookie", "a=1\nc b=1:2"),
            Req.get("h", "/a", null, "Cookie", "a=1; b=2"),
            false),
        arguments(
            "headers ALL: the order of header lines does not split it",
            policy().headers(KeyFields.ALL).build(),
            Req.get("h", "/a", null, "X-A", "1", "X-B", "2"),
            Req.get("h", "/a", null, "x-b", "2", "x-a", "1"),
            true),
        arguments(
            "a percent-encoded keyed parameter name is still keyed (cache poisoning guard)",
            policy().query(whitelist("page")).build(),
            Req.get("h", "/a", "page=1"),
            Req.get("h", "/a", "page=1&%70age=2"),
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sameObject")
  void keysAreEqualExactlyWhenTheObjectIsTheSame(
      String rule, CachePolicy p, Req a, Req b, boolean same) {
    CacheKey ka = a.key(p);
    CacheKey kb = b.key(p);
    assertThat(ka.equals(kb)).as("%s vs %s", ka, kb).isEqualTo(same);
    if (same) {
      assertThat(ka.hashCode()).isEqualTo(kb.hashCode());
    }
  }

  static Stream<Arguments> acceptEncoding() {
    return Stream.of(
        arguments(
            "no Accept-Encoding: identity (RFC 9110 12.5.3)",
            true,
            true,
            new String[] {},
            "identity"),
        arguments(
            "br preferred over gzip when both are accepted",
            true,
            true,
            new String[] {"gzip, deflate, br"},
            "br"),
        arguments(
            "br disabled by the policy: gzip",
            true,
            false,
            new String[] {"gzip, deflate, br"},
            "gzip"),
        arguments(
            "both disabled by the policy: identity",
            false,
            false,
            new String[] {"br, gzip"},
            "identity"),
        arguments(
            "gzip disabled, br not accepted: identity",
            false,
            true,
            new String[] {"gzip"},
            "identity"),
        arguments(
            "br;q=0 refuses br (RFC 9110 12.4.2)",
            true,
            true,
            new String[] {"br;q=0, gzip"},
            "gzip"),
        arguments("gzip;q=0 alone: identity", true, true, new String[] {"gzip;q=0"}, "identity"),
        arguments("q=0.000 is zero", true, true, new String[] {"gzip;q=0.000"}, "identity"),
        arguments("q=0.001 is above zero", true, true, new String[] {"gzip;q=0.001"}, "gzip"),
        arguments(
            "whitespace around ';' and the q value",
            true,
            true,
            new String[] {"gzip ; q=0.5"},
            "gzip"),
        arguments("Q is case-insensitive", true, true, new String[] {"gzip;Q=0"}, "identity"),
        arguments(
            "malformed q counts as zero", true, true, new String[] {"gzip;q=abc"}, "identity"),
        arguments("codings are case-insensitive", true, true, new String[] {"GZIP"}, "gzip"),
        arguments("x-gzip is gzip (RFC 9110 8.4.1.3)", true, true, new String[] {"x-gzip"}, "gzip"),
        arguments("* accepts every coding not listed", true, true, new String[] {"*"}, "br"),
        arguments(
            "*;q=0 refuses everything not listed", true, true, new String[] {"*;q=0"}, "identity"),
        arguments("an explicit br;q=0 beats *", true, true, new String[] {"br;q=0, *"}, "gzip"),
        arguments(
            "an explicit gzip;q=0 beats *, br disabled",
            true,
            false,
            new String[] {"gzip;q=0, *"},
            "identity"),
        arguments(
            "several Accept-Encoding field lines are one list",
            true,
            true,
            new String[] {"deflate", "br"},
            "br"),
        arguments(
            "the first listing of a coding wins",
            true,
            true,
            new String[] {"gzip;q=0, gzip"},
            "identity"),
        arguments("'brotli' is not the br token", true, true, new String[] {"brotli"}, "identity"),
        arguments("identity only", true, true, new String[] {"identity"}, "identity"),
        arguments(
            "empty elements and spaces are skipped",
            true,
            true,
            new String[] {" , gzip ,, "},
            "gzip"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptEncoding")
  void acceptEncodingIsNormalisedToOneToken(
      String rule, boolean gzip, boolean brotli, String[] values, String expected) {
    assertThat(CacheKeys.acceptEncodingToken(gzip, brotli, Arrays.asList(values)))
        .isEqualTo(expected);
    String[] headers = new String[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      headers[2 * i] = "Accept-Encoding";
      headers[2 * i + 1] = values[i];
    }
    CachePolicy p = policy().compression(gzip, brotli).build();
    assertThat(CacheKeys.acceptEncodingToken(p, TestHeaders.of(headers))).isEqualTo(expected);
    assertThat(CacheKeys.of(p, "h", "/", null, TestHeaders.of(headers)).value())
        .endsWith("\nae " + expected);
  }
}
