package io.bulwark.config.internal;

import static io.bulwark.config.internal.OriginsParser.keys;
import static io.bulwark.config.internal.OriginsParser.ordered;

import io.bulwark.config.CachePolicy;
import io.bulwark.config.HeaderNames;
import io.bulwark.config.KeyFields;
import io.bulwark.config.OriginRequestPolicy;
import io.bulwark.config.node.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cache-policies} and {@code origin-request-policies} sections. Managed policies are
 * registered first, so a user-defined policy can neither shadow one by name nor by CloudFront ID.
 */
public final class PoliciesParser {
  static final Set<String> CACHE_POLICY_KEYS =
      keys(
          "id",
          "min-ttl",
          "default-ttl",
          "max-ttl",
          "headers",
          "cookies",
          "query-strings",
          "gzip",
          "brotli",
          "cache-private-at-min-ttl",
          "error-caching-ttl",
          "serve-stale-on-error",
          "heuristic-freshness",
          "targeted-cache-control");
  static final Set<String> ORIGIN_REQUEST_POLICY_KEYS =
      keys("id", "headers", "cookies", "query-strings");
  private static final Set<String> KEY_FIELDS_KEYS = keys("behavior", "items");

  private static final Map<String, KeyFields.Behavior> CACHE_BEHAVIORS =
      ordered(
          "none",
          KeyFields.Behavior.NONE,
          "whitelist",
          KeyFields.Behavior.WHITELIST,
          "all-except",
          KeyFields.Behavior.ALL_EXCEPT,
          "all",
          KeyFields.Behavior.ALL);
  private static final Map<String, KeyFields.Behavior> FORWARDED_HEADER_BEHAVIORS =
      ordered(
          "none",
          KeyFields.Behavior.NONE,
          "whitelist",
          KeyFields.Behavior.WHITELIST,
          "all-except",
          KeyFields.Behavior.ALL_EXCEPT,
          "all-viewer",
          KeyFields.Behavior.ALL);

  private static final Duration MAX_TTL = Duration.ofDays(36_500);

  private final Problems problems;
  final Registry<CachePolicy> cachePolicies = new Registry<>("cache policy");
  final Registry<OriginRequestPolicy> originRequestPolicies =
      new Registry<>("origin request policy");

  public PoliciesParser(Problems problems) {
    this.problems = problems;
  }

  public Registry<CachePolicy> cachePolicies() {
    return cachePolicies;
  }

  public Registry<OriginRequestPolicy> originRequestPolicies() {
    return originRequestPolicies;
  }

  public void parseCachePolicies(List<ConfigNode> items) {
    for (ConfigNode item : items) {
      Fields f = Fields.of(item, problems, "a cache policy", CACHE_POLICY_KEYS);
      if (!f.valid()) {
        continue;
      }
      int before = problems.count();
      String id = declare(f, cachePolicies);
      Duration min = f.duration("min-ttl", Duration.ZERO, Duration.ZERO, MAX_TTL);
      Duration def = f.duration("default-ttl", Duration.ofDays(1), Duration.ZERO, MAX_TTL);
      Duration max = f.duration("max-ttl", Duration.ofDays(365), Duration.ZERO, MAX_TTL);
      if (problems.count() == before) {
        ttlOrder(f, "min-ttl", min, "default-ttl", def);
        ttlOrder(f, "default-ttl", def, "max-ttl", max);
      }
      KeyFields headers = keyFields(f, "headers", CACHE_BEHAVIORS, Kind.CACHE_HEADER);
      KeyFields cookies = keyFields(f, "cookies", CACHE_BEHAVIORS, Kind.COOKIE);
      KeyFields qs = keyFields(f, "query-strings", CACHE_BEHAVIORS, Kind.QUERY_STRING);
      boolean gzip = f.bool("gzip", true);
      boolean brotli = f.bool("brotli", true);
      boolean privateAtMin = f.bool("cache-private-at-min-ttl", false);
      Duration errorTtl =
          f.duration(
              "error-caching-ttl", CachePolicy.DEFAULT_ERROR_CACHING_TTL, Duration.ZERO, MAX_TTL);
      Duration staleOnError =
          f.duration("serve-stale-on-error", Duration.ZERO, Duration.ZERO, MAX_TTL);
      boolean heuristic = f.bool("heuristic-freshness", false);
      String targeted = targetedField(f);
      if (id != null && problems.count() == before) {
        cachePolicies.put(
            id,
            new CachePolicy(
                id,
                min,
                def,
                max,
                headers,
                cookies,
                qs,
                gzip,
                brotli,
                privateAtMin,
                errorTtl,
                staleOnError,
                heuristic,
                targeted));
      }
    }
  }

  /**
   * A targeted cache-control field name (RFC 9213): a token, not a field the edge already gives a
   * meaning (Cache-Control, CDN-Cache-Control is honoured anyway). Lower-cased.
   */
  private String targetedField(Fields f) {
    String name = f.string("targeted-cache-control", null);
    if (name == null) {
      return null;
    }
    String lower = name.trim().toLowerCase(Locale.ROOT);
    if (lower.isEmpty() || !lower.chars().allMatch(PoliciesParser::tokenChar)) {
      problems.at(
          f.get("targeted-cache-control"),
          "'" + name + "' is not a header field name",
          "write a field name such as Bulwark-Cache-Control (letters, digits, '-')");
      return null;
    }
    if (lower.equals("cache-control") || lower.equals("cdn-cache-control")) {
      problems.at(
          f.get("targeted-cache-control"),
          "'" + name + "' is already honoured",
          "name a field targeted at this edge only, such as Bulwark-Cache-Control, or remove the"
              + " key");
      return null;
    }
    return lower;
  }

