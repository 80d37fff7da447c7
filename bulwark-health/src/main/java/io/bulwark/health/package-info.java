/**
 * The health plane: named checks probed by several checkers, decided by consecutive results against
 * a failure threshold and by a quorum of checkers, combined by calculated and inverted checks, and
 * published as one {@link io.bulwark.health.HealthGraph} that the DNS plane and the edge both read.
 *
 * <p>Entry points: {@link io.bulwark.health.HealthPlane#start} runs the checks and owns their
 * threads; {@link io.bulwark.health.HealthGraph#isHealthy(String)} is the lock-free read used on
 * request paths; {@link io.bulwark.health.HealthGraph#status()} is the snapshot the admin API
 * serializes; {@link io.bulwark.health.HealthGraph#report} is how a checker on another node reports
 * in. {@link io.bulwark.health.HealthChecksConfig} parses the {@code health-checks:} section.
 */
package io.bulwark.health;
