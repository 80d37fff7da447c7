package io.bulwark.config;

/**
 * One configuration that is valid but known to go wrong in production, located in its file.
 *
 * @param severity how much it matters
 * @param rule a stable short name for the check, e.g. "origin-target-no-failover"
 * @param file the configuration file
 * @param line 1-based line, or 0 when the finding concerns something not written in the file (a
 *     managed policy)
 * @param path the key path, e.g. {@code distributions[0].behaviors[1].target}
 * @param message what will happen, stated exactly
 * @param fix what to change
 */
public record LintFinding(
    Severity severity,
    String rule,
    String file,
    int line,
    String path,
    String message,
    String fix) {

  /** How much a finding matters. */
  public enum Severity {
    /** Will hurt in production: failover that never fires, a bypassable origin, plaintext. */
    WARNING,
    /** Correct and often intended, but worth knowing (a gap the config cannot close). */
    INFO
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ").append(severity.name().toLowerCase(java.util.Locale.ROOT)).append(": ");
    if (path != null && !path.isEmpty()) {
      sb.append(path).append(": ");
    }
    sb.append(message).append(" [").append(rule).append(']');
    if (fix != null && !fix.isEmpty()) {
      sb.append(" (fix: ").append(fix).append(')');
    }
    return sb.toString();
  }
}
