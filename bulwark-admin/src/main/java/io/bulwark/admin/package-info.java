/**
 * The admin API: a small HTTP server, loopback by default, over an {@link
 * io.bulwark.admin.AdminActions} that the server implements. It holds no state of its own.
 */
package io.bulwark.admin;
