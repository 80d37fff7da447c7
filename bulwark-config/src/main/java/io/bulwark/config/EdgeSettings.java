package io.bulwark.config;

import java.time.Duration;

/**
 * The edge's listeners and the limits applied to every viewer connection.
 *
 * <table>
 *   <caption>Limits and their defaults</caption>
 *   <tr><th>key</th><th>default</th><th>what happens past it</th></tr>
 *   <tr><td>max-request-line</td><td>8192 bytes</td><td>414 and the connection closed</td></tr>
 *   <tr><td>max-header-bytes</td><td>16384 bytes</td><td>431 and the connection closed</td></tr>
 *   <tr><td>max-request-body</td><td>10 MiB</td><td>413 and the connection closed</td></tr>
 *   <tr><td>idle-timeout</td><td>60 s</td><td>an idle keep-alive connection is closed</td></tr>
 *   <tr><td>request-header-timeout</td><td>10 s</td><td>408 when a request's headers do not
 *       arrive in time (slowloris)</td></tr>
 * </table>
 *
 * @param http plain HTTP listener, or null for none
 * @param https TLS listener, or null for none
 */
public record EdgeSettings(
    HostPort http,
    HostPort https,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    long maxRequestBodyBytes,
    Duration idleTimeout,
    Duration requestHeaderTimeout) {}
