package io.bulwark.health;

/**
 * One checker of a check in a status snapshot.
 *
 * @param checkerId {@code local-1}, {@code local-2}, ... for this node's probers; remote checkers
 *     use the id they report with
 * @param healthy this checker's view after its failure threshold
 * @param streak consecutive results that contradict {@code healthy} so far
 * @param probes results received so far
 * @param inFlight whether a probe is running now
 * @param last the last result, or null before the first
 */
public record CheckerStatus(
    String checkerId,
    boolean healthy,
    int streak,
    long probes,
    boolean inFlight,
    ProbeResult last) {}
