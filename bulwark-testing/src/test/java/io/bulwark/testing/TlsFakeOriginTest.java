package io.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class TlsFakeOriginTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static HttpClient client(TestCertificate certificate, String... protocols) {
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(WAIT).sslContext(certificate.clientContext());
    if (protocols.length > 0) {
      SSLParameters parameters = new SSLParameters();
      parameters.setProtocols(protocols);
      builder.sslParameters(parameters);
    }
    return builder.build();
  }

  private static HttpResponse<String> get(HttpClient client, FakeOrigin origin, String path)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(origin.uri(path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHttpsWithTheTestCertificate() throws Exception {
    try (FakeOrigin origin = FakeOrigin.startTls("secure")) {
      HttpClient client = client(origin.certificate());

      HttpResponse<String> response = get(client, origin, "/x");
      get(client, origin, "/y");

      assertThat(origin.scheme()).isEqualTo("https");
      assertThat(origin.uri("/x").toString()).startsWith("https://127.0.0.1:");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("secure GET /x");
      assertThat(origin.connectionCount()).isEqualTo(1); // keep-alive over TLS too
    }
  }

  @Test
  void acceptsOnlyTheConfiguredProtocols() throws Exception {
    TestCertificate certificate = TestCertificate.localhost();
    try (FakeOrigin origin = FakeOrigin.startTls("tls12", certificate, "TLSv1.2")) {
      assertThat(get(client(certificate, "TLSv1.2"), origin, "/").statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(client(certificate, "TLSv1.3"), origin, "/"))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void resetAbortsTheTcpConnectionUnderTls() throws Exception {
    TestCertificate certificate = TestCertificate.localhost();
    try (FakeOrigin origin = FakeOrigin.startTls("secure", certificate)) {
      origin.fault(Fault.RESET);

      try (SSLSocket socket =
          (SSLSocket)
              certificate
                  .clientContext()
                  .getSocketFactory()
                  .createSocket("127.0.0.1", origin.port())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        socket.getOutputStream().flush();
        assertThatThrownBy(() -> socket.getInputStream().read())
            .isInstanceOf(SocketException.class);
      }
      assertThat(origin.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void pemFilesLoadIntoNettyAsTheEdgeWillLoadThem() throws Exception {
    TestCertificate certificate = TestCertificate.localhost();

    SslContext server =
        SslContextBuilder.forServer(
                certificate.certificateFile().toFile(), certificate.privateKeyFile().toFile())
            .sslProvider(SslProvider.JDK)
            .build();
    SslContext client =
        SslContextBuilder.forClient()
            .trustManager(certificate.certificateFile().toFile())
            .sslProvider(SslProvider.JDK)
            .build();

    assertThat(server.isServer()).isTrue();
    assertThat(client.isClient()).isTrue();
  }

  @Test
  void certificateMaterialIsConsistentAndCached() throws Exception {
    TestCertificate certificate = TestCertificate.forHosts("a.test", "b.test");

    assertThat(TestCertificate.forHosts("a.test", "b.test")).isSameAs(certificate);
    X509Certificate fromFile =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(Files.readAllBytes(certificate.certificateFile())));
    assertThat(fromFile).isEqualTo(certificate.certificate());
    assertThat(fromFile.getSubjectX500Principal().getName()).isEqualTo("CN=a.test");
    List<Object> alternativeNames =
        fromFile.getSubjectAlternativeNames().stream().map(entry -> (Object) entry.get(1)).toList();
    assertThat(alternativeNames).contains("a.test", "b.test", "127.0.0.1");
    assertThat(Files.readString(certificate.privateKeyFile(), StandardCharsets.US_ASCII))
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .isEqualTo(certificate.privateKeyPem());
    assertThat(certificate.dnsNames()).isEqualTo(List.of("a.test", "b.test"));
  }
}
