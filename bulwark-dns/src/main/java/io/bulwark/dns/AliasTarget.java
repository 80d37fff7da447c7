package io.bulwark.dns;

import org.xbill.DNS.Name;

/**
 * An alias: answer with the records that the named record set (same type, same zone) answers with,
 * under the alias's own name, so that it works at the zone apex where a CNAME cannot.
 *
 * @param evaluateTargetHealth when true the alias counts as unhealthy if every record set it points
 *     at is unhealthy (seed 002 §1, the EvaluateTargetHealth table)
 */
public record AliasTarget(Name name, boolean evaluateTargetHealth) {}
