package io.bulwark.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate and key for TLS tests (EC P-256), valid for the given DNS names plus
 * the IP addresses 127.0.0.1 and ::1, as JDK objects, PEM text and PEM files.
 *
 * <p>It is made by the JDK's own {@code keytool}, because the JDK has no public API to issue a
 * certificate and Netty's {@code SelfSignedCertificate} needs either BouncyCastle or JDK internals
 * that Java 17 closes off. One certificate per set of names is made per JVM and cached; its files
 * live in a temporary folder deleted at exit.
 */
public final class TestCertificate {
  private static final char[] PASSWORD = "bulwark-test".toCharArray();
  private static final Map<List<String>, TestCertificate> CACHE = new ConcurrentHashMap<>();

  private final List<String> dnsNames;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final KeyStore keyStore;
  private final Path certificateFile;
  private final Path privateKeyFile;

  private TestCertificate(
      List<String> dnsNames,
      X509Certificate certificate,
      PrivateKey privateKey,
      KeyStore keyStore,
      Path certificateFile,
      Path privateKeyFile) {
    this.dnsNames = dnsNames;
    this.certificate = certificate;
    this.privateKey = privateKey;
    this.keyStore = keyStore;
    this.certificateFile = certificateFile;
    this.privateKeyFile = privateKeyFile;
  }

  /** A certificate for {@code localhost}, 127.0.0.1 and ::1. */
  public static TestCertificate localhost() {
    return forHosts("localhost");
  }

  /** A certificate whose subject is the first name and whose SANs are all names plus loopback. */
  public static TestCertificate forHosts(String... dnsNames) {
    if (dnsNames.length == 0) {
      throw new IllegalArgumentException("a certificate names at least one host");
    }
    return CACHE.computeIfAbsent(List.of(dnsNames), TestCertificate::generate);
  }

  public List<String> dnsNames() {
    return dnsNames;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The certificate as PEM text. */
  public String certificatePem() {
    try {
      return pem("CERTIFICATE", certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The private key as unencrypted PKCS#8 PEM text ({@code BEGIN PRIVATE KEY}). */
  public String privateKeyPem() {
    return pem("PRIVATE KEY", privateKey.getEncoded());
  }

  /** A PEM file holding the certificate (also usable as a trust anchor). */
  public Path certificateFile() {
    return certificateFile;
  }

  /** A PEM file holding the private key (PKCS#8, unencrypted). */
  public Path privateKeyFile() {
    return privateKeyFile;
  }

  /** A server context presenting this certificate. */
  public SSLContext serverContext() {
    try {
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client context that trusts this certificate and nothing else. */
  public SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("bulwark-test", certificate);
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static TestCertificate generate(List<String> dnsNames) {
    try {
      Path dir = Files.createTempDirectory("bulwark-cert-");
      Path store = dir.resolve("cert.p12");
      List<String> san = new ArrayList<>();
      for (String name : dnsNames) {
        san.add("dns:" + name);
      }
      san.add("ip:127.0.0.1");
      san.add("ip:::1");
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
              // A short-lived tool: the client compiler and serial GC start it several times
              // faster.
              "-J-XX:TieredStopAtLevel=1",
              "-J-XX:+UseSerialGC",
              "-genkeypair",
              "-alias",
              "bulwark-test",
              "-keyalg",
              "EC",
              "-groupname",
              "secp256r1",
              "-validity",
              "3650",
              "-dname",
              "CN=" + dnsNames.get(0),
              "-ext",
              "SAN=" + String.join(",", san),
              "-storetype",
              "PKCS12",
              "-keystore",
              store.toString(),
              "-storepass",
              new String(PASSWORD),
              "-keypass",
              new String(PASSWORD));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "keytool failed: " + new String(output, StandardCharsets.UTF_8));
      }
      KeyStore keyStore = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        keyStore.load(in, PASSWORD);
      }
      X509Certificate certificate = (X509Certificate) keyStore.getCertificate("bulwark-test");
      PrivateKey key = (PrivateKey) keyStore.getKey("bulwark-test", PASSWORD);
      Path certFile = dir.resolve("cert.pem");
      Path keyFile = dir.resolve("key.pem");
      Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
      for (Path path : List.of(dir, store, certFile, keyFile)) {
        path.toFile().deleteOnExit(); // registered parent first: deleted last
      }
      return new TestCertificate(dnsNames, certificate, key, keyStore, certFile, keyFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
