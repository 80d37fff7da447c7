package io.bulwark.health;

import java.time.Instant;

/**
 * A check changed state. Delivered once per transition, in order, to every {@link HealthListener}.
 *
 * @param checkId the check's name in the config
 * @param healthy the new state
 * @param at when the change was decided
 * @param reason why, e.g. {@code "0 of 3 checkers healthy (last: status 503)"}
 */
public record HealthEvent(String checkId, boolean healthy, Instant at, String reason) {}
