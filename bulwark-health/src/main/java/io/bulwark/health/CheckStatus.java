package io.bulwark.health;

import java.util.List;

/**
 * One check in a {@link HealthGraph#status()} snapshot: immutable, safe to serialize.
 *
 * @param id the check's name
 * @param type what it probes
 * @param healthy the effective state (after disabled and inverted)
 * @param disabled a disabled check is always healthy (before inversion), as in Route 53
 * @param inverted the state is the opposite of what the probes say
 * @param checkers the last result of each checker, in registration order (empty for calculated and
 *     disabled checks)
 * @param children child check ids of a calculated check
 * @param transitions the most recent state changes, oldest first (bounded)
 */
public record CheckStatus(
    String id,
    CheckType type,
    boolean healthy,
    boolean disabled,
    boolean inverted,
    List<CheckerStatus> checkers,
    List<String> children,
    List<Transition> transitions) {}
