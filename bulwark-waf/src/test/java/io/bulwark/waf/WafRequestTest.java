package io.bulwark.waf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The request view: header list, cookie parsing, and the builder's reuse. */
class WafRequestTest {
  private static final InetAddress IP = InetAddress.getLoopbackAddress();

  private static WafRequest withCookieHeaders(String... values) {
    WafRequest.Builder b = WafRequest.builder().clientIp(IP).header("Host", "h");
    for (String v : values) {
      b.header("Cookie", v);
    }
    return b.build();
  }

  private static List<String> cookies(String... values) {
    return withCookieHeaders(values).cookies().stream()
        .map(c -> c.name() + "=" + c.value())
        .toList();
  }

  @Test
  void cookieCases() {
    assertThat(cookies("a=1; b=2")).containsExactly("a=1", "b=2");
    assertThat(cookies(" a = 1 ;b=  2  ;")).containsExactly("a=1", "b=2");
    assertThat(cookies("flag; =v; x==y")).containsExactly("flag=", "=v", "x==y");
    assertThat(cookies(";;", "", " ; \t")).isEmpty();
    assertThat(cookies("a=1", "b=2; c")).containsExactly("a=1", "b=2", "c=");
    assertThat(cookies("u=\u3000v\u3000; w=\u00a0x")).containsExactly("u=v", "w=\u00a0x");
    assertThat(cookies("session=9f2c; cookie_consent=%7B%22necessary%22%3Atrue%7D"))
        .containsExactly("session=9f2c", "cookie_consent=%7B%22necessary%22%3Atrue%7D");
  }

  @Test
  void cookieHeaderNameIsCaseInsensitiveAsRootLowerCasing() {
    for (String name : List.of("cookie", "COOKIE", "Cookie", "cOoKiE", "coo\u212Aie")) {
      assertThat(WafRequest.isCookieHeader(name)).as(name).isTrue();
    }
    for (String name : List.of("cookies", "cooki", "cook\u0130e", "cook\u0131e", "set-cookie")) {
      assertThat(WafRequest.isCookieHeader(name)).as(name).isFalse();
    }
    WafRequest r =
        WafRequest.builder().clientIp(IP).header("COOKIE", "a=1").header("X", "b=2").build();
    assertThat(r.cookies()).containsExactly(new WafRequest.Cookie("a", "1"));
  }

  /** The parser as it was (String.split and strip): the one-pass parser must agree with it. */
  private static List<WafRequest.Cookie> reference(List<WafRequest.Header> headers) {
    List<WafRequest.Cookie> out = new ArrayList<>();
    for (WafRequest.Header h : headers) {
      if (!h.name().toLowerCase(Locale.ROOT).equals("cookie")) {
        continue;
      }
      for (String part : h.value().split(";")) {
        String p = part.strip();
        if (p.isEmpty()) {
          continue;
        }
        int eq = p.indexOf('=');
        if (eq < 0) {
          out.add(new WafRequest.Cookie(p, ""));
        } else {
          out.add(new WafRequest.Cookie(p.substring(0, eq).strip(), p.substring(eq + 1).strip()));
        }
      }
    }
    return out;
  }

  @Test
  void agreesWithTheSplitAndStripParserOnRandomHeaders() {
    char[] alphabet = {
      'a', 'b', 'Z', '0', '=', ';', ' ', '\t', '\n', '\u000b', '\u001f', '\u00a0', '\u2003',
      '\u3000', '%', '"', ',', '\u00e9', '\ud83d', '\ude00'
    };
    String[] names = {"Cookie", "cookie", "X-Cookie", "COOKIE", "cook\u0130e", "coo\u212Aie"};
    Random rnd = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      WafRequest.Builder b = WafRequest.builder().clientIp(IP);
      int headers = rnd.nextInt(4);
      for (int h = 0; h < headers; h++) {
        StringBuilder v = new StringBuilder();
        int len = rnd.nextInt(24);
        for (int k = 0; k < len; k++) {
          v.append(alphabet[rnd.nextInt(alphabet.length)]);
        }
        b.header(names[rnd.nextInt(names.length)], v.toString());
      }
      WafRequest r = b.build();
      assertThat(r.cookies()).as(r.headers().toString()).isEqualTo(reference(r.headers()));
    }
  }

  @Test
  void givenCookiesWinAndListsAreUnmodifiable() {
    WafRequest r =
        WafRequest.builder()
            .clientIp(IP)
            .header("Cookie", "a=1")
            .cookies(List.of(new WafRequest.Cookie("b", "2")))
            .build();
    assertThat(r.cookies()).containsExactly(new WafRequest.Cookie("b", "2"));
    assertThatThrownBy(() -> r.headers().add(new WafRequest.Header("x", "y")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> withCookieHeaders("a=1").cookies().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void headersKeepOrderAndABuilderCanGoOnAfterBuild() {
    WafRequest.Builder b = WafRequest.builder().clientIp(IP).expectHeaders(2);
    for (int i = 0; i < 40; i++) {
      b.header("h" + i, "v" + i);
    }
    WafRequest first = b.build();
    b.header("late", "x");
    WafRequest second = b.build();
    assertThat(first.headers()).hasSize(40);
    assertThat(first.headers().get(39)).isEqualTo(new WafRequest.Header("h39", "v39"));
    assertThat(second.headers()).hasSize(41).endsWith(new WafRequest.Header("late", "x"));
    assertThat(first.header("H7")).isEqualTo("v7");
    assertThat(first.header("late")).isNull();
    assertThatThrownBy(() -> first.headers().get(40)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(WafRequest.builder().clientIp(IP).build().headers()).isEmpty();
  }
}
