/**
 * The web ACL engine with AWS WAF semantics, as a pure library: a {@link io.bulwark.waf.WafRequest}
 * view in, a {@link io.bulwark.waf.Verdict} out. No transport type crosses this API.
 *
 * <p>Entry points: {@link io.bulwark.waf.WebAclParser#parse(io.bulwark.config.node.ConfigNode,
 * io.bulwark.waf.WafEnvironment)} reads the {@code web-acls:} section into {@link
 * io.bulwark.waf.WebAcl}s (or refuses it with located problems); {@link
 * io.bulwark.waf.WebAcl#evaluate(io.bulwark.waf.WafRequest, java.time.Instant)} decides one
 * request. Rate counters sit behind {@link io.bulwark.waf.RateCounterStore}; the Challenge token
 * flow is {@link io.bulwark.waf.ChallengeService}. Everything else is in {@code internal}.
 */
package io.bulwark.waf;
