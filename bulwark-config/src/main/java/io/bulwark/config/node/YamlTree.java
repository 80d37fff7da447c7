package io.bulwark.config.node;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads YAML (and therefore JSON, a subset of it) into a located {@link ConfigNode} tree with the
 * streaming parser, so every node keeps the line it came from. Jackson's own tree model drops
 * locations, which is why this is not {@code ObjectMapper.readTree}.
 *
 * <p>Refused here, with the line: syntax errors, duplicate keys (YAML allows the last to win
 * silently, which hides mistakes), and documents nested deeper than {@value #MAX_DEPTH}.
 */
public final class YamlTree {
  /** Deepest nesting accepted; configuration never needs more and it bounds recursion. */
  public static final int MAX_DEPTH = 64;

  private static final YAMLFactory FACTORY = new YAMLFactory();

  private YamlTree() {}

  public static ConfigNode parse(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          new ConfigProblem(
              file.toString(),
              0,
              "",
              "cannot read the file: " + e.getClass().getSimpleName() + " " + e.getMessage(),
              "check the path and that the file is readable"));
    }
    return parse(file.toString(), text);
  }

  public static ConfigNode parse(String fileName, String yamlText) throws ConfigException {
    List<ConfigProblem> problems = new ArrayList<>();
    ConfigNode root;
    try (JsonParser p = FACTORY.createParser(yamlText)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new ConfigException(
            new ConfigProblem(
                fileName, 1, "", "the file is empty", "start from examples/quickstart.yaml"));
      }
      root = read(p, fileName, "", 0, 0, problems);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      int line = loc == null ? 0 : loc.getLineNr();
      throw new ConfigException(
          new ConfigProblem(
              fileName,
              line,
              "",
              "not valid YAML: " + syntaxSummary(e.getOriginalMessage()),
              "check indentation and quoting near this line"));
    } catch (IOException e) {
      throw new ConfigException(
          new ConfigProblem(fileName, 0, "", "cannot read: " + e.getMessage(), ""));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return root;
  }

  /**
   * Reads the value at the current token. {@code keyLine} is the line of the map key this value
   * belongs to (0 for list items and the root): a value is located at its key, where users look,
   * and not at its first nested key, where YAML's parser places a block mapping.
   */
  /**
   * The parser's first line ("while parsing a flow sequence") and its "expected ..." line, if any.
   * Other lines quote the file's text, which may hold a secret, so they are dropped.
   */
  static String syntaxSummary(String message) {
    if (message == null) {
      return "";
    }
    List<String> lines = message.lines().map(String::trim).toList();
    String first = lines.isEmpty() ? "" : lines.get(0);
    for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
      if (l.startsWith("expected ")) {
        int cut = l.indexOf(", but got");
        return first + ": " + (cut > 0 ? l.substring(0, cut) : l);
      }
    }
    return first;
  }

  private static ConfigNode read(
      JsonParser p, String file, String path, int depth, int keyLine, List<ConfigProblem> problems)
      throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    int line = keyLine > 0 ? keyLine : loc.getLineNr();
    int col = loc.getColumnNr();
    if (depth > MAX_DEPTH) {
      throw new JsonProcessingException("nested deeper than " + MAX_DEPTH + " levels", loc) {};
    }
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        LinkedHashMap<String, ConfigNode> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int entryLine = p.currentTokenLocation().getLineNr();
          String childPath = path.isEmpty() ? key : path + "." + key;
          p.nextToken();
          ConfigNode child = read(p, file, childPath, depth + 1, entryLine, problems);
          if (entries.containsKey(key)) {
            problems.add(
                new ConfigProblem(
                    file,
                    entryLine,
                    childPath,
                    "duplicate key '" + key + "' (first at line " + entries.get(key).line() + ")",
                    "remove one of them"));
          } else {
            entries.put(key, child);
          }
        }
        return ConfigNode.map(file, line, col, path, entries);
      }
      case START_ARRAY -> {
        List<ConfigNode> items = new ArrayList<>();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(read(p, file, path + "[" + i + "]", depth + 1, 0, problems));
          i++;
        }
        return ConfigNode.list(file, line, col, path, items);
      }
      case VALUE_NULL -> {
        return ConfigNode.nul(file, line, col, path);
      }
      case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
        return ConfigNode.scalar(file, line, col, path, p.getText());
      }
      default -> throw new JsonProcessingException("unexpected " + t, loc) {};
    }
  }
}
