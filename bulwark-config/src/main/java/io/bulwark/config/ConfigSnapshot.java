package io.bulwark.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One loaded, validated configuration. Maps are keyed by id and keep the file's order.
 *
 * @param source the file it was loaded from
 * @param edge listeners and per-connection limits of the edge
 * @param admin the admin API listener
 * @param logging access-log settings
 * @param cache the shared cache store's budget
 * @param staticOrigins built-in static origin servers to start
 * @param origins every origin, by id
 * @param originGroups every group, by id, including one implicit single-member group per origin
 *     named directly by a behavior (no failover; lint says so)
 * @param cachePolicies every cache policy, by id, including the managed ones
 * @param originRequestPolicies every origin request policy, by id, including the managed ones
 * @param distributions in file order
 * @param waf process-wide WAF settings (the challenge secret); {@link WafSettings#DEFAULTS} when
 *     the {@code waf} section is absent
 * @param raw the parsed document, for sections other modules read (web-acls, health-checks, dns)
 */
public record ConfigSnapshot(
    Path source,
    EdgeSettings edge,
    AdminSettings admin,
    LoggingSettings logging,
    CacheSettings cache,
    Map<String, StaticOriginSpec> staticOrigins,
    Map<String, OriginSpec> origins,
    Map<String, OriginGroupSpec> originGroups,
    Map<String, CachePolicy> cachePolicies,
    Map<String, OriginRequestPolicy> originRequestPolicies,
    List<Distribution> distributions,
    WafSettings waf,
    io.bulwark.config.node.ConfigNode raw) {}
