package io.bulwark.config;

import java.time.Duration;
import java.util.List;

/**
 * An origin, as CloudFront's CustomOriginConfig describes it.
 *
 * @param id unique id
 * @param host domain name or address (for a static origin: its listen host)
 * @param httpPort port for http (default 80)
 * @param httpsPort port for https (default 443)
 * @param staticOriginId the built-in static origin this points at, or null; its port is resolved
 *     when it starts
 * @param pathPrefix prepended to the request path ("" for none; never ends in "/")
 * @param protocolPolicy which scheme to use towards the origin
 * @param minTls minimum TLS version towards the origin ("TLSv1.2" default)
 * @param verifyTls verify the origin's certificate chain and name (default true)
 * @param connectionAttempts 1-3 (default 3), connection attempts before giving up on this origin
 * @param connectTimeout 1-10 s (default 10 s)
 * @param responseTimeout time to the first byte of the response, and between reads (default 30 s)
 * @param keepAliveTimeout how long an idle pooled connection is kept (default 5 s)
 * @param customHeaders added to every origin request; a viewer's copy is stripped first
 * @param healthCheck the health check whose state says whether this origin is up, or null; an
 *     origin group sends requests to its first member whose check is healthy
 */
public record OriginSpec(
    String id,
    String host,
    int httpPort,
    int httpsPort,
    String staticOriginId,
    String pathPrefix,
    OriginProtocolPolicy protocolPolicy,
    String minTls,
    boolean verifyTls,
    int connectionAttempts,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration keepAliveTimeout,
    List<CustomHeader> customHeaders,
    String healthCheck) {

  /** A header the edge adds to origin requests; its value is secret. */
  public record CustomHeader(String name, Secret value) {}

  /** Which scheme the edge uses to reach the origin. */
  public enum OriginProtocolPolicy {
    HTTP_ONLY,
    HTTPS_ONLY,
    MATCH_VIEWER
  }
}
