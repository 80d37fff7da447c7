package io.bulwark.testing;

/** Answers one request of the fake origin. Runs on the connection's own thread. */
@FunctionalInterface
public interface Responder {
  /** An exception thrown here is answered with a 500 whose body is the exception's message. */
  Response respond(RecordedRequest request) throws Exception;

  /** A responder that always answers the same response. */
  static Responder always(Response response) {
    return request -> response;
  }
}
