package io.bulwark.waf.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.bulwark.config.HeaderNames;
import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.config.node.ConfigProblem;
import io.bulwark.waf.Action;
import io.bulwark.waf.CustomResponse;
import io.bulwark.waf.LabelForwarding;
import io.bulwark.waf.WafEnvironment;
import io.bulwark.waf.WafRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads web ACLs from the located configuration tree, collecting every problem rather than stopping
 * at the first. Key names are AWS WAF's JSON names in kebab-case ({@code ByteMatchStatement →
 * byte-match}, {@code FieldToMatch → field}, {@code PositionalConstraint → positional-constraint});
 * enum values are AWS's, case-insensitive.
 */
public final class AclReader {
  public static final int DEFAULT_CAPACITY = 1500;
  public static final int MAX_CAPACITY = 5000;
  static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,128}");
  static final java.util.regex.Pattern LABEL =
      java.util.regex.Pattern.compile("[A-Za-z0-9_\\-:]{1,1024}");

  private final WafEnvironment env;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Map<String, LabelForwarding> labelForwarding = new HashMap<>();

  /**
   * Equal fields and chains become one instance, so the per-request cache can key on identity: many
   * rules inspect the same component through the same chain, and hashing records that hold sets and
   * lists on every lookup costs more than the lookup saves.
   */
  private final Map<Object, Object> interned = new HashMap<>();

  @SuppressWarnings("unchecked")
  private <T> T intern(T value) {
    if (value == null) {
      return null;
    }
    return (T) interned.computeIfAbsent(value, v -> v);
  }

  public AclReader(WafEnvironment env) {
    this.env = env;
  }

  /** Definitions visible to the rules being read: IP sets, pattern sets, groups, bodies. */
  static final class Scope {
    final String aclName;
    final Map<String, IpSet> ipSets = new HashMap<>();
    final Map<String, List<Pattern>> patternSets = new HashMap<>();
    final Map<String, RuleGroup> groups = new HashMap<>();
    final Map<String, CustomBody> bodies = new HashMap<>();
    final Map<Statement, ConfigNode> labelMatches = new IdentityHashMap<>();

    Scope(String aclName) {
      this.aclName = aclName;
    }
  }

  record CustomBody(String contentType, String content) {}

  public List<AclModel> readAll(ConfigNode list) throws ConfigException {
    List<AclModel> out = new ArrayList<>();
    if (list == null || list.isNull()) {
      return out;
    }
    if (!list.isList()) {
      problems.add(
          list.problem(
              "web-acls must be a list, found " + list.describeKind(),
              "write web-acls as a list of '- name: ...' entries"));
      throw new ConfigException(problems);
    }
    Set<String> names = new HashSet<>();
    for (ConfigNode n : list.items()) {
      AclModel m = readAcl(n);
      if (m != null) {
        if (!names.add(m.name())) {
          problems.add(
              n.problem(
                  "web ACL name '" + m.name() + "' is used twice",
                  "give each web ACL its own name"));
        }
        out.add(m);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return out;
  }

  private AclModel readAcl(ConfigNode n) {
    if (!map(n, "a web ACL")) {
      return null;
    }
    keys(
        n,
        "name",
        "description",
        "default-action",
        "capacity",
        "rules",
        "rule-groups",
        "ip-sets",
        "regex-pattern-sets",
        "custom-response-bodies",
        "challenge-config",
        "visibility-config",
        "token-domains",
        "forward-labels");
    String name = name(n, "name");
    if (name == null) {
      return null;
    }
    LabelForwarding forward = forwardLabels(n.get("forward-labels"));
    if (forward != null) {
      labelForwarding.put(name, forward);
    }
    Scope scope = new Scope(name);
    int capacity = intValue(n.get("capacity"), DEFAULT_CAPACITY, 1, MAX_CAPACITY);
    Duration immunity = immunity(n.get("challenge-config"), env.challenge().immunity());
    readBodies(n.get("custom-response-bodies"), scope);
    readIpSets(n.get("ip-sets"), scope);
    readPatternSets(n.get("regex-pattern-sets"), scope);
    ConfigNode groups = n.get("rule-groups");
    if (groups != null && list(groups, "rule-groups")) {
      for (ConfigNode g : groups.items()) {
        RuleGroup rg = readUserGroup(g, scope, immunity);
        if (rg != null) {
          if (scope.groups.put(rg.name(), rg) != null) {
            problems.add(
                g.problem(
                    "rule group '" + rg.name() + "' is defined twice",
                    "give each rule group its own name"));
          }
        }
      }
    }
    Rule.RuleAction defaultAction = null;
    ConfigNode da = n.get("default-action");
    if (da == null) {
      problems.add(
          n.problem(
              "web ACL '" + name + "' has no default-action",
              "add 'default-action: allow' (or block)"));
    } else {
      defaultAction = action(da, scope, immunity);
      if (defaultAction != null
          && defaultAction.action() != Action.ALLOW
          && defaultAction.action() != Action.BLOCK) {
        problems.add(
            da.problem(
                "a default action is allow or block, not "
                    + defaultAction.action().name().toLowerCase(Locale.ROOT),
                "use allow or block"));
      }
    }
    List<Rule> rules =
        readRules(n.get("rules"), scope, "bulwark:" + name + ":", name, immunity, false);
    rules.sort(Comparator.comparingInt(Rule::priority));
    checkLabels(rules, scope);
    AclServices services = new AclServices(env.rates(), env.geo(), env.challenge());
    AclModel model =
        new AclModel(
            name,
            defaultAction == null ? Action.ALLOW : defaultAction.action(),
            defaultAction == null || defaultAction.response() == null
                ? CustomResponse.DEFAULT_BLOCK
                : defaultAction.response(),
            capacity,
            List.copyOf(rules),
            services);
    int used = model.wcu();
    if (used > capacity) {
      StringBuilder sb = new StringBuilder();
      for (Rule r : rules) {
        sb.append(sb.length() == 0 ? "" : ", ")
            .append(r.name())
            .append(" (priority ")
            .append(r.priority())
            .append(") ")
            .append(r.wcu());
      }
      ConfigNode at = n.get("capacity") != null ? n.get("capacity") : n;
      problems.add(
          at.problem(
              "web ACL '"
                  + name
                  + "' needs "
                  + used
                  + " WCU, over its capacity of "
                  + capacity
                  + ": "
                  + sb,
              used <= MAX_CAPACITY
                  ? "raise capacity to at least "
                      + used
                      + " (at most "
                      + MAX_CAPACITY
                      + ") or remove rules"
                  : "remove rules; " + MAX_CAPACITY + " WCU is the most a web ACL may use"));
    }
    return model;
  }

  /** The {@code forward-labels} setting of each web ACL read that has one, by ACL name. */
  public Map<String, LabelForwarding> labelForwarding() {
    return Map.copyOf(labelForwarding);
  }

  /**
   * Headers a viewer sends that the application needs: the edge removes the viewer's copy of the
   * label header before adding its own, so naming one of these would silently take it from the
   * origin.
   */
  static final Set<String> VIEWER_HEADERS =
      Set.of(
          "accept",
          "accept-encoding",
          "accept-language",
          "authorization",
          "content-encoding",
          "content-type",
          "forwarded",
          "origin",
          "referer",
          "user-agent",
          "x-forwarded-host",
          "x-forwarded-proto");

  /**
   * {@code forward-labels: {header: NAME, namespaces: [PREFIX, ...]}}: the header name defaults to
   * {@value LabelForwarding#DEFAULT_HEADER}; without namespaces every label is forwarded.
   */
  private LabelForwarding forwardLabels(ConfigNode n) {
    if (n == null || !map(n, "forward-labels")) {
      return null;
    }
    int before = problems.size();
    keys(n, "header", "namespaces");
    ConfigNode h = n.get("header");
    String header = h == null ? LabelForwarding.DEFAULT_HEADER : labelHeader(h);
    List<String> namespaces = new ArrayList<>();
    ConfigNode ns = n.get("namespaces");
    if (ns != null && list(ns, "namespaces")) {
      for (ConfigNode item : ns.items()) {
        String t = item.isScalar() ? item.text() : null;
        if (t == null || !LABEL.matcher(t).matches() || !t.endsWith(":")) {
          problems.add(
              item.problem(
                  "a label namespace is letters, digits, '_', '-' and ':', ending in ':', found "
                      + (t == null ? item.describeKind() : "'" + t + "'"),
                  "write a namespace such as 'bulwark:managed:' or 'bulwark:<acl>:suspect:'"));
        } else if (!t.startsWith("bulwark:")) {
          problems.add(
              item.problem(
                  "namespace '"
                      + t
                      + "' matches no label: every label here is qualified"
                      + " 'bulwark:...'",
                  "write it as rules qualify labels: bulwark:<acl>:<label>,"
                      + " bulwark:rulegroup:<group>:<label>, bulwark:managed:<group>:<rule>,"
                      + " bulwark:clientip:geo:country:<CC>"));
        } else {
          namespaces.add(t);
        }
      }
    }
    return problems.size() == before ? new LabelForwarding(header, namespaces) : null;
  }

  /** The {@code forward-labels.header} name, or null with a problem. */
  private String labelHeader(ConfigNode h) {
    String t = h.isScalar() ? h.text() : null;
    String example = "use e.g. " + LabelForwarding.DEFAULT_HEADER;
    if (t == null || !HeaderNames.isToken(t)) {
      problems.add(
          h.problem(
              (t == null ? h.describeKind() : "'" + t + "'") + " is not a valid header name",
              "use letters, digits and - (RFC 9110 token characters); " + example));
      return null;
    }
    String lower = t.toLowerCase(Locale.ROOT);
    String reason = HeaderNames.edgeOwnedReason(t);
    if (reason == null && (VIEWER_HEADERS.contains(lower) || lower.startsWith("sec-"))) {
      reason =
          "the viewer sends it for the application, and the edge removes the viewer's copy"
              + " before adding the labels";
    }
    if (reason != null) {
      problems.add(h.problem("the label header may not be '" + t + "': " + reason, example));
      return null;
    }
    return t;
  }

  // ---- rules -------------------------------------------------------------------------------

  private List<Rule> readRules(
      ConfigNode list,
      Scope scope,
      String labelPrefix,
      String owner,
      Duration immunity,
      boolean inGroup) {
    List<Rule> rules = new ArrayList<>();
    if (list == null) {
      return rules;
    }
    if (!list(list, "rules")) {
      return rules;
    }
    Set<String> names = new HashSet<>();
    Map<Integer, String> priorities = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      ConfigNode r = list.items().get(i);
      Rule rule = readRule(r, scope, labelPrefix, owner, immunity, inGroup, i);
      if (rule == null) {
        continue;
      }
      if (!names.add(rule.name())) {
        problems.add(
            r.problem(
                "rule name '" + rule.name() + "' is used twice in " + owner,
                "give each rule its own name"));
      }
      String other = priorities.put(rule.priority(), rule.name());
      if (other != null) {
        problems.add(
            r.problem(
                "rules '" + other + "' and '" + rule.name() + "' share priority " + rule.priority(),
                "give each rule its own priority"));
      }
      rules.add(rule);
    }
    return rules;
  }

  private Rule readRule(
      ConfigNode r,
      Scope scope,
      String labelPrefix,
      String owner,
      Duration aclImmunity,
      boolean inGroup,
      int index) {
    if (!map(r, "a rule")) {
      return null;
    }
    keys(
        r,
        "name",
        "priority",
        "statement",
        "action",
        "override-action",
        "rule-labels",
        "visibility-config",
        "challenge-config",
        "captcha-config");
    String name = name(r, "name");
    if (name == null) {
      return null;
    }
    int priority =
        r.get("priority") == null
            ? index
            : intValue(r.get("priority"), index, 0, Integer.MAX_VALUE);
    Duration immunity = immunity(r.get("challenge-config"), aclImmunity);
    List<String> labels = new ArrayList<>();
    ConfigNode rl = r.get("rule-labels");
    if (rl != null && list(rl, "rule-labels")) {
      for (ConfigNode l : rl.items()) {
        ConfigNode ln = l.isMap() ? l.get("name") : l;
        String text = ln == null ? null : ln.text();
        if (text == null || !LABEL.matcher(text).matches()) {
          problems.add(
              l.problem(
                  "a rule label is letters, digits, '_', '-' and ':', found " + l.describeKind(),
                  "write a label such as 'team:suspicious'"));
        } else {
          labels.add(labelPrefix + text);
        }
      }
    }
    String metric = name;
    ConfigNode vc = r.get("visibility-config");
    if (vc != null
        && vc.isMap()
        && vc.get("metric-name") != null
        && vc.get("metric-name").text() != null) {
      metric = vc.get("metric-name").text();
    }
    ConfigNode st = r.get("statement");
    if (st == null) {
      problems.add(
          r.problem(
              "rule '" + name + "' has no statement",
              "add a statement such as 'byte-match: {...}'"));
      return null;
    }
    boolean groupRef =
        st.isMap() && (st.has("rule-group-reference") || st.has("managed-rule-group"));
    if (groupRef) {
      if (inGroup) {
        problems.add(
            st.problem(
                "a rule group cannot reference another rule group",
                "move the reference into the web ACL's rules"));
        return null;
      }
      if (r.has("action")) {
        problems.add(
            r.get("action")
                .problem(
                    "rule '"
                        + name
                        + "' references a rule group, which"
                        + " takes an override-action, not an action",
                    "write 'override-action: none' (the group's own actions) or 'override-action: count'"));
      }
      boolean count = false;
      ConfigNode oa = r.get("override-action");
      if (oa != null) {
        String k = oa.isMap() && oa.keys().size() == 1 ? oa.keys().iterator().next() : oa.text();
        if ("count".equalsIgnoreCase(k)) {
          count = true;
        } else if (!"none".equalsIgnoreCase(k)) {
          problems.add(
              oa.problem(
                  "override-action is none or count, found " + oa.describeKind(),
                  "write 'override-action: none' or 'override-action: count'"));
        }
      }
      Rule.GroupRef ref = groupReference(st, scope, aclImmunity);
      if (ref == null) {
        return null;
      }
      return new Rule(name, priority, null, null, List.copyOf(labels), ref, count, metric);
    }
    if (r.has("override-action")) {
      problems.add(
          r.get("override-action")
              .problem(
                  "override-action applies to rule group"
                      + " references; rule '"
                      + name
                      + "' has a plain statement",
                  "use 'action: ...' instead"));
    }
    Statement s = statement(st, scope, owner + "/" + name);
    if (s != null) {
      s = ContainsAny.optimize(s);
    }
    Rule.RuleAction action = null;
    ConfigNode an = r.get("action");
    if (an == null) {
      problems.add(
          r.problem(
              "rule '" + name + "' has no action",
              "add 'action: block' (or allow, count, challenge)"));
    } else {
      action = action(an, scope, immunity);
    }
    if (s == null || action == null) {
      return null;
    }
    return new Rule(name, priority, s, action, List.copyOf(labels), null, false, metric);
  }

  private Rule.RuleAction action(ConfigNode n, Scope scope, Duration immunity) {
    String kind;
    ConfigNode body = null;
    if (n.isScalar()) {
      kind = n.text();
    } else if (n.isMap() && n.keys().size() == 1) {
      kind = n.keys().iterator().next();
      body = n.get(kind);
    } else {
      problems.add(
          n.problem(
              "an action is one of allow, block, count, challenge, found " + n.describeKind(),
              "write e.g. 'action: block' or 'action: {block: {custom-response: ...}}'"));
      return null;
    }
    switch (kind.toLowerCase(Locale.ROOT)) {
      case "allow":
        return new Rule.RuleAction(Action.ALLOW, null, null);
      case "count":
        return Rule.RuleAction.COUNT;
      case "challenge":
        return new Rule.RuleAction(Action.CHALLENGE, null, immunity);
      case "captcha":
        problems.add(
            n.problem(
                "the CAPTCHA action is not available in Bulwark yet (no puzzle a"
                    + " person solves is built)",
                "use 'challenge' (a proof-of-work interstitial) or 'block'"));
        return null;
      case "block":
        CustomResponse resp = CustomResponse.DEFAULT_BLOCK;
        if (body != null && body.isMap()) {
          keys(body, "custom-response");
          ConfigNode cr = body.get("custom-response");
          if (cr != null) {
            resp = customResponse(cr, scope);
          }
        }
        return resp == null ? null : new Rule.RuleAction(Action.BLOCK, resp, null);
      default:
        problems.add(
            n.problem("unknown action '" + kind + "'", "use allow, block, count or challenge"));
        return null;
    }
  }

  private CustomResponse customResponse(ConfigNode cr, Scope scope) {
    if (!map(cr, "custom-response")) {
      return null;
    }
    keys(cr, "response-code", "response-headers", "custom-response-body-key", "body");
    int code = intValue(cr.get("response-code"), 403, 200, 599);
    List<WafRequest.Header> headers = new ArrayList<>();
    ConfigNode hs = cr.get("response-headers");
    if (hs != null && list(hs, "response-headers")) {
      for (ConfigNode h : hs.items()) {
        if (map(h, "a response header")) {
          keys(h, "name", "value");
          String hn = text(h, "name");
          String hv = text(h, "value");
          if (hn != null && hv != null) {
            if (!hn.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")
                || hv.indexOf('\n') >= 0
                || hv.indexOf('\r') >= 0) {
              problems.add(
                  h.problem(
                      "header '"
                          + hn
                          + "' has a name or value that is not a"
                          + " valid HTTP header",
                      "use a token name and a single-line value"));
            } else {
              headers.add(new WafRequest.Header(hn, hv));
            }
          }
        }
      }
    }
    String type = null;
    String content = null;
    ConfigNode key = cr.get("custom-response-body-key");
    if (key != null) {
      CustomBody b = scope.bodies.get(key.text());
      if (b == null) {
        problems.add(
            key.problem(
                "no custom-response-bodies entry named '" + key.text() + "'",
                "define it under the web ACL's custom-response-bodies"));
      } else {
        type = b.contentType();
        content = b.content();
      }
    }
    ConfigNode inline = cr.get("body");
    if (inline != null) {
      CustomBody b = customBody(inline);
      if (b != null) {
        type = b.contentType();
        content = b.content();
      }
    }
    return new CustomResponse(code, headers, type, content);
  }

  private CustomBody customBody(ConfigNode b) {
    if (!map(b, "a custom response body")) {
      return null;
    }
    keys(b, "content-type", "content");
    String ct = text(b, "content-type");
    String content = text(b, "content");
    if (ct == null || content == null) {
      return null;
    }
    String media =
        switch (ct.toUpperCase(Locale.ROOT).replace('-', '_')) {
          case "TEXT_PLAIN" -> "text/plain; charset=utf-8";
          case "TEXT_HTML" -> "text/html; charset=utf-8";
          case "APPLICATION_JSON" -> "application/json";
          default -> null;
        };
    if (media == null) {
      problems.add(
          b.get("content-type")
              .problem(
                  "content-type is TEXT_PLAIN, TEXT_HTML or"
                      + " APPLICATION_JSON, found '"
                      + ct
                      + "'",
                  "use one of those"));
      return null;
    }
    return new CustomBody(media, content);
  }

  private void readBodies(ConfigNode n, Scope scope) {
    if (n == null || !map(n, "custom-response-bodies")) {
      return;
    }
    for (String k : n.keys()) {
      CustomBody b = customBody(n.get(k));
      if (b != null) {
        scope.bodies.put(k, b);
      }
    }
  }

  private Duration immunity(ConfigNode cc, Duration dflt) {
    if (cc == null || !map(cc, "challenge-config")) {
      return dflt;
    }
    keys(cc, "immunity-time-property");
    ConfigNode p = cc.get("immunity-time-property");
    if (p == null || !map(p, "immunity-time-property")) {
      return dflt;
    }
    keys(p, "immunity-time");
    return Duration.ofSeconds(intValue(p.get("immunity-time"), (int) dflt.toSeconds(), 60, 259200));
  }

  // ---- groups ------------------------------------------------------------------------------

  private RuleGroup readUserGroup(ConfigNode g, Scope scope, Duration immunity) {
    if (!map(g, "a rule group")) {
      return null;
    }
    keys(g, "name", "capacity", "description", "rules", "visibility-config");
    String name = name(g, "name");
    if (name == null) {
      return null;
    }
    List<Rule> rules =
        readRules(g.get("rules"), scope, "bulwark:rulegroup:" + name + ":", name, immunity, true);
    rules.sort(Comparator.comparingInt(Rule::priority));
    int used = rules.stream().mapToInt(Rule::wcu).sum();
    int capacity = g.get("capacity") == null ? used : intValue(g.get("capacity"), used, 1, 5000);
    if (used > capacity) {
      problems.add(
          g.problem(
              "rule group '" + name + "' needs " + used + " WCU, over its capacity of " + capacity,
              "raise its capacity to " + used + " or remove rules"));
    }
    return new RuleGroup(
        name, capacity, List.copyOf(rules), "bulwark:rulegroup:" + name + ":", false);
  }

  /** Reads a built-in group's data file (same schema as a user-defined rule group). */
  public RuleGroup readManagedGroup(ConfigNode g, String name, Map<String, IpSet> ipSets) {
    Scope scope = new Scope("managed:" + name);
    scope.ipSets.putAll(ipSets);
    keys(g, "name", "capacity", "description", "rules");
    List<Rule> rules =
        readRules(
            g.get("rules"),
            scope,
            "bulwark:managed:" + name + ":",
            name,
            env.challenge().immunity(),
            true);
    rules.sort(Comparator.comparingInt(Rule::priority));
    int capacity = intValue(g.get("capacity"), 0, 1, 5000);
    // Like AWS managed groups, a built-in group carries a fixed, declared capacity (that of its
    // AWS counterpart), whatever its rules would cost one by one.
    return new RuleGroup(name, capacity, List.copyOf(rules), "bulwark:managed:" + name + ":", true);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  WafEnvironment env() {
    return env;
  }

  private Rule.GroupRef groupReference(ConfigNode st, Scope scope, Duration immunity) {
    keys(st, "rule-group-reference", "managed-rule-group");
    boolean managed = st.has("managed-rule-group");
    ConfigNode ref = st.get(managed ? "managed-rule-group" : "rule-group-reference");
    if (!map(ref, managed ? "managed-rule-group" : "rule-group-reference")) {
      return null;
    }
    if (managed) {
      keys(
          ref,
          "name",
          "vendor-name",
          "version",
          "excluded-rules",
          "rule-action-overrides",
          "scope-down-statement",
          "ip-list-file");
    } else {
      keys(ref, "name", "excluded-rules", "rule-action-overrides");
    }
    String gname = text(ref, "name");
    if (gname == null) {
      problems.add(ref.problem("a rule group reference needs a name", "add 'name: ...'"));
      return null;
    }
    RuleGroup group;
    if (managed) {
      group = ManagedGroups.load(gname, ref, this);
    } else {
      group = scope.groups.get(gname);
      if (group == null) {
        problems.add(
            ref.get("name")
                .problem(
                    "no rule group named '" + gname + "' in web ACL '" + scope.aclName + "'",
                    "define it under the web ACL's rule-groups"
                        + (scope.groups.isEmpty()
                            ? ""
                            : " (defined: "
                                + String.join(", ", new TreeMap<>(scope.groups).keySet())
                                + ")")));
      }
    }
    if (group == null) {
      return null;
    }
    Set<String> ruleNames = new LinkedHashSet<>();
    group.rules().forEach(r -> ruleNames.add(r.name()));
    Set<String> excluded = new LinkedHashSet<>();
    ConfigNode ex = ref.get("excluded-rules");
    if (ex != null && list(ex, "excluded-rules")) {
      for (ConfigNode e : ex.items()) {
        ConfigNode en = e.isMap() ? e.get("name") : e;
        String t = en == null ? null : en.text();
        if (t == null || !ruleNames.contains(t)) {
          problems.add(
              e.problem(
                  "rule group '" + gname + "' has no rule named '" + t + "'",
                  "use one of: " + String.join(", ", ruleNames)));
        } else {
          excluded.add(t);
        }
      }
    }
    Map<String, Rule.RuleAction> overrides = new LinkedHashMap<>();
    ConfigNode ov = ref.get("rule-action-overrides");
    if (ov != null && list(ov, "rule-action-overrides")) {
      for (ConfigNode o : ov.items()) {
        if (!map(o, "a rule action override")) {
          continue;
        }
        keys(o, "name", "action-to-use");
        String t = text(o, "name");
        if (t == null) {
          continue;
        }
        if (!ruleNames.contains(t)) {
          problems.add(
              o.problem(
                  "rule group '" + gname + "' has no rule named '" + t + "'",
                  "use one of: " + String.join(", ", ruleNames)));
          continue;
        }
        ConfigNode au = o.get("action-to-use");
        if (au == null) {
          problems.add(
              o.problem(
                  "a rule action override needs action-to-use", "add 'action-to-use: count'"));
          continue;
        }
        Rule.RuleAction a = action(au, scope, immunity);
        if (a != null) {
          overrides.put(t, a);
        }
      }
    }
    Statement scopeDown = null;
    ConfigNode sd = ref.get("scope-down-statement");
    if (sd != null) {
      scopeDown = statement(sd, scope, gname + "/scope-down");
    }
    return new Rule.GroupRef(group, Set.copyOf(excluded), Map.copyOf(overrides), scopeDown);
  }

  // ---- sets --------------------------------------------------------------------------------

  private void readIpSets(ConfigNode n, Scope scope) {
    if (n == null || !list(n, "ip-sets")) {
      return;
    }
    for (ConfigNode s : n.items()) {
      if (!map(s, "an IP set")) {
        continue;
      }
      keys(s, "name", "description", "ip-address-version", "addresses");
      String name = name(s, "name");
      ConfigNode as = s.get("addresses");
      if (name == null) {
        continue;
      }
      if (as == null || !list(as, "addresses")) {
        problems.add(
            s.problem(
                "IP set '" + name + "' has no addresses list",
                "add 'addresses: [192.0.2.0/24, 2001:db8::/32]'"));
        continue;
      }
      IpSet.Builder b = IpSet.builder();
      for (ConfigNode a : as.items()) {
        if (a.text() == null) {
          problems.add(
              a.problem(
                  "an IP set entry is a CIDR block, found " + a.describeKind(),
                  "write e.g. 192.0.2.0/24"));
          continue;
        }
        try {
          b.add(a.text());
        } catch (IpSet.MalformedEntry e) {
          problems.add(
              a.problem(
                  "IP set '" + name + "': " + e.getMessage(),
                  "write an IPv4 or IPv6 address with an optional /prefix, e.g. 192.0.2.0/24"));
        }
      }
      scope.ipSets.put(name, b.build());
    }
  }

  private void readPatternSets(ConfigNode n, Scope scope) {
    if (n == null || !list(n, "regex-pattern-sets")) {
      return;
    }
    for (ConfigNode s : n.items()) {
      if (!map(s, "a regex pattern set")) {
        continue;
      }
      keys(s, "name", "description", "regular-expression-list");
      String name = name(s, "name");
      ConfigNode rl = s.get("regular-expression-list");
      if (name == null) {
        continue;
      }
      if (rl == null || !list(rl, "regular-expression-list")) {
        problems.add(
            s.problem(
                "regex pattern set '" + name + "' has no regular-expression-list",
                "add 'regular-expression-list: [\"^/admin\"]'"));
        continue;
      }
      List<Pattern> ps = new ArrayList<>();
      for (ConfigNode r : rl.items()) {
        ConfigNode rn = r.isMap() ? r.get("regex-string") : r;
        Pattern p = regex(rn == null ? r : rn);
        if (p != null) {
          ps.add(p);
        }
      }
      scope.patternSets.put(name, List.copyOf(ps));
    }
  }

  private Pattern regex(ConfigNode n) {
    String t = n.text();
    if (t == null) {
      problems.add(
          n.problem(
              "a regular expression is text, found " + n.describeKind(), "quote the pattern"));
      return null;
    }
    try {
      return Pattern.compile(Text.bytesOf(t));
    } catch (PatternSyntaxException e) {
      problems.add(
          n.problem(
              "malformed regular expression '" + t + "': " + e.getDescription(),
              "fix the pattern (RE2 syntax: no backreferences or look-around)"));
      return null;
    }
  }

  // ---- statements --------------------------------------------------------------------------

  private static final List<String> STATEMENTS =
      List.of(
          "byte-match",
          "regex-match",
          "regex-pattern-set-reference",
          "sqli-match",
          "xss-match",
          "size-constraint",
          "geo-match",
          "ip-set-reference",
          "label-match",
          "rate-based",
          "and",
          "or",
          "not");

  Statement statement(ConfigNode n, Scope scope, String ruleId) {
    if (!n.isMap() || n.keys().size() != 1) {
      problems.add(
          n.problem(
              "a statement is a map with exactly one of "
                  + String.join(", ", STATEMENTS)
                  + ", found "
                  + (n.isMap() ? n.keys().size() + " keys" : n.describeKind()),
              "write e.g. 'statement: {byte-match: {...}}'"));
      return null;
    }
    String kind = n.keys().iterator().next();
    ConfigNode b = n.get(kind);
    switch (kind) {
      case "and", "or" -> {
        ConfigNode ss = b.isMap() ? b.get("statements") : b;
        if (b.isMap()) {
          keys(b, "statements");
        }
        if (ss == null || !ss.isList() || ss.items().size() < 2) {
          problems.add(
              b.problem(
                  "'" + kind + "' needs a list of at least two statements",
                  "write '" + kind + ": {statements: [{...}, {...}]}'"));
          return null;
        }
        List<Statement> parts = new ArrayList<>();
        for (ConfigNode s : ss.items()) {
          Statement p = statement(s, scope, ruleId);
          if (p != null) {
            parts.add(p);
          }
        }
        if (parts.size() != ss.items().size()) {
          return null;
        }
        return kind.equals("and")
            ? new Statement.And(List.copyOf(parts))
            : new Statement.Or(List.copyOf(parts));
      }
      case "not" -> {
        ConfigNode s = b.isMap() && b.has("statement") ? b.get("statement") : b;
        if (b.isMap() && b.has("statement")) {
          keys(b, "statement");
        }
        Statement inner = statement(s, scope, ruleId);
        return inner == null ? null : new Statement.Not(inner);
      }
      case "byte-match" -> {
        if (!map(b, kind)) {
          return null;
        }
        keys(
            b,
            "field",
            "field-to-match",
            "positional-constraint",
            "search-string",
            "search-strings",
            "text-transformations");
        Field f = intern(field(b));
        TextChain c = intern(chain(b.get("text-transformations")));
        Statement.Positional pos =
            enumValue(
                b.get("positional-constraint"),
                Statement.Positional.class,
                "positional-constraint");
        // search-strings (a Bulwark extension): any of several strings, exactly an OR of byte
        // matches that differ only in their search string, costed as that OR.
        List<ConfigNode> searchNodes = new ArrayList<>();
        if (b.get("search-string") != null && b.get("search-strings") != null) {
          problems.add(
              b.problem(
                  "byte-match takes search-string or search-strings, not both",
                  "keep one of them"));
          return null;
        }
        if (b.get("search-strings") != null) {
          if (list(b.get("search-strings"), "search-strings")) {
            searchNodes.addAll(b.get("search-strings").items());
          }
        } else if (b.get("search-string") != null) {
          searchNodes.add(b.get("search-string"));
        } else {
          problems.add(b.problem("byte-match needs search-string", "add 'search-string: ...'"));
        }
        List<Statement> matches = new ArrayList<>();
        for (ConfigNode sn : searchNodes) {
          String search = sn.text();
          if (search == null) {
            problems.add(
                sn.problem("a search string is text, found " + sn.describeKind(), "quote it"));
            continue;
          }
          if (pos == Statement.Positional.CONTAINS_WORD && !search.matches("[A-Za-z0-9_]+")) {
            problems.add(
                sn.problem(
                    "CONTAINS_WORD needs a search string of letters, digits and '_' only",
                    "use CONTAINS for other text"));
            continue;
          }
          if (f != null && c != null && pos != null) {
            matches.add(new Statement.ByteMatch(f, c, pos, Text.bytesOf(search)));
          }
        }
        if (matches.isEmpty() || matches.size() != searchNodes.size()) {
          return null;
        }
        return matches.size() == 1 ? matches.get(0) : new Statement.Or(List.copyOf(matches));
      }
      case "regex-match" -> {
        if (!map(b, kind)) {
          return null;
        }
        keys(b, "field", "field-to-match", "regex-string", "text-transformations");
        Field f = intern(field(b));
        TextChain c = intern(chain(b.get("text-transformations")));
        ConfigNode rs = b.get("regex-string");
        if (rs == null) {
          problems.add(b.problem("regex-match needs regex-string", "add 'regex-string: ...'"));
          return null;
        }
        Pattern p = regex(rs);
        if (f == null || c == null || p == null) {
          return null;
        }
        return new Statement.RegexMatch(f, c, p);
      }
      case "regex-pattern-set-reference" -> {
        if (!map(b, kind)) {
          return null;
        }
        keys(b, "name", "field", "field-to-match", "text-transformations");
        Field f = intern(field(b));
        TextChain c = intern(chain(b.get("text-transformations")));
        String name = text(b, "name");
        List<Pattern> ps = name == null ? null : scope.patternSets.get(name);
        if (name != null && ps == null) {
          problems.add(
              b.get("name")
                  .problem(
                      "no regex pattern set named '" + name + "'",
                      "define it under the web ACL's regex-pattern-sets"));
        }
        if (f == null || c == null || ps == null) {
          return null;
        }
        return new Statement.RegexPatternSetMatch(name, ps, f, c);
      }
      case "sqli-match" -> {
        if (!map(b, kind)) {
          return null;
        }
        keys(b, "field", "field-to-match", "text-transformations", "sensitivity-level");
        Field f = intern(field(b));
        TextChain c = intern(chain(b.get("text-transformations")));
        Statement.Sensitivity sens =
            b.get("sensitivity-level") == null
                ? Statement.Sensitivity.LOW
                : enumValue(
                    b.get("sensitivity-level"), Statement.Sensitivity.class, "sensitivity-level");
        if (f == null || c == null || sens == null) {
          return null;
        }
        return new Statement.SqliMatch(f, c, sens);
      }
      case "xss-match" -> {
        if (!map(b, kind)) {
          return null;
        }
        keys(b, "field", "field-to-match", "text-transformations");
        Field f = intern(field(b));
        TextChain c = intern(chain(b.get("text-transformations")));
        if (f == null || c == null) {
          return null;
        }
        return new Statement.XssMatch(f, c);
      }
      case "size-constraint" -> {
        if (!map(b, kind)) {
          return null;
        }
        keys(b, "field", "field-to-match", "comparison-operator", "size", "text-transformations");
        Field f = intern(field(b));
        TextChain c = intern(chain(b.get("text-transformations")));
        Statement.Comparison op =
            enumValue(
                b.get("comparison-operator"), Statement.Comparison.class, "comparison-operator");
        long size = longValue(b.get("size"), -1, 0, 21474836480L);
        if (b.get("size") == null) {
          problems.add(b.problem("size-constraint needs size", "add 'size: 8192'"));
        }
        if (f == null || c == null || op == null || size < 0) {
          return null;
        }
        return new Statement.SizeConstraint(f, c, op, size);
      }
      case "geo-match" -> {
        if (!map(b, kind)) {
          return null;
        }
        keys(b, "country-codes", "forwarded-ip-config");
        if (env.geo() == null) {
          problems.add(
              b.problem(
                  "geo-match needs a geo database and none is configured",
                  "configure a MaxMind country database for the WAF, or remove the geo-match"));
          return null;
        }
        ConfigNode cc = b.get("country-codes");
        Set<String> codes = new LinkedHashSet<>();
        if (cc == null || !cc.isList() || cc.items().isEmpty()) {
          problems.add(
              b.problem(
                  "geo-match needs country-codes, a list of ISO 3166 codes",
                  "add 'country-codes: [US, CA]'"));
          return null;
        }
        for (ConfigNode c : cc.items()) {
          String t = c.text();
          if (t == null || !t.matches("[A-Za-z]{2}")) {
            problems.add(
                c.problem(
                    "a country code is two letters (ISO 3166-1 alpha-2), found " + c.describeKind(),
                    "write e.g. US"));
          } else {
            codes.add(t.toUpperCase(Locale.ROOT));
          }
        }
        Statement.ForwardedIp fwd = forwardedIp(b.get("forwarded-ip-config"), false);
        return new Statement.GeoMatch(Set.copyOf(codes), fwd);
      }
      case "ip-set-reference" -> {
        if (!map(b, kind)) {
          return null;
        }
        keys(b, "name", "ip-set-forwarded-ip-config");
        String name = text(b, "name");
        IpSet set = name == null ? null : scope.ipSets.get(name);
        if (name == null) {
          problems.add(b.problem("ip-set-reference needs name", "add 'name: ...'"));
          return null;
        }
        if (set == null) {
          problems.add(
              b.get("name")
                  .problem(
                      "no IP set named '" + name + "'", "define it under the web ACL's ip-sets"));
          return null;
        }
        Statement.ForwardedIp fwd = forwardedIp(b.get("ip-set-forwarded-ip-config"), true);
        return new Statement.IpSetMatch(name, set, fwd);
      }
      case "label-match" -> {
        if (!map(b, kind)) {
          return null;
        }
        keys(b, "scope", "key");
        Statement.LabelScope sc = enumValue(b.get("scope"), Statement.LabelScope.class, "scope");
        String key = text(b, "key");
        if (key == null) {
          problems.add(b.problem("label-match needs key", "add 'key: namespace:name'"));
        }
        if (sc == null || key == null) {
          return null;
        }
        Statement s = new Statement.LabelMatch(sc, key);
        scope.labelMatches.put(s, b);
        return s;
      }
      case "rate-based" -> {
        return rateBased(b, scope, ruleId);
      }
      default -> {
        problems.add(
            n.problem(
                "unknown statement '" + kind + "'",
                "use one of "
                    + String.join(", ", STATEMENTS)
                    + " (rule group references go directly under a rule's statement)"));
        return null;
      }
    }
  }

  private Statement rateBased(ConfigNode b, Scope scope, String ruleId) {
    if (!map(b, "rate-based")) {
      return null;
    }
    keys(
        b,
        "limit",
        "evaluation-window-sec",
        "aggregate-key-type",
        "forwarded-ip-config",
        "custom-keys",
        "scope-down-statement");
    if (b.get("limit") == null) {
      problems.add(b.problem("rate-based needs limit", "add 'limit: 2000'"));
      return null;
    }
    long limit = longValue(b.get("limit"), -1, 10, 2_000_000_000L);
    int window = intValue(b.get("evaluation-window-sec"), 300, 1, 86400);
    if (b.get("evaluation-window-sec") != null && !RateBased.WINDOWS.contains(window)) {
      problems.add(
          b.get("evaluation-window-sec")
              .problem(
                  "evaluation-window-sec is 60, 120, 300" + " or 600, found " + window,
                  "use one of those"));
      return null;
    }
    RateBased.KeyType type =
        b.get("aggregate-key-type") == null
            ? null
            : enumValue(b.get("aggregate-key-type"), RateBased.KeyType.class, "aggregate-key-type");
    if (b.get("aggregate-key-type") == null) {
      problems.add(
          b.problem(
              "rate-based needs aggregate-key-type",
              "add 'aggregate-key-type: IP' (or FORWARDED_IP, CUSTOM_KEYS, CONSTANT)"));
    }
    Statement.ForwardedIp fwd = forwardedIp(b.get("forwarded-ip-config"), false);
    if (type == RateBased.KeyType.FORWARDED_IP && fwd == null) {
      problems.add(
          b.problem(
              "aggregate-key-type FORWARDED_IP needs forwarded-ip-config",
              "add 'forwarded-ip-config: {header-name: X-Forwarded-For, fallback-behavior: NO_MATCH}'"));
      return null;
    }
    List<RateBased.CustomKey> keys = new ArrayList<>();
    ConfigNode ck = b.get("custom-keys");
    if (type == RateBased.KeyType.CUSTOM_KEYS) {
      if (ck == null || !ck.isList() || ck.items().isEmpty() || ck.items().size() > 5) {
        problems.add(
            b.problem(
                "aggregate-key-type CUSTOM_KEYS needs custom-keys, a list of 1 to" + " 5 keys",
                "add 'custom-keys: [{header: {name: x-api-key}}]'"));
        return null;
      }
      for (ConfigNode k : ck.items()) {
        RateBased.CustomKey key = customKey(k, fwd);
        if (key != null) {
          keys.add(key);
        }
      }
      if (keys.size() != ck.items().size()) {
        return null;
      }
    } else if (ck != null) {
      problems.add(
          ck.problem(
              "custom-keys applies only to aggregate-key-type CUSTOM_KEYS",
              "remove custom-keys or set aggregate-key-type: CUSTOM_KEYS"));
    }
    Statement scopeDown = null;
    if (b.get("scope-down-statement") != null) {
      scopeDown = statement(b.get("scope-down-statement"), scope, ruleId);
      if (scopeDown == null) {
        return null;
      }
    }
    if (type == null || limit < 0) {
      return null;
    }
    return new RateBased(
        scope.aclName + "/" + ruleId, limit, window, type, List.copyOf(keys), fwd, scopeDown);
  }

  private RateBased.CustomKey customKey(ConfigNode k, Statement.ForwardedIp fwd) {
    if (!k.isMap() || k.keys().size() != 1) {
      problems.add(
          k.problem(
              "a custom key is a map with one of header, cookie, query-argument,"
                  + " query-string, http-method, uri-path, label-namespace, ip, forwarded-ip",
              "write e.g. '{header: {name: x-api-key}}'"));
      return null;
    }
    String kind = k.keys().iterator().next();
    ConfigNode b = k.get(kind);
    ConfigNode tt = b.isMap() ? b.get("text-transformations") : null;
    TextChain c = chain(tt);
    if (c == null) {
      return null;
    }
    switch (kind) {
      case "header", "cookie", "query-argument" -> {
        String name = b.isScalar() ? b.text() : b.isMap() ? text(b, "name") : null;
        if (name == null) {
          problems.add(b.problem("custom key " + kind + " needs a name", "add 'name: ...'"));
          return null;
        }
        if (b.isMap()) {
          keys(b, "name", "text-transformations");
        }
        return switch (kind) {
          case "header" -> new RateBased.CustomKey.Header(name, c);
          case "cookie" -> new RateBased.CustomKey.Cookie(name, c);
          default -> new RateBased.CustomKey.QueryArgument(name, c);
        };
      }
      case "query-string" -> {
        return new RateBased.CustomKey.QueryString(c);
      }
      case "uri-path" -> {
        return new RateBased.CustomKey.UriPath(c);
      }
      case "http-method" -> {
        return new RateBased.CustomKey.Method();
      }
      case "ip" -> {
        return new RateBased.CustomKey.Ip();
      }
      case "forwarded-ip" -> {
        if (fwd == null) {
          problems.add(
              k.problem(
                  "custom key forwarded-ip needs the rate-based statement's"
                      + " forwarded-ip-config",
                  "add forwarded-ip-config next to custom-keys"));
          return null;
        }
        return new RateBased.CustomKey.ForwardedIpKey(fwd);
      }
      case "label-namespace" -> {
        String ns = b.isScalar() ? b.text() : b.isMap() ? text(b, "namespace") : null;
        if (ns == null) {
          problems.add(
              b.problem("custom key label-namespace needs namespace", "add 'namespace: ...'"));
          return null;
        }
        return new RateBased.CustomKey.LabelNamespace(ns);
      }
      default -> {
        problems.add(
            k.problem(
                "unknown custom key '" + kind + "'",
                "use header, cookie,"
                    + " query-argument, query-string, http-method, uri-path, label-namespace, ip or"
                    + " forwarded-ip"));
        return null;
      }
    }
  }

  private Statement.ForwardedIp forwardedIp(ConfigNode n, boolean withPosition) {
    if (n == null || !map(n, "forwarded-ip-config")) {
      return null;
    }
    if (withPosition) {
      keys(n, "header-name", "fallback-behavior", "position");
    } else {
      keys(n, "header-name", "fallback-behavior");
    }
    String header = text(n, "header-name");
    String fb = text(n, "fallback-behavior");
    if (header == null || fb == null) {
      problems.add(
          n.problem(
              "forwarded-ip-config needs header-name and fallback-behavior",
              "add 'header-name: X-Forwarded-For' and 'fallback-behavior: NO_MATCH'"));
      return null;
    }
    if (!fb.equalsIgnoreCase("MATCH") && !fb.equalsIgnoreCase("NO_MATCH")) {
      problems.add(
          n.get("fallback-behavior")
              .problem(
                  "fallback-behavior is MATCH or NO_MATCH," + " found '" + fb + "'",
                  "use MATCH or NO_MATCH"));
      return null;
    }
    Statement.ForwardedIp.Position pos = Statement.ForwardedIp.Position.FIRST;
    if (withPosition && n.get("position") != null) {
      pos = enumValue(n.get("position"), Statement.ForwardedIp.Position.class, "position");
      if (pos == null) {
        return null;
      }
    }
    return new Statement.ForwardedIp(header, fb.equalsIgnoreCase("MATCH"), pos);
  }

  // ---- fields and transformations ----------------------------------------------------------

  private Field field(ConfigNode st) {
    ConfigNode n = st.get("field") != null ? st.get("field") : st.get("field-to-match");
    if (n == null) {
      problems.add(
          st.problem(
              "the statement needs field (the part of the request to inspect)",
              "add e.g. 'field: {single-header: user-agent}' or 'field: uri-path'"));
      return null;
    }
    String kind;
    ConfigNode b;
    if (n.isScalar()) {
      kind = n.text();
      b = null;
    } else if (n.isMap() && n.keys().size() == 1) {
      kind = n.keys().iterator().next();
      b = n.get(kind);
    } else {
      problems.add(
          n.problem(
              "a field is one of uri-path, query-string, single-query-argument,"
                  + " all-query-arguments, method, single-header, headers, cookies, body, json-body",
              "write e.g. 'field: {single-header: user-agent}'"));
      return null;
    }
    switch (kind) {
      case "uri-path":
        return new Field.UriPath();
      case "query-string":
        return new Field.QueryString();
      case "method":
        return new Field.Method();
      case "all-query-arguments":
        return new Field.AllQueryArguments();
      case "single-query-argument", "single-header":
        {
          String name =
              b == null ? null : b.isScalar() ? b.text() : b.isMap() ? text(b, "name") : null;
          if (name == null || name.isBlank()) {
            problems.add(
                n.problem(
                    kind + " needs the name to inspect", "write '" + kind + ": {name: ...}'"));
            return null;
          }
          return kind.equals("single-header")
              ? new Field.SingleHeader(name.toLowerCase(Locale.ROOT))
              : new Field.SingleQueryArgument(name);
        }
      case "body":
        {
          if (b != null && b.isMap()) {
            keys(b, "oversize-handling");
          }
          Field.Oversize o = oversize(b);
          return o == null ? null : new Field.Body(o);
        }
      case "headers", "cookies":
        {
          boolean headers = kind.equals("headers");
          if (b != null && b.isMap()) {
            keys(b, "match-pattern", "match-scope", "oversize-handling");
          }
          Field.Pattern p =
              pattern(
                  b == null ? null : b.get("match-pattern"),
                  headers ? "included-headers" : "included-cookies",
                  headers ? "excluded-headers" : "excluded-cookies",
                  headers);
          Field.Scope sc =
              b == null || b.get("match-scope") == null
                  ? Field.Scope.ALL
                  : enumValue(b.get("match-scope"), Field.Scope.class, "match-scope");
          Field.Oversize o = oversize(b);
          if (p == null || sc == null || o == null) {
            return null;
          }
          return headers ? new Field.Headers(p, sc, o) : new Field.Cookies(p, sc, o);
        }
      case "json-body":
        {
          if (b != null && b.isMap()) {
            keys(
                b,
                "match-pattern",
                "match-scope",
                "invalid-fallback-behavior",
                "oversize-handling");
          }
          List<String> paths = new ArrayList<>();
          ConfigNode mp = b == null ? null : b.get("match-pattern");
          if (mp != null && map(mp, "match-pattern")) {
            keys(mp, "all", "included-paths");
            ConfigNode ip = mp.get("included-paths");
            if (ip != null && list(ip, "included-paths")) {
              for (ConfigNode pth : ip.items()) {
                String t = pth.text();
                if (t == null || !t.startsWith("/")) {
                  problems.add(
                      pth.problem(
                          "an included path is a JSON pointer starting with '/',"
                              + " found "
                              + pth.describeKind(),
                          "write e.g. /user/name"));
                } else {
                  paths.add(t);
                }
              }
            }
          }
          Field.Scope sc =
              b == null || b.get("match-scope") == null
                  ? Field.Scope.VALUE
                  : enumValue(b.get("match-scope"), Field.Scope.class, "match-scope");
          Field.InvalidJson inv =
              b == null || b.get("invalid-fallback-behavior") == null
                  ? Field.InvalidJson.EVALUATE_AS_STRING
                  : enumValue(
                      b.get("invalid-fallback-behavior"),
                      Field.InvalidJson.class,
                      "invalid-fallback-behavior");
          Field.Oversize o = oversize(b);
          if (sc == null || inv == null || o == null) {
            return null;
          }
          return new Field.JsonBody(List.copyOf(paths), sc, inv, o);
        }
      default:
        problems.add(
            n.problem(
                "unknown field '" + kind + "'",
                "use uri-path, query-string,"
                    + " single-query-argument, all-query-arguments, method, single-header, headers,"
                    + " cookies, body or json-body"));
        return null;
    }
  }

  private Field.Oversize oversize(ConfigNode b) {
    if (b == null || !b.isMap() || b.get("oversize-handling") == null) {
      return Field.Oversize.CONTINUE;
    }
    return enumValue(b.get("oversize-handling"), Field.Oversize.class, "oversize-handling");
  }

  private Field.Pattern pattern(
      ConfigNode mp, String includedKey, String excludedKey, boolean lower) {
    if (mp == null) {
      return Field.Pattern.ALL_ENTRIES;
    }
    if (!map(mp, "match-pattern")) {
      return null;
    }
    keys(mp, "all", includedKey, excludedKey);
    for (String k : List.of(includedKey, excludedKey)) {
      ConfigNode l = mp.get(k);
      if (l != null && list(l, k)) {
        Set<String> names = new HashSet<>();
        for (ConfigNode i : l.items()) {
          if (i.text() != null) {
            names.add(lower ? i.text().toLowerCase(Locale.ROOT) : i.text());
          }
        }
        return new Field.Pattern(
            k.equals(includedKey) ? Field.Pattern.Kind.INCLUDED : Field.Pattern.Kind.EXCLUDED,
            Set.copyOf(names));
      }
    }
    return Field.Pattern.ALL_ENTRIES;
  }

  private TextChain chain(ConfigNode n) {
    if (n == null) {
      return TextChain.NONE;
    }
    if (!list(n, "text-transformations")) {
      return null;
    }
    TreeMap<Integer, Transformation> byPriority = new TreeMap<>();
    boolean ok = true;
    for (int i = 0; i < n.items().size(); i++) {
      ConfigNode t = n.items().get(i);
      ConfigNode typeNode = t.isMap() ? t.get("type") : t;
      int prio = i;
      if (t.isMap()) {
        keys(t, "priority", "type");
        prio = intValue(t.get("priority"), i, 0, 1000);
      }
      if (typeNode == null) {
        problems.add(t.problem("a text transformation needs type", "add 'type: URL_DECODE'"));
        ok = false;
        continue;
      }
      Transformation tr = enumValue(typeNode, Transformation.class, "text transformation");
      if (tr == null) {
        ok = false;
        continue;
      }
      if (byPriority.put(prio, tr) != null) {
        problems.add(
            t.problem(
                "two text transformations share priority " + prio, "give each its own priority"));
        ok = false;
      }
    }
    if (n.items().size() > 10) {
      problems.add(
          n.problem(
              "at most 10 text transformations per statement, found " + n.items().size(),
              "remove some"));
      ok = false;
    }
    return ok ? new TextChain(List.copyOf(byPriority.values())) : null;
  }

  // ---- labels ------------------------------------------------------------------------------

  /**
   * Every LabelMatch must be able to match a label that a rule evaluated before it adds (AWS
   * evaluates by priority, so a later rule's labels are not there yet).
   */
  private void checkLabels(List<Rule> rules, Scope scope) {
    List<String> produced = new ArrayList<>();
    for (Rule r : rules) {
      if (r.group() != null) {
        if (r.group().scopeDown() != null) {
          checkStatement(r.group().scopeDown(), produced, scope);
        }
        List<String> inner = new ArrayList<>(produced);
        for (Rule g : r.group().group().rules()) {
          checkStatement(g.statement(), inner, scope);
          inner.addAll(g.labels());
          addGeoLabels(g.statement(), inner);
        }
        produced = inner;
      } else {
        checkStatement(r.statement(), produced, scope);
        produced.addAll(r.labels());
        addGeoLabels(r.statement(), produced);
      }
    }
  }

  private void checkStatement(Statement s, List<String> produced, Scope scope) {
    if (s instanceof Statement.LabelMatch lm) {
      boolean any = false;
      for (String l : produced) {
        if (Labels.matches(lm.scope(), lm.key(), l)) {
          any = true;
          break;
        }
      }
      if (!any) {
        ConfigNode at = scope.labelMatches.get(s);
        String what = lm.scope() == Statement.LabelScope.NAMESPACE ? "namespace" : "label";
        ConfigProblem p =
            new ConfigProblem(
                at == null ? "" : at.file(),
                at == null ? 0 : at.line(),
                at == null ? "" : at.path(),
                "label-match on "
                    + what
                    + " '"
                    + lm.key()
                    + "', which no rule evaluated before this one adds",
                "match a label that an earlier rule adds (rule labels are qualified as bulwark:<acl>:<label>,"
                    + " bulwark:rulegroup:<group>:<label>, bulwark:managed:<group>:<label>), or give the"
                    + " labelling rule a lower priority");
        problems.add(p);
      }
    }
    for (Statement c : s.children()) {
      checkStatement(c, produced, scope);
    }
  }

  private static void addGeoLabels(Statement s, List<String> produced) {
    if (s instanceof Statement.GeoMatch) {
      for (String cc : Locale.getISOCountries()) {
        produced.add(Statement.GeoMatch.COUNTRY_LABEL_NAMESPACE + cc);
      }
    }
    for (Statement c : s.children()) {
      addGeoLabels(c, produced);
    }
  }

  // ---- node helpers ------------------------------------------------------------------------

  boolean map(ConfigNode n, String what) {
    if (n == null || !n.isMap()) {
      if (n != null) {
        problems.add(
            n.problem(
                what + " must be a map, found " + n.describeKind(),
                "write it as 'key: value' lines"));
      }
      return false;
    }
    return true;
  }

  boolean list(ConfigNode n, String what) {
    if (!n.isList()) {
      problems.add(
          n.problem(
              what + " must be a list, found " + n.describeKind(), "write it as '- ...' items"));
      return false;
    }
    return true;
  }

  void keys(ConfigNode n, String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (String k : n.keys()) {
      if (!ok.contains(k)) {
        problems.add(
            n.get(k)
                .problem(
                    "unknown key '" + k + "'", "expected one of: " + String.join(", ", allowed)));
      }
    }
  }

  private String name(ConfigNode n, String key) {
    String t = text(n, key);
    if (t == null) {
      problems.add(n.problem("missing " + key, "add '" + key + ": ...'"));
      return null;
    }
    if (!NAME.matcher(t).matches()) {
      problems.add(
          n.get(key)
              .problem("'" + t + "' is not a valid name", "use 1-128 letters, digits, '_' or '-'"));
      return null;
    }
    return t;
  }

  String text(ConfigNode n, String key) {
    ConfigNode v = n.get(key);
    if (v == null) {
      return null;
    }
    if (!v.isScalar()) {
      problems.add(v.problem(key + " must be text, found " + v.describeKind(), "write a value"));
      return null;
    }
    return v.text();
  }

  private int intValue(ConfigNode n, int dflt, int min, int max) {
    return (int) longValue(n, dflt, min, max);
  }

  private long longValue(ConfigNode n, long dflt, long min, long max) {
    if (n == null) {
      return dflt;
    }
    try {
      long v = Long.parseLong(n.text() == null ? "" : n.text().replace("_", "").strip());
      if (v < min || v > max) {
        problems.add(
            n.problem(
                "value " + v + " is out of range " + min + "-" + max,
                "use a number from " + min + " to " + max));
        return dflt;
      }
      return v;
    } catch (NumberFormatException e) {
      problems.add(
          n.problem(
              "expected a whole number, found " + n.describeKind(),
              "write a number from " + min + " to " + max));
      return dflt;
    }
  }

  <E extends Enum<E>> E enumValue(ConfigNode n, Class<E> type, String what) {
    if (n == null) {
      return null;
    }
    String t = n.text();
    if (t != null) {
      String norm = t.strip().toUpperCase(Locale.ROOT).replace('-', '_');
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(norm)) {
          return e;
        }
      }
    }
    StringBuilder sb = new StringBuilder();
    for (E e : type.getEnumConstants()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(e.name());
    }
    problems.add(n.problem("unknown " + what + " " + n.describeKind(), "use one of: " + sb));
    return null;
  }
}
