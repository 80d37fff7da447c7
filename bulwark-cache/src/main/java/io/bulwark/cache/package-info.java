/**
 * The cache of the edge: the cache key ({@link io.bulwark.cache.CacheKeys}), pure decisions with
 * the time passed in ({@link io.bulwark.cache.CacheDecisions}: may a response be stored, for how
 * long, is an entry still fresh) and a byte-budget in-memory store ({@link
 * io.bulwark.cache.MemoryCacheStore}) whose bodies are read-only direct {@link
 * java.nio.ByteBuffer}s the edge can serve without copying.
 *
 * <p>No Netty type crosses this boundary: the edge adapts its header objects with {@link
 * io.bulwark.cache.HeaderSource} and {@link io.bulwark.cache.ResponseHeaders}. See docs/caching.md
 * for the rules and the RFC 9111 sections they implement.
 */
package io.bulwark.cache;
