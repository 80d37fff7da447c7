package io.bulwark.edge.internal;

import io.bulwark.config.ConfigSnapshot;
import io.bulwark.config.Distribution;
import io.bulwark.edge.EdgeServices;
import io.netty.util.AsciiString;
import java.time.InstantSource;

/**
 * Everything a request needs, compiled from one config snapshot plus the long-lived services. A
 * request takes the current runtime when it arrives and keeps it to the end, so a reload never
 * changes the rules under a request in flight.
 */
public final class EdgeRuntime {
  static final AsciiString X_CACHE = AsciiString.cached("x-cache");
  static final String VIA_VALUE = "1.1 bulwark";

  private final ConfigSnapshot snapshot;
  private final HostRouter router;
  private final EdgeServices services;
  private final EdgeShared shared;

  private final java.util.Map<String, io.bulwark.waf.WebAcl> webAcls;

  public EdgeRuntime(ConfigSnapshot snapshot, EdgeServices services, EdgeShared shared) {
    this(snapshot, java.util.Map.of(), services, shared);
  }

  /** A runtime whose distributions may name the given web ACLs (compiled at load). */
  public EdgeRuntime(
      ConfigSnapshot snapshot,
      java.util.Map<String, io.bulwark.waf.WebAcl> webAcls,
      EdgeServices services,
      EdgeShared shared) {
    this.webAcls = java.util.Map.copyOf(webAcls);
    this.snapshot = snapshot;
    this.router = new HostRouter(snapshot.distributions());
    this.services = services;
    this.shared = shared;
  }

  public ConfigSnapshot snapshot() {
    return snapshot;
  }

  io.bulwark.waf.WebAcl webAcl(String name) {
    return webAcls.get(name);
  }

  Distribution route(String host) {
    return router.route(host);
  }

  EdgeServices services() {
    return services;
  }

  EdgeShared shared() {
    return shared;
  }

  InstantSource clock() {
    return services.clock();
  }
}
