package io.bulwark.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.testing.FakeOrigin;
import io.bulwark.testing.Response;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Viewer TLS (SNI picks the distribution's certificate, its minimum protocol holds) and TLS to an
 * origin (here another edge's HTTPS listener, with a self-signed certificate).
 */
class EdgeTlsTest {
  private static FakeOrigin origin;
  private static EdgeFixture tlsEdge;

  @BeforeAll
  static void start() throws Exception {
    origin = FakeOrigin.start("origin");
    origin.defaultResponder(r -> Response.ok("hello over " + r.header("X-Via-Test")));
    tlsEdge =
        EdgeFixture.start(
            """
            edge:
              http: 127.0.0.1:0
              https: 127.0.0.1:0
            logging:
              access-log: off
            origins:
              - id: o
                domain-name: 127.0.0.1
                http-port: %d
                protocol-policy: http-only
            distributions:
              - id: a
                hosts: [a.test, localhost, 127.0.0.1]
                default-behavior:
                  target: o
                  cache-policy: CachingDisabled
                  origin-request-policy: AllViewerExceptHostHeader
              - id: b
                hosts: [b.test]
                tls: {min-protocol: TLSv1.3}
                default-behavior: {target: o, cache-policy: CachingDisabled}
            """
                .formatted(origin.port()));
  }

  @AfterAll
  static void stop() {
    tlsEdge.close();
    origin.close();
  }

  static SSLContext trustAll() throws Exception {
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String a) {}

            public void checkServerTrusted(X509Certificate[] chain, String a) {}

            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    return c;
  }

  private static X509Certificate handshake(String sni, String protocol) throws Exception {
    try (SSLSocket s =
        (SSLSocket)
            trustAll().getSocketFactory().createSocket("127.0.0.1", tlsEdge.server.httpsPort())) {
      SSLParameters p = s.getSSLParameters();
      p.setServerNames(List.of(new SNIHostName(sni)));
      p.setProtocols(new String[] {protocol});
      s.setSSLParameters(p);
      s.setSoTimeout(10_000);
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void sniChoosesTheDistributionsCertificate() throws Exception {
    assertThat(handshake("a.test", "TLSv1.3").getSubjectX500Principal().getName())
        .contains("CN=a.test");
    assertThat(handshake("b.test", "TLSv1.3").getSubjectX500Principal().getName())
        .contains("CN=b.test");
  }

  @Test
  void minimumProtocolIsPerDistribution() throws Exception {
    assertThat(handshake("a.test", "TLSv1.2").getSubjectX500Principal().getName())
        .contains("a.test");
    assertThatThrownBy(() -> handshake("b.test", "TLSv1.2"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  private static String httpsOriginConfig(int port, boolean verify, String policy) {
    return """
        edge:
          http: 127.0.0.1:0
        logging:
          access-log: off
        origins:
          - id: tls-origin
            domain-name: localhost
            https-port: %d
            http-port: %d
            protocol-policy: %s
            verify-tls: %s
            min-tls: TLSv1.2
            connection-attempts: 1
        distributions:
          - id: front
            hosts: [127.0.0.1]
            default-behavior:
              target: tls-origin
              cache-policy: CachingDisabled
              origin-request-policy: AllViewerExceptHostHeader
        """
        .formatted(port, tlsEdge.server.httpPort(), policy, verify);
  }

  @Test
  void httpsOriginWithoutVerification() throws Exception {
    try (EdgeFixture front =
        EdgeFixture.start(httpsOriginConfig(tlsEdge.server.httpsPort(), false, "https-only"))) {
      HttpResponse<String> r = front.get("/x", "X-Via-Test", "tls");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("hello over tls");
    }
  }

  @Test
  void httpsOriginWithAnUntrustedCertificateIsRefused() throws Exception {
    try (EdgeFixture front =
        EdgeFixture.start(httpsOriginConfig(tlsEdge.server.httpsPort(), true, "https-only"))) {
      HttpResponse<String> r = front.get("/x");
      assertThat(r.statusCode()).isEqualTo(502);
      org.awaitility.Awaitility.await().until(() -> !front.log.isEmpty());
      assertThat(front.log.get(0).detailedResultType()).isEqualTo("OriginSslError");
    }
  }

  @Test
  void matchViewerUsesHttpForAnHttpViewer() throws Exception {
    try (EdgeFixture front =
        EdgeFixture.start(httpsOriginConfig(tlsEdge.server.httpsPort(), true, "match-viewer"))) {
      HttpResponse<String> r = front.get("/x", "X-Via-Test", "plain");
      assertThat(r.body()).isEqualTo("hello over plain");
    }
  }
}
