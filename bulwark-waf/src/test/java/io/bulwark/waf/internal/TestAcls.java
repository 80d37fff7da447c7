package io.bulwark.waf.internal;

import io.bulwark.config.node.YamlTree;
import io.bulwark.waf.ChallengeService;
import io.bulwark.waf.InMemoryRateCounterStore;
import io.bulwark.waf.WafEnvironment;
import java.nio.file.Path;

/** Web ACLs for the engine's internal tests, read from YAML as a configuration file has them. */
final class TestAcls {
  private TestAcls() {}

  /** The first web ACL under {@code web-acls:} in {@code yaml}, with rate counters of its own. */
  static AclModel read(String file, String yaml) throws Exception {
    WafEnvironment env =
        new WafEnvironment(
            new InMemoryRateCounterStore(),
            null,
            ChallengeService.withRandomSecret(),
            Path.of("."));
    return new AclReader(env).readAll(YamlTree.parse(file, yaml).get("web-acls")).get(0);
  }
}
