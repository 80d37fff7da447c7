package io.bulwark.edge;

import java.time.Instant;

/**
 * One request, with the CloudFront standard log fields that apply to Bulwark.
 *
 * @param time when the request arrived
 * @param clientIp the viewer's address (c-ip)
 * @param method cs-method
 * @param host cs(Host)
 * @param uri cs-uri-stem
 * @param query cs-uri-query, or "-"
 * @param status sc-status
 * @param bytesOut sc-bytes (body bytes sent)
 * @param timeTakenMillis time-taken
 * @param edgeResultType x-edge-result-type: Hit, RefreshHit, Miss, Error, Redirect
 * @param detailedResultType x-edge-detailed-result-type (e.g. OriginConnectError, ClientCommError)
 * @param distribution the distribution id, or "-"
 * @param origin the origin that answered, or "-"
 * @param failovers how many origins were tried before the one that answered
 * @param protocol http or https
 */
public record AccessLogRecord(
    Instant time,
    String clientIp,
    String method,
    String host,
    String uri,
    String query,
    int status,
    long bytesOut,
    long timeTakenMillis,
    String edgeResultType,
    String detailedResultType,
    String distribution,
    String origin,
    int failovers,
    String protocol) {}
