package io.bulwark.dns;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code dig} against a server; tests skip (by assumption) only when it is absent.
 */
final class Dig {
  private Dig() {}

  static boolean available() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "dig"))) {
        return true;
      }
    }
    return false;
  }

  static String run(InetSocketAddress server, String... args)
      throws IOException, InterruptedException {
    assumeTrue(available(), "dig is not installed (Debian package dnsutils)");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "dig",
                "@" + server.getAddress().getHostAddress(),
                "-p",
                String.valueOf(server.getPort()),
                "+time=3",
                "+tries=1",
                "+norecurse"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("dig did not finish: " + cmd);
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
