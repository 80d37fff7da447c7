package io.bulwark.edge.internal;

import io.bulwark.core.Key;
import io.bulwark.edge.WafSamples;
import io.bulwark.waf.Action;
import io.bulwark.waf.ChallengeService;
import io.bulwark.waf.CustomResponse;
import io.bulwark.waf.LabelForwarding;
import io.bulwark.waf.Verdict;
import io.bulwark.waf.WafRequest;
import io.bulwark.waf.WebAcl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The web ACL phase (DESIGN.md step 3): after routing, before behaviors and the cache, so a blocked
 * request costs no origin or cache work. The distribution's web ACL sees the request line, headers,
 * cookies, client address and the body up to {@value #BODY_INSPECTION_LIMIT} bytes (CloudFront's
 * default inspection size; a longer body is marked oversize and the rule's oversize handling
 * decides). The body is already bounded by {@code edge.max-request-body}, so nothing here buffers
 * without limit.
 *
 * <p>Challenge: a request the ACL challenges gets a 202 interstitial page whose script solves a
 * small proof of work and posts it to {@value #VERIFY_PATH}; a correct answer gets the signed token
 * cookie and a redirect back, and requests with a valid token pass (the engine checks it).
 *
 * <p>Labels: with the web ACL's {@code forward-labels}, the verdict's labels (those in the listed
 * namespaces) are left under {@link #FORWARDED_LABELS} for {@link OriginRequests}, which removes
 * the viewer's copy of the header and sends the edge's own to the origin.
 */
final class WafPhase implements RequestPhases.Phase {
  static final int BODY_INSPECTION_LIMIT = 16 * 1024;
  static final String VERIFY_PATH = "/.bulwark/challenge";

  /**
   * The label header for the origin request.
   *
   * @param header the header name
   * @param value the labels to send, or null when none qualifies (the viewer's copy is still
   *     removed)
   */
  record ForwardedLabels(String header, String value) {}

  static final Key<ForwardedLabels> FORWARDED_LABELS =
      Key.of("wafForwardedLabels", ForwardedLabels.class);

  @Override
  public boolean apply(Exchange ex) {
    String aclName = ex.distribution.webAcl();
    if (aclName == null) {
      return false;
    }
    WebAcl acl = ex.runtime.webAcl(aclName);
    if (acl == null) {
      return false; // validated at load: cannot happen with a loaded snapshot
    }
    Instant now = ex.runtime.clock().instant();
    if (VERIFY_PATH.equals(ex.path) && acl.challenge() != null) {
      verifyChallenge(ex, acl.challenge(), now);
      return true;
    }
    Verdict v = acl.evaluate(request(ex), now);
    ex.wafLabels = v.labels();
    LabelForwarding forward = acl.forwardLabels();
    if (forward != null) {
      ex.attrs.set(
          FORWARDED_LABELS, new ForwardedLabels(forward.header(), forward.value(v.labels())));
    }
    EdgeMetrics.WafCounters m = ex.runtime.shared().metrics.waf(aclName);
    for (String counted : v.countedRules()) {
      m.increment(counted, Action.COUNT);
      sample(ex, aclName, counted, "COUNT", v, now);
    }
    m.increment(v.terminatingRule(), v.action());
    if (!v.byDefault() || v.action() != Action.ALLOW) {
      sample(ex, aclName, v.terminatingRule(), v.action().name(), v, now);
    }
    switch (v.action()) {
      case BLOCK -> {
        block(ex, v);
        return true;
      }
      case CHALLENGE -> {
        challenge(ex, acl.challenge(), now);
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * The request view for the engine. Netty's decoder gives each header name as a new {@link
   * AsciiString} in the viewer's case and each value as a String; iterating the headers as Strings
   * would copy every name. Names are passed lower-cased instead ({@link #lowerName}: a table of the
   * usual names, so those cost a lookup and no copy), which the engine compares case-insensitively
   * anyway and would otherwise lower-case again; values are passed as they are.
   */
  static WafRequest request(Exchange ex) {
    HttpHeaders headers = ex.request.headers();
    WafRequest.Builder b =
        WafRequest.builder()
            .method(ex.method)
            .uriPath(ex.path)
            .rawQuery(ex.rawQuery)
            .expectHeaders(headers.size());
    Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> h = it.next();
      b.header(lowerName(h.getKey()), h.getValue().toString());
    }
    ByteBuf body = ex.request.content();
    int n = Math.min(body.readableBytes(), BODY_INSPECTION_LIMIT);
    if (n > 0) {
      byte[] bytes = new byte[n];
      body.getBytes(body.readerIndex(), bytes);
      b.body(bytes, body.readableBytes() > BODY_INSPECTION_LIMIT);
    }
    if (ex.ctx.channel().remoteAddress() instanceof InetSocketAddress isa) {
      InetAddress a = isa.getAddress();
      if (a != null) {
        b.clientIp(a);
      }
    }
    return b.build();
  }

  /** Request header names a browser or client commonly sends, lower-cased. */
  private static final String[] COMMON_NAMES = {
    "host",
    "user-agent",
    "accept",
    "accept-language",
    "accept-encoding",
    "accept-charset",
    "connection",
    "keep-alive",
    "cookie",
    "referer",
    "origin",
    "content-type",
    "content-length",
    "transfer-encoding",
    "expect",
    "cache-control",
    "pragma",
    "priority",
    "dnt",
    "te",
    "upgrade",
    "upgrade-insecure-requests",
    "sec-fetch-site",
    "sec-fetch-mode",
    "sec-fetch-dest",
    "sec-fetch-user",
    "sec-ch-ua",
    "sec-ch-ua-mobile",
    "sec-ch-ua-platform",
    "sec-gpc",
    "if-none-match",
    "if-modified-since",
    "if-match",
    "if-unmodified-since",
    "if-range",
    "range",
    "authorization",
    "x-requested-with",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-real-ip",
    "forwarded",
    "via",
    "x-api-key",
    "x-csrf-token",
  };

  private static final int NAME_SLOTS = 128;
  private static final AsciiString[] NAME_LOWER = new AsciiString[NAME_SLOTS];
  private static final AsciiString[] NAME_TITLE = new AsciiString[NAME_SLOTS];
  private static final String[] NAME_VALUES = new String[NAME_SLOTS];

  static {
    for (String n : COMMON_NAMES) {
      AsciiString lower = AsciiString.cached(n);
      int i = lower.hashCode() & (NAME_SLOTS - 1);
      while (NAME_LOWER[i] != null) {
        i = (i + 1) & (NAME_SLOTS - 1);
      }
      NAME_LOWER[i] = lower;
      NAME_TITLE[i] = AsciiString.cached(titleCase(n));
      NAME_VALUES[i] = n;
    }
  }

  /** {@code user-agent} → {@code User-Agent}, as HTTP/1.1 clients usually write names. */
  private static String titleCase(String lower) {
    char[] c = lower.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if ((i == 0 || c[i - 1] == '-') && c[i] >= 'a' && c[i] <= 'z') {
        c[i] -= 'a' - 'A';
      }
    }
    return new String(c);
  }

  /**
   * A header name lower-cased in ASCII (a token has no other letters). For the usual names an
   * {@link AsciiString}'s hash, which ignores case, finds a shared String without copying: a name
   * written as usual ({@code User-Agent} or {@code user-agent}) is recognized with one word-wise
   * comparison, any other casing byte by byte.
   */
  static String lowerName(CharSequence name) {
    if (name instanceof AsciiString a) {
      for (int i = a.hashCode() & (NAME_SLOTS - 1); NAME_LOWER[i] != null; ) {
        if (a.equals(NAME_TITLE[i]) || a.equals(NAME_LOWER[i]) || equalsLower(NAME_LOWER[i], a)) {
          return NAME_VALUES[i];
        }
        i = (i + 1) & (NAME_SLOTS - 1);
      }
      return a.toLowerCase().toString();
    }
    String s = name.toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] out = s.toCharArray();
        for (int j = i; j < out.length; j++) {
          if (out[j] >= 'A' && out[j] <= 'Z') {
            out[j] += 'a' - 'A';
          }
        }
        return new String(out);
      }
    }
    return s;
  }

  /** True when {@code a} lower-cased in ASCII is {@code lower}. */
  private static boolean equalsLower(AsciiString lower, AsciiString a) {
    int n = lower.length();
    if (a.length() != n) {
      return false;
    }
    byte[] k = lower.array();
    byte[] b = a.array();
    int koff = lower.arrayOffset();
    int off = a.arrayOffset();
    for (int i = 0; i < n; i++) {
      int c = b[off + i];
      int l = k[koff + i];
      if (c != l && (l < 'a' || l > 'z' || c != l - ('a' - 'A'))) {
        return false;
      }
    }
    return true;
  }

  private static void block(Exchange ex, Verdict v) {
    CustomResponse r = v.response() == null ? CustomResponse.DEFAULT_BLOCK : v.response();
    String text =
        r.body() != null ? r.body() : "403 Request blocked by the web application firewall\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(r.status()),
            ex.isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
    resp.headers()
        .set(
            HttpHeaderNames.CONTENT_TYPE,
            r.contentType() != null ? r.contentType() : "text/plain; charset=utf-8");
    for (WafRequest.Header h : r.headers()) {
      resp.headers().add(h.name(), h.value());
    }
    HttpUtil.setContentLength(resp, bytes.length);
    resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    ex.resultType = "Error";
    ex.detailedResultType = "WafBlocked:" + v.terminatingRule();
    ex.respond(resp);
  }

  private static void challenge(Exchange ex, ChallengeService c, Instant now) {
    String host = ex.request.headers().get(HttpHeaderNames.HOST, "");
    String page = c.interstitialPage(c.newPuzzle(host, now), VERIFY_PATH, ex.request.uri());
    byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.ACCEPTED,
            ex.isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
    resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    HttpUtil.setContentLength(resp, bytes.length);
    ex.resultType = "Error";
    ex.detailedResultType = "WafChallenge";
    ex.respond(resp);
  }

  /**
   * {@value #VERIFY_PATH}?puzzle=..&nonce=..&return=.. (the interstitial's script navigates here; a
   * form POST with the same fields works too): the token cookie, then back where the viewer was.
   *
   * <p>The cookie's {@code Max-Age} is the web ACL's longest challenge immunity time ({@code c} is
   * the web ACL's own service, see {@code WebAclParser.withLongestImmunity}): the puzzle does not
   * say which rule challenged, and the cookie must outlive the token for every rule that accepts
   * it. A rule with a shorter immunity time refuses the older token and challenges again.
   */
  private static void verifyChallenge(Exchange ex, ChallengeService c, Instant now) {
    String fields =
        "POST".equals(ex.method)
            ? ex.request.content().toString(StandardCharsets.UTF_8)
            : (ex.rawQuery == null ? "" : ex.rawQuery);
    Map<String, List<String>> p = new QueryStringDecoder(fields, false).parameters();
    String puzzle = first(p, "puzzle");
    String nonce = first(p, "nonce");
    String back = first(p, "return");
    String host = ex.request.headers().get(HttpHeaderNames.HOST, "");
    var token =
        puzzle != null && nonce != null
            ? c.redeem(puzzle, nonce, host, now)
            : java.util.Optional.<String>empty();
    if (token.isEmpty()) {
      ex.respondText(403, "403 Challenge not solved\n", "Error", null);
      return;
    }
    String location = back != null && back.startsWith("/") && !back.startsWith("//") ? back : "/";
    FullHttpResponse resp =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.SEE_OTHER, Unpooled.EMPTY_BUFFER);
    resp.headers().set(HttpHeaderNames.LOCATION, location);
    resp.headers()
        .set(
            HttpHeaderNames.SET_COOKIE,
            ChallengeService.TOKEN_COOKIE
                + "="
                + URLEncoder.encode(token.get(), StandardCharsets.UTF_8)
                + "; Path=/; HttpOnly; SameSite=Lax; Max-Age="
                + c.immunity().toSeconds()
                + (ex.secure ? "; Secure" : ""));
    resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    HttpUtil.setContentLength(resp, 0);
    ex.resultType = "Redirect";
    ex.respond(resp);
  }

  private static String first(Map<String, List<String>> p, String key) {
    List<String> v = p.get(key);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static void sample(
      Exchange ex, String acl, String rule, String action, Verdict v, Instant now) {
    WafSamples.Sample s =
        new WafSamples.Sample(
            now,
            acl,
            rule,
            action,
            OriginRequests.clientIp(ex),
            ex.method,
            ex.request.headers().get(HttpHeaderNames.HOST, "-"),
            ex.request.uri(),
            v.labels());
    ex.runtime.services().wafSamples().add(s);
    ex.runtime.services().accessLog().waf(s);
  }
}
