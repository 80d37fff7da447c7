package io.bulwark.edge.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Decodes an origin's responses on a connection that carries one request at a time, and notices
 * bytes that follow a complete response.
 *
 * <p>Such bytes belong to no request: an origin that sent more body than its Content-Length said
 * (or a body after a response to HEAD) has put them there. Left in the decoder, they become the
 * start of the next response read on the connection, so the next viewer's request, which has
 * nothing to do with the faulty response, fails as malformed, or, if the stray bytes form a
 * response of their own, is answered (and cached) with them: the response queue desynchronises (RFC
 * 9112 6.3 makes the declared length the message's end, so what follows cannot be trusted). A
 * connection with stray bytes is closed instead of going back to the pool ({@link
 * #strayBytesAfterResponse()}).
 *
 * <p>It replaces Netty's {@code HttpClientCodec} decoder, whose method queue is not needed with one
 * request in flight: {@link #expect} says whether that request is a HEAD (a response to HEAD has no
 * body, RFC 9110 9.3.2).
 */
final class OriginResponseDecoder extends HttpResponseDecoder {
  private boolean head;
  private boolean stray;

  OriginResponseDecoder(int maxInitialLine, int maxHeaderBytes, int maxChunkBytes) {
    super(
        new HttpDecoderConfig()
            .setMaxInitialLineLength(maxInitialLine)
            .setMaxHeaderSize(maxHeaderBytes)
            .setMaxChunkSize(maxChunkBytes));
  }

  /** The next response answers a request with this method: HEAD or not. */
  void expect(boolean headRequest) {
    this.head = headRequest;
    this.stray = false;
  }

  /** Whether bytes followed the last complete response: the connection must not be reused. */
  boolean strayBytesAfterResponse() {
    return stray;
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    int code = ((HttpResponse) msg).status().code();
    if (code >= 100 && code < 200) {
      return super.isContentAlwaysEmpty(msg); // interim: the final response is still to come
    }
    return head || super.isContentAlwaysEmpty(msg);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out)
      throws Exception {
    super.decode(ctx, buffer, out);
    if (buffer.isReadable()
        && !out.isEmpty()
        && out.get(out.size() - 1) instanceof LastHttpContent) {
      stray = true;
    }
  }
}
