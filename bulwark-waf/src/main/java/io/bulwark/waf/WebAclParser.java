package io.bulwark.waf;

import io.bulwark.config.node.ConfigException;
import io.bulwark.config.node.ConfigNode;
import io.bulwark.waf.internal.AclModel;
import io.bulwark.waf.internal.AclReader;
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
      out.add(new WebAcl(m, forwarding.get(m.name())));
    }
    return out;
  }
}
