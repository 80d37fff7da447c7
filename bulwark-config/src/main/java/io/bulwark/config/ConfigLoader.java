package io.bulwark.config;

import io.bulwark.config.internal.SnapshotParser;
import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.config.node.YamlTree;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads one configuration file into a {@link ConfigSnapshot}: parse (YAML or JSON, located), then
 * validate everything, then freeze.
 *
 * <p>Validation collects every problem before failing, so a user fixes a file in one pass; each
 * {@link io.bulwark.config.node.ConfigProblem} names the file, line, key path, what is wrong and
 * the fix. Unknown keys are refused with the closest known key ("did you mean 'target'?"), because
 * a misspelt key silently taking its default is the most expensive kind of typo in an edge config.
 * A secret's value never appears in a problem or in any {@code toString()}.
 *
 * <p>The schema, its defaults and ranges are documented in docs/configuration.md.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Loads {@code file}. Relative paths in it (static origin roots, secret files, certificates, the
   * access log) are relative to the file's folder; {@code {env: NAME}} secrets read this process's
   * environment.
   *
   * @throws ConfigException listing every problem found
   */
  public static ConfigSnapshot load(Path file) throws ConfigException {
    ConfigNode root = YamlTree.parse(file);
    Path absolute = file.toAbsolutePath();
    Path baseDir = absolute.getParent() != null ? absolute.getParent() : absolute;
    return SnapshotParser.parse(root, file, baseDir, System.getenv());
  }

  /**
   * Loads configuration text, as {@link #load(Path)} does a file (for tests, and for a reload from
   * text already read).
   *
   * @param fileName the name problems are reported against
   * @param yamlText the document
   * @param baseDir where relative paths resolve
   * @param env environment variables for {@code {env: NAME}} secrets
   * @throws ConfigException listing every problem found
   */
  public static ConfigSnapshot load(
      String fileName, String yamlText, Path baseDir, Map<String, String> env)
      throws ConfigException {
    ConfigNode root = YamlTree.parse(fileName, yamlText);
    return SnapshotParser.parse(root, Path.of(fileName), baseDir, Map.copyOf(env));
  }
}
