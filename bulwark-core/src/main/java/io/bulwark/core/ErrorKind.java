package io.bulwark.core;

/**
 * The one error vocabulary: what kind of failure, which side caused it, whether another origin may
 * be tried, and the status a viewer sees. The table is the single place that maps failures to
 * status codes (the shape of pingora-error's ErrorType/ErrorSource and zuul's OutboundErrorType:
 * read timeout 504, connect failure 502).
 *
 * <p>{@code failoverEligible} follows seed 002 section 3: connection refused, reset and timeouts
 * always fail over (for idempotent methods); a malformed or truncated origin answer does too,
 * because a viewer cannot be given half an answer.
 */
public enum ErrorKind {
  // Viewer side (4xx, never retried).
  BAD_REQUEST(ErrorSource.VIEWER, false, 400, "Bad request"),
  REQUEST_HEADERS_TOO_LARGE(ErrorSource.VIEWER, false, 431, "Request header fields too large"),
  URI_TOO_LONG(ErrorSource.VIEWER, false, 414, "URI too long"),
  PAYLOAD_TOO_LARGE(ErrorSource.VIEWER, false, 413, "Request body too large"),
  UNKNOWN_HOST(ErrorSource.VIEWER, false, 421, "No distribution serves this host"),
  METHOD_NOT_ALLOWED(ErrorSource.VIEWER, false, 403, "This distribution does not allow the method"),
  HTTPS_REQUIRED(ErrorSource.VIEWER, false, 403, "This behavior requires HTTPS"),
  REQUEST_TIMEOUT(ErrorSource.VIEWER, false, 408, "Request timed out"),

  // Origin side.
  ORIGIN_CONNECT_REFUSED(ErrorSource.ORIGIN, true, 502, "Origin refused the connection"),
  ORIGIN_CONNECT_TIMEOUT(ErrorSource.ORIGIN, true, 504, "Origin connection timed out"),
  ORIGIN_RESPONSE_TIMEOUT(ErrorSource.ORIGIN, true, 504, "Origin did not answer in time"),
  ORIGIN_CONNECTION_RESET(ErrorSource.ORIGIN, true, 502, "Origin closed or reset the connection"),
  ORIGIN_TLS_FAILURE(ErrorSource.ORIGIN, true, 502, "TLS handshake with the origin failed"),
  ORIGIN_PROTOCOL_ERROR(ErrorSource.ORIGIN, true, 502, "Origin sent a malformed response"),
  ORIGIN_UNRESOLVABLE(ErrorSource.ORIGIN, true, 502, "Origin host could not be resolved"),

  // Ours.
  INTERNAL(ErrorSource.INTERNAL, false, 500, "Internal error");

  private final ErrorSource source;
  private final boolean failoverEligible;
  private final int status;
  private final String reason;

  ErrorKind(ErrorSource source, boolean failoverEligible, int status, String reason) {
    this.source = source;
    this.failoverEligible = failoverEligible;
    this.status = status;
    this.reason = reason;
  }

  public ErrorSource source() {
    return source;
  }

  /** True when an idempotent request may be sent to the next origin of a group. */
  public boolean failoverEligible() {
    return failoverEligible;
  }

  /** The status code a viewer receives when this failure ends the request. */
  public int status() {
    return status;
  }

  /** A short, human-readable reason used in error bodies and logs. */
  public String reason() {
    return reason;
  }
}
