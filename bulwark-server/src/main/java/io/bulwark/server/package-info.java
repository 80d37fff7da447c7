/**
 * The {@code bulwark} command and the wiring of every plane: {@link io.bulwark.server.Bulwark}
 * starts one process from a config file; {@link io.bulwark.server.BulwarkCommand} is the CLI.
 */
package io.bulwark.server;
