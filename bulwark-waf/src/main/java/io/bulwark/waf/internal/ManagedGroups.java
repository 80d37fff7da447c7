package io.bulwark.waf.internal;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.config.node.YamlTree;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in rule groups. Each is a data file in this jar ({@code
 * io/bulwark/waf/managed/<name>.yaml}) written in the same schema as a user-defined rule group, so
 * every rule has a stable name and label and can be overridden like any other. The two IP-list
 * groups read their addresses from a list file the operator supplies ({@code ip-list-file}).
 *
 * <h2>IP list file format</h2>
 *
 * UTF-8 text, one entry per line: an IPv4 or IPv6 address or CIDR block, optionally followed by
 * white space and a category; '#' starts a comment; blank lines are ignored. Categories:
 * ip-reputation takes {@code malicious} (the default), {@code reconnaissance}, {@code ddos};
 * anonymous-ip takes {@code anonymous} (the default) and {@code hosting-provider}.
 */
public final class ManagedGroups {
  private ManagedGroups() {}

  /** Our name, then the AWS names accepted as aliases. */
  static final Map<String, List<String>> NAMES = new LinkedHashMap<>();

  /** IP-list categories per group; the first is the default. */
  static final Map<String, List<String>> CATEGORIES =
      Map.of(
          "ip-reputation", List.of("malicious", "reconnaissance", "ddos"),
          "anonymous-ip", List.of("anonymous", "hosting-provider"));

  static {
    NAMES.put("core-rule-set", List.of("AWSManagedRulesCommonRuleSet"));
    NAMES.put("known-bad-inputs", List.of("AWSManagedRulesKnownBadInputsRuleSet"));
    NAMES.put("sql-database", List.of("AWSManagedRulesSQLiRuleSet"));
    NAMES.put(
        "unix-command-injection",
        List.of("AWSManagedRulesUnixRuleSet", "AWSManagedRulesLinuxRuleSet"));
    NAMES.put("ip-reputation", List.of("AWSManagedRulesAmazonIpReputationList"));
    NAMES.put("anonymous-ip", List.of("AWSManagedRulesAnonymousIpList"));
  }

  /** The built-in group names. */
  public static List<String> names() {
    return List.copyOf(NAMES.keySet());
  }

  static String canonical(String name) {
    for (Map.Entry<String, List<String>> e : NAMES.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) || e.getValue().stream().anyMatch(name::equals)) {
        return e.getKey();
      }
    }
    return null;
  }

  static RuleGroup load(String requested, ConfigNode ref, AclReader reader) {
    String name = canonical(requested);
    if (name == null) {
      reader
          .problems()
          .add(
              ref.get("name")
                  .problem(
                      "no built-in rule group named '" + requested + "'",
                      "use one of: " + String.join(", ", NAMES.keySet())));
      return null;
    }
    Map<String, IpSet> ipSets = new HashMap<>();
    List<String> categories = CATEGORIES.get(name);
    ConfigNode listFile = ref.get("ip-list-file");
    if (categories != null) {
      if (listFile == null || listFile.text() == null) {
        reader
            .problems()
            .add(
                ref.problem(
                    "built-in group '"
                        + name
                        + "' reads its addresses from a list file you"
                        + " supply",
                    "add 'ip-list-file: path/to/list.txt' (one CIDR per line, optionally"
                        + " followed by a category: "
                        + String.join(", ", categories)
                        + ")"));
        return null;
      }
      if (!readList(listFile, name, categories, reader, ipSets)) {
        return null;
      }
    } else if (listFile != null) {
      reader
          .problems()
          .add(
              listFile.problem(
                  "built-in group '" + name + "' takes no ip-list-file",
                  "remove ip-list-file; only ip-reputation and anonymous-ip read one"));
    }
    ConfigNode root = resource(name);
    return reader.readManagedGroup(root, name, ipSets);
  }

  /** Parses a built-in group's data file; a broken one is a defect of this jar. */
  public static ConfigNode resource(String name) {
    String path = "/io/bulwark/waf/managed/" + name + ".yaml";
    try (InputStream in = ManagedGroups.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("built-in rule group file missing: " + path);
      }
      return YamlTree.parse(
          "bulwark-waf.jar!" + path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | ConfigException e) {
      throw new IllegalStateException("cannot read built-in rule group " + path + ": " + e, e);
    }
  }

  private static boolean readList(
      ConfigNode at,
      String group,
      List<String> categories,
      AclReader reader,
      Map<String, IpSet> out) {
    Path p = reader.env().baseDirectory().resolve(at.text());
    List<String> lines;
    try {
      lines = Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      reader
          .problems()
          .add(
              at.problem(
                  "cannot read ip-list-file " + p + ": " + e.getMessage(),
                  "check the path (relative paths start at the configuration's directory)"));
      return false;
    }
    Map<String, IpSet.Builder> builders = new LinkedHashMap<>();
    for (String c : categories) {
      builders.put(c, IpSet.builder());
    }
    boolean ok = true;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String l = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (l.isEmpty()) {
        continue;
      }
      String[] parts = l.split("\\s+");
      String category = parts.length > 1 ? parts[1] : categories.get(0);
      String where = p + ":" + (i + 1);
      if (parts.length > 2 || !builders.containsKey(category)) {
        reader
            .problems()
            .add(
                at.problem(
                    where
                        + ": '"
                        + l
                        + "' is not '<cidr> [category]' with a category of "
                        + String.join(", ", categories),
                    "fix that line of the list file"));
        ok = false;
        continue;
      }
      try {
        builders.get(category).add(parts[0]);
      } catch (IpSet.MalformedEntry e) {
        reader
            .problems()
            .add(at.problem(where + ": " + e.getMessage(), "fix that line of the list file"));
        ok = false;
      }
    }
    builders.forEach((k, b) -> out.put(k, b.build()));
    return ok;
  }
}
