package io.bulwark.waf;

import java.util.List;

/**
 * The response a Block action sends instead of the plain 403.
 *
 * @param status 200-599
 * @param headers added to the response, in order
 * @param contentType the body's media type, or null when there is no body
 * @param body the body text, or null
 */
public record CustomResponse(
    int status, List<WafRequest.Header> headers, String contentType, String body) {
  public CustomResponse {
    headers = List.copyOf(headers);
  }

  /** The plain Block response: 403 with no custom headers or body. */
  public static final CustomResponse DEFAULT_BLOCK = new CustomResponse(403, List.of(), null, null);
}
