package io.bulwark.config;

import java.nio.file.Path;

/**
 * A built-in static origin server: serves {@code root} on its own loopback port.
 *
 * @param id referenced by an origin's {@code static:} key
 * @param root folder served, resolved against the config file's folder
 * @param address where it listens (port 0: ephemeral, resolved at start)
 * @param indexDocument served for a path ending in "/" (default index.html)
 */
public record StaticOriginSpec(String id, Path root, HostPort address, String indexDocument) {}
