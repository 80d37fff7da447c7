package io.bulwark.config;

/**
 * The in-memory store's budget.
 *
 * @param maxBytes total bytes of bodies and headers kept (default 256 MiB)
 * @param maxObjectBytes a response larger than this streams through uncached (default 10 MiB)
 */
public record CacheSettings(long maxBytes, long maxObjectBytes) {}
