/**
 * Internal: the wire protocol (query in, response out), the Netty handlers and the MaxMind adapter.
 * Not an API; use {@link io.bulwark.dns.DnsServer}.
 */
package io.bulwark.dns.internal;
