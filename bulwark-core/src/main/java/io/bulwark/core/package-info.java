/**
 * What every plane shares: an injectable clock ({@link java.time.InstantSource} plus {@link
 * io.bulwark.core.ManualClock} for tests), typed per-request keys ({@link io.bulwark.core.Key},
 * {@link io.bulwark.core.Attributes}) and one error vocabulary ({@link io.bulwark.core.ErrorKind}).
 */
package io.bulwark.core;
