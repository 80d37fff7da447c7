/**
 * Internal: the pure health rules, the probe loop and the Netty probers. Not an API; anything here
 * may change without notice. Use {@link io.bulwark.health.HealthPlane} and {@link
 * io.bulwark.health.HealthGraph}.
 */
package io.bulwark.health.internal;
