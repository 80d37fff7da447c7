package io.bulwark.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TempSiteAndPortsTest {

  @Test
  void tempSiteWritesFilesAndDeletesEverythingOnClose() throws Exception {
    Path root;
    Path outside = Files.createTempFile("bulwark-outside-", ".txt");
    try (TempSite site = TempSite.create()) {
      root = site.root();
      site.file("index.html", "<h1>hi</h1>")
          .file("a/b/c.txt", "deep")
          .directory("empty")
          .symlink("link", outside)
          .modified("index.html", Instant.parse("2025-01-01T00:00:00Z"));

      assertThat(Files.readString(site.path("a/b/c.txt"))).isEqualTo("deep");
      assertThat(Files.getLastModifiedTime(site.path("index.html")).toInstant())
          .isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
      assertThat(Files.isSymbolicLink(site.path("link"))).isTrue();
    }
    assertThat(root).doesNotExist();
    assertThat(outside).exists(); // the link was removed, not its target
    Files.delete(outside);
  }

  @Test
  void unusedPortRefusesConnections() {
    int port = Ports.unusedPort();

    assertThat(port).isPositive();
    assertThatThrownBy(() -> new Socket(Ports.LOOPBACK, port).close())
        .isInstanceOf(ConnectException.class);
  }
}
