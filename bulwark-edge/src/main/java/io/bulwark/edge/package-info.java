/**
 * The edge: a Netty HTTP/1.1 and HTTPS server that routes a request to a distribution and behavior,
 * answers from the cache or fetches it from an origin group with failover, and always logs. Public
 * API: {@link io.bulwark.edge.EdgeServer} and {@link io.bulwark.edge.EdgeServices}; the request
 * path lives in {@code io.bulwark.edge.internal}, its order declared in {@code RequestPhases}.
 */
package io.bulwark.edge;
