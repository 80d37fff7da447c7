package io.bulwark.edge.internal;

import io.bulwark.config.ConfigSnapshot;
import io.bulwark.config.Distribution;
import io.bulwark.config.TlsSettings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * Viewer TLS: one context per distribution, chosen by SNI; BoringSSL through netty-tcnative when it
 * loads. A distribution without a certificate gets a self-signed one generated at start for its
 * hosts (with the JDK's keytool, so no extra library) — good for the quickstart and tests, and
 * logged as such; production configs name a real certificate.
 */
public final class ViewerTls {
  private ViewerTls() {}

  /** An SNI mapping for a snapshot, with a default context for viewers without SNI. */
  public static Mapping<String, SslContext> mapping(ConfigSnapshot snapshot, Path workDir)
      throws Exception {
    SslContext fallback = null;
    DomainWildcardMappingBuilder<SslContext> builder = null;
    List<Distribution> ds = snapshot.distributions();
    List<SslContext> built = new ArrayList<>();
    for (Distribution d : ds) {
      SslContext ctx = contextFor(d, workDir);
      built.add(ctx);
      if (fallback == null) {
        fallback = ctx;
        builder = new DomainWildcardMappingBuilder<>(fallback);
      }
      for (String h : d.hosts()) {
        builder.add(h, ctx);
      }
    }
    if (builder == null) {
      throw new IllegalStateException("an HTTPS listener needs at least one distribution");
    }
    return builder.build();
  }

  static SslContext contextFor(Distribution d, Path workDir) throws Exception {
    TlsSettings tls = d.tls();
    String min = tls == null ? "TLSv1.2" : tls.minProtocol();
    SslContextBuilder b;
    if (tls != null && tls.certificateChain() != null) {
      b = SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile());
    } else {
      b = SslContextBuilder.forServer(selfSigned(d, workDir));
    }
    String[] protocols =
        "TLSv1.3".equals(min) ? new String[] {"TLSv1.3"} : new String[] {"TLSv1.2", "TLSv1.3"};
    return b.sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
        .protocols(protocols)
        .applicationProtocolConfig(
            new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                ApplicationProtocolNames.HTTP_1_1))
        .build();
  }

  /** A self-signed EC certificate for the distribution's hosts, made with keytool. */
  static KeyManagerFactory selfSigned(Distribution d, Path workDir) throws Exception {
    Path dir = Files.createTempDirectory(workDir, "bulwark-selfsigned-");
    Path store = dir.resolve("edge.p12");
    StringBuilder san = new StringBuilder("SAN=");
    boolean first = true;
    for (String h : d.hosts()) {
      if (!first) {
        san.append(',');
      }
      first = false;
      boolean ip = h.matches("[0-9.]+") || h.contains(":");
      san.append(ip ? "ip:" : "dns:").append(h);
    }
    String password = "bulwark-self-signed";
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "edge",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "30",
                "-dname",
                "CN=" + d.hosts().get(0) + ", O=Bulwark self-signed (not for production)",
                "-ext",
                san.toString(),
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                password,
                "-keypass",
                password)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool could not generate a self-signed certificate: " + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, password.toCharArray());
    }
    Files.deleteIfExists(store);
    Files.deleteIfExists(dir);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, password.toCharArray());
    return kmf;
  }
}
