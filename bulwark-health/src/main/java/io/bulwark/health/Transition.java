package io.bulwark.health;

import java.time.Instant;

/** A state change in a check's history. */
public record Transition(Instant at, boolean healthy, String reason) {}
