package io.bulwark.server;

import io.bulwark.config.ConfigLint;
import io.bulwark.config.ConfigLoader;
import io.bulwark.config.ConfigSnapshot;
import io.bulwark.config.LintFinding;
import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigProblem;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bulwark run CONFIG} and {@code bulwark lint CONFIG}. */
@Command(
    name = "bulwark",
    mixinStandardHelpOptions = true,
    version = "bulwark 0.1.0",
    description = "A self-hosted front door: caching edge, origin failover, admin API.",
    subcommands = {BulwarkCommand.Run.class, BulwarkCommand.Lint.class})
public final class BulwarkCommand implements Callable<Integer> {
  /** Exit code for an invalid configuration. */
  static final int EXIT_INVALID_CONFIG = 2;

  public static void main(String[] args) {
    int code = new CommandLine(new BulwarkCommand()).execute(args);
    if (code != 0 || args.length == 0 || !"run".equals(args[0])) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    new CommandLine(this).usage(System.out);
    return 0;
  }

  static void printProblems(PrintStream err, ConfigException e) {
    List<ConfigProblem> ps = e.problems();
    err.println(
        "bulwark: invalid config ("
            + ps.size()
            + (ps.size() == 1 ? " problem" : " problems")
            + "), nothing started:");
    for (ConfigProblem p : ps) {
      err.println("  " + p);
    }
  }

  @Command(name = "run", description = "Serve in the foreground until interrupted.")
  static final class Run implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "the YAML configuration file")
    Path config;

    @Override
    public Integer call() throws Exception {
      Bulwark b;
      try {
        b = Bulwark.start(config);
      } catch (ConfigException e) {
        printProblems(System.err, e);
        return EXIT_INVALID_CONFIG;
      } catch (java.io.IOException | IllegalStateException e) {
        // A port in use, an unreadable certificate: one line, not a stack trace.
        System.err.println("bulwark: cannot start: " + e.getMessage());
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    b.close();
                    stopped.countDown();
                  },
                  "bulwark-shutdown"));
      b.installSighupReload();
      System.err.println(b.describe());
      stopped.await();
      return 0;
    }
  }

  @Command(
      name = "lint",
      description =
          "Report known-bad edge configurations (seed 002's playbook). Exit 0: clean; 1: warnings; 2:"
              + " invalid.")
  static final class Lint implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "the YAML configuration file")
    Path config;

    @Override
    public Integer call() {
      ConfigSnapshot s;
      try {
        s = ConfigLoader.load(config);
        Planes.parse(s); // health checks and DNS are validated too
      } catch (ConfigException e) {
        printProblems(System.err, e);
        return EXIT_INVALID_CONFIG;
      }
      List<LintFinding> findings = ConfigLint.lint(s);
      for (LintFinding f : findings) {
        System.out.println(f);
      }
      long warnings =
          findings.stream().filter(f -> f.severity() == LintFinding.Severity.WARNING).count();
      System.out.println(
          config + ": " + findings.size() + " finding(s), " + warnings + " warning(s)");
      return warnings > 0 ? 1 : 0;
    }
  }
}
