package io.bulwark.waf;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.waf.internal.AclModel;
import io.bulwark.waf.internal.AclReader;
import io.bulwark.waf.internal.AclServices;
import io.bulwark.waf.internal.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code web-acls:} section of a configuration into loaded {@link WebAcl}s, or refuses it
 * with every problem located (file, line, key path, reason, fix). The schema is in docs/waf.md.
 */
public final class WebAclParser {
  private WebAclParser() {}

  /** Parses {@code root.web-acls} (absent: no web ACLs) with {@link WafEnvironment#defaults()}. */
  public static List<WebAcl> parse(ConfigNode root) throws ConfigException {
    return parse(root, WafEnvironment.defaults());
  }

  /**
   * Parses {@code root.web-acls}. {@code root} is the document root (a map holding {@code
   * web-acls}) or the {@code web-acls} list itself.
   */
  public static List<WebAcl> parse(ConfigNode root, WafEnvironment env) throws ConfigException {
    ConfigNode list = root.isList() ? root : root.get("web-acls");
    AclReader reader = new AclReader(env);
    List<AclModel> models = reader.readAll(list);
    Map<String, LabelForwarding> forwarding = reader.labelForwarding();
    List<WebAcl> out = new ArrayList<>(models.size());
    for (AclModel m : models) {
      out.add(new WebAcl(withLongestImmunity(m), forwarding.get(m.name())));
    }
    return out;
  }

  /**
   * The model with a challenge service whose {@link ChallengeService#immunity()} is the longest
   * immunity time among the web ACL's challenge actions (rules, and rules of referenced groups as
   * overridden, excluded rules and Count-overridden groups left out); unchanged when it has none.
   *
   * <p>Why the longest: the edge sets the token cookie's {@code Max-Age} from it when a solved
   * puzzle is redeemed, and the puzzle does not say which rule challenged (it is signed for a host,
   * not a rule). A token is accepted by every challenge rule whose own immunity time it is within,
   * so the cookie must live as long as the longest of them; a rule with a shorter time refuses the
   * older token, challenges again, and the new token replaces the cookie. With the service's
   * default instead, a browser drops the cookie after 300 s although a rule would accept it for
   * longer, and the viewer is challenged again early.
   */
  static AclModel withLongestImmunity(AclModel m) {
    Duration longest = null;
    for (Rule r : m.rules()) {
      if (r.group() == null) {
        longest = longer(longest, r.action());
      } else if (!r.overrideCount()) {
        Rule.GroupRef ref = r.group();
        for (Rule inner : ref.group().rules()) {
          Rule.RuleAction a = ref.overrides().get(inner.name());
          if (a == null && !ref.excluded().contains(inner.name())) {
            a = inner.action();
          }
          longest = longer(longest, a);
        }
      }
    }
    ChallengeService c = m.services().challenge();
    if (longest == null || longest.equals(c.immunity())) {
      return m;
    }
    AclServices s = m.services();
    return new AclModel(
        m.name(),
        m.defaultAction(),
        m.defaultResponse(),
        m.capacity(),
        m.rules(),
        new AclServices(s.rates(), s.geo(), c.withImmunity(longest)));
  }

  private static Duration longer(Duration longest, Rule.RuleAction a) {
    if (a == null || a.action() != Action.CHALLENGE || a.immunity() == null) {
      return longest;
    }
    return longest == null || a.immunity().compareTo(longest) > 0 ? a.immunity() : longest;
  }
}
