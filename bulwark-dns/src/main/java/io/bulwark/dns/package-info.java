/**
 * Authoritative DNS over UDP and TCP with Route 53 routing policies, answering from the health
 * graph.
 *
 * <p>Entry points: {@link io.bulwark.dns.DnsConfig#parse} turns the {@code dns:} section into
 * {@link io.bulwark.dns.DnsSettings}; {@link io.bulwark.dns.DnsServer#start} serves them; {@link
 * io.bulwark.dns.DnsServer#update} swaps in a reloaded snapshot. The answer choice is the pure
 * {@link io.bulwark.dns.AnswerSelector#select}.
 */
package io.bulwark.dns;