  private static boolean tokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private void ttlOrder(Fields f, String lowKey, Duration low, String highKey, Duration high) {
    if (low.compareTo(high) > 0) {
      ConfigNode at = f.get(highKey) != null ? f.get(highKey) : f.get(lowKey);
      problems.at(
          at == null ? f.node() : at,
          lowKey
              + " ("
              + Units.formatDuration(low)
              + (f.has(lowKey) ? "" : ", the default")
              + ") is greater than "
              + highKey
              + " ("
              + Units.formatDuration(high)
              + (f.has(highKey) ? "" : ", the default")
              + ")",
          "TTLs must satisfy min-ttl <= default-ttl <= max-ttl");
    }
  }

  public void parseOriginRequestPolicies(List<ConfigNode> items) {
    for (ConfigNode item : items) {
      Fields f = Fields.of(item, problems, "an origin request policy", ORIGIN_REQUEST_POLICY_KEYS);
      if (!f.valid()) {
        continue;
      }
      int before = problems.count();
      String id = declare(f, originRequestPolicies);
      KeyFields headers =
          keyFields(f, "headers", FORWARDED_HEADER_BEHAVIORS, Kind.FORWARDED_HEADER);
      KeyFields cookies = keyFields(f, "cookies", CACHE_BEHAVIORS, Kind.COOKIE);
      KeyFields qs = keyFields(f, "query-strings", CACHE_BEHAVIORS, Kind.QUERY_STRING);
      if (id != null && problems.count() == before) {
        originRequestPolicies.put(id, new OriginRequestPolicy(id, headers, cookies, qs));
      }
    }
  }

  private String declare(Fields f, Registry<?> registry) {
    String written = f.string("id", null);
    if (written != null && ManagedPolicies.isReserved(written.trim())) {
      problems.at(
          f.get("id"),
          "'" + written + "' is the name or ID of a managed policy, which always exists",
          "use the managed policy as it is (name it in a behavior), or give yours another id");
      return null;
    }
    return registry.declare(f, problems);
  }

  private enum Kind {
    CACHE_HEADER,
    FORWARDED_HEADER,
    COOKIE,
    QUERY_STRING
  }

  private KeyFields keyFields(
      Fields parent, String key, Map<String, KeyFields.Behavior> behaviors, Kind kind) {
    ConfigNode node = parent.get(key);
    if (node == null) {
      return KeyFields.NONE;
    }
    Fields f = Fields.of(node, problems, "{behavior: ..., items: [...]}", KEY_FIELDS_KEYS);
    if (!f.valid()) {
      return KeyFields.NONE;
    }
    if (f.get("behavior") == null) {
      problems.missing(node, "behavior", "write one of: " + String.join(", ", behaviors.keySet()));
      return KeyFields.NONE;
    }
    KeyFields.Behavior b = f.choice("behavior", null, behaviors);
    if (b == null) {
      return KeyFields.NONE;
    }
    boolean listed = b == KeyFields.Behavior.WHITELIST || b == KeyFields.Behavior.ALL_EXCEPT;
    List<ConfigNode> items = f.scalarList("items");
    if (!listed) {
      if (!items.isEmpty()) {
        problems.at(
            f.get("items"),
            "items are not used with behavior " + f.string("behavior", ""),
            "remove items, or use whitelist or all-except");
      }
      return b == KeyFields.Behavior.ALL ? KeyFields.ALL : KeyFields.NONE;
    }
    if (items.isEmpty()) {
      problems.at(
          f.get("items") == null ? node : f.get("items"),
          "behavior " + f.string("behavior", "") + " needs a non-empty list of items",
          "write e.g. 'items: [" + example(kind) + "]'");
      return KeyFields.NONE;
    }
    Set<String> names = new LinkedHashSet<>();
    for (ConfigNode item : items) {
      String name = item.text().trim();
      boolean header = kind == Kind.CACHE_HEADER || kind == Kind.FORWARDED_HEADER;
      if (header) {
        if (!HeaderNames.isToken(name)) {
          problems.at(item, "'" + name + "' is not a valid header name", "use letters, digits, -");
          continue;
        }
        name = name.toLowerCase(Locale.ROOT);
        if (kind == Kind.CACHE_HEADER && name.equals("accept-encoding")) {
          problems.at(
              item,
              "Accept-Encoding is keyed by the gzip and brotli settings, not as a header",
              "remove it and set gzip/brotli: true");
          continue;
        }
      } else if (name.isEmpty()) {
        problems.at(item, "an empty name", "remove it");
        continue;
      }
      if (!names.add(name)) {
        problems.at(item, "'" + name + "' is listed twice", "list each name once");
      }
    }
    return new KeyFields(b, List.copyOf(new ArrayList<>(names)));
  }

  private static String example(Kind kind) {
    return switch (kind) {
      case CACHE_HEADER, FORWARDED_HEADER -> "Authorization";
      case COOKIE -> "locale";
      case QUERY_STRING -> "page, limit";
    };
  }
}
