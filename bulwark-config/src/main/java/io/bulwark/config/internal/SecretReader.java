package io.bulwark.config.internal;

import io.bulwark.config.Secret;
import io.bulwark.config.node.ConfigNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a secret written in one of three forms: the text itself, {@code {env: NAME}} or {@code
 * {file: PATH}} (relative to the config file's folder, trailing newlines removed). Used for origin
 * custom headers and the WAF challenge secret, so every secret in the file is written the same way.
 *
 * <p>A secret's value never appears in a problem: messages name where it came from ("env:NAME",
 * "file:PATH") and what is wrong with it, never the text.
 */
final class SecretReader {
  private static final Set<String> SOURCES = OriginsParser.keys("env", "file");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final String FORMS = "write a string, {env: VARIABLE} or {file: PATH}";

  private final Problems problems;
  private final Path baseDir;
  private final Map<String, String> env;

  SecretReader(Problems problems, Path baseDir, Map<String, String> env) {
    this.problems = problems;
    this.baseDir = baseDir;
    this.env = env;
  }

  /**
   * The secret at {@code v}, or null with a problem.
   *
   * @param what names the value in problems, e.g. "header 'X-Origin-Verify'"
   */
  Secret read(ConfigNode v, String what) {
    if (v.isNull()) {
      problems.at(v, what + " has no value", FORMS);
      return null;
    }
    if (v.isScalar()) {
      return new Secret("inline", v.text());
    }
    if (!v.isMap() || v.keys().size() != 1 || !SOURCES.contains(v.keys().iterator().next())) {
      if (v.isMap() && v.keys().size() == 1) {
        Fields.unknownKey(
            v.get(v.keys().iterator().next()), v.keys().iterator().next(), SOURCES, problems);
      } else {
        problems.at(v, "the value of " + what + " is not a value", FORMS);
      }
      return null;
    }
    String kind = v.keys().iterator().next();
    ConfigNode ref = v.get(kind);
    if (!ref.isScalar() || ref.text().isBlank()) {
      problems.at(
          ref,
          "'" + kind + "' needs " + (kind.equals("env") ? "a variable name" : "a file path"),
          FORMS);
      return null;
    }
    String name = ref.text().trim();
    if (kind.equals("env")) {
      if (!ENV_NAME.matcher(name).matches()) {
        problems.at(
            ref,
            "'" + name + "' is not an environment variable name",
            "use letters, digits and '_', not starting with a digit");
        return null;
      }
      String value = env.get(name);
      if (value == null) {
        problems.at(
            ref,
            "environment variable " + name + " is not set",
            "set "
                + name
                + " in the environment Bulwark starts in, or read the value from a file with"
                + " {file: PATH}");
        return null;
      }
      if (value.isEmpty()) {
        problems.at(ref, "environment variable " + name + " is empty", "give it a value");
        return null;
      }
      return new Secret("env:" + name, value);
    }
    Path file = baseDir.resolve(name).normalize();
    String value;
    try {
      value = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.at(
          ref,
          "cannot read secret file " + file + " (" + e.getClass().getSimpleName() + ")",
          "create it, readable by Bulwark; a relative path is relative to the config file's"
              + " folder");
      return null;
    }
    // Files written by `echo` or an editor end in a newline that is not part of the secret.
    value = value.replaceAll("[\r\n]+$", "");
    if (value.isEmpty()) {
      problems.at(ref, "secret file " + file + " is empty", "write the value into it");
      return null;
    }
    return new Secret("file:" + name, value);
  }

  /**
   * The node a problem about the secret's value should point at: the {@code env}/{@code file}
   * reference when there is one, else the value itself.
   */
  static ConfigNode valueNode(ConfigNode v) {
    return v.isMap() && v.keys().size() == 1 ? v.get(v.keys().iterator().next()) : v;
  }

  /** Where a secret came from, in words; never its value. */
  static String describe(Secret s, String inlineWhat) {
    String source = s.source();
    if (source.startsWith("env:")) {
      return "the value of environment variable " + source.substring(4);
    }
    if (source.startsWith("file:")) {
      return "the content of secret file " + source.substring(5);
    }
    return inlineWhat;
  }
}
