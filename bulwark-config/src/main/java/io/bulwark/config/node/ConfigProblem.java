package io.bulwark.config.node;

/**
 * One thing wrong with a configuration file: where (file, line, key path), what, and how to fix it.
 *
 * @param file the file name as the user gave it
 * @param line 1-based line, or 0 when unknown
 * @param path the key path, e.g. {@code origin-groups[0].failover-status-codes[2]}
 * @param message what is wrong, stated exactly
 * @param fix what to change; may be empty
 */
public record ConfigProblem(String file, int line, String path, String message, String fix) {
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (path != null && !path.isEmpty()) {
      sb.append(path).append(": ");
    }
    sb.append(message);
    if (fix != null && !fix.isEmpty()) {
      sb.append(" (fix: ").append(fix).append(')');
    }
    return sb.toString();
  }
}
