package io.bulwark.staticorigin;

import io.bulwark.staticorigin.internal.ByteRanges;
import io.bulwark.staticorigin.internal.ContentTypes;
import io.bulwark.staticorigin.internal.Preconditions;
import io.bulwark.staticorigin.internal.RequestPaths;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * Answers one connection's requests: first the fault switch, then the file. One instance per
 * connection. The order of checks follows RFC 9110: method, target, file, preconditions (section
 * 13.2.2), then Range (section 14) under If-Range.
 */
final class StaticFileHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final StaticOriginServer server;

  /** Whether the request being answered is HTTP/1.0 (answers are written before the next). */
  private boolean http10;

  /** Set under HANG: the connection reads and drops everything until it is closed. */
  private boolean hung;

  StaticFileHandler(StaticOriginServer server) {
    this.server = server;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (hung) {
      return;
    }
    DecoderResult decoded = request.decoderResult();
    if (decoded.isFailure()) {
      HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
      if (decoded.cause() instanceof TooLongHttpLineException) {
        status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
      } else if (decoded.cause() instanceof TooLongHttpHeaderException) {
        status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
      }
      sendError(ctx, status, false, "malformed request");
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    switch (server.fault()) {
      case NONE -> serve(ctx, request, keepAlive);
      case STATUS_503 ->
          sendError(
              ctx,
              HttpResponseStatus.SERVICE_UNAVAILABLE,
              keepAlive,
              "fault injected on static origin " + server.id());
      case RESET -> {
        // SO_LINGER 0 turns close() into an abortive close: the peer reads a RST (ECONNRESET).
        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        ctx.close();
      }
      case HANG -> {
        hung = true;
        server.hang(ctx.channel());
      }
      case REFUSE -> ctx.close(); // a connection that raced the unbinding
    }
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
    HttpMethod method = request.method();
    boolean head = method.equals(HttpMethod.HEAD);
    if (!head && !method.equals(HttpMethod.GET)) {
      FullHttpResponse response =
          text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD are served");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      send(ctx, response, keepAlive);
      return;
    }
    RequestPaths.Parsed target = RequestPaths.parse(request.uri());
    if (target.status() == RequestPaths.Status.MALFORMED) {
      sendError(ctx, HttpResponseStatus.BAD_REQUEST, keepAlive, "malformed request target");
      return;
    }
    if (target.status() == RequestPaths.Status.FORBIDDEN) {
      sendNotFound(ctx, keepAlive);
      return;
    }
    Path file = resolve(target);
    if (file == null) {
      sendNotFound(ctx, keepAlive);
      return;
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      sendNotFound(ctx, keepAlive);
      return;
    }
    if (attributes.isDirectory()) {
      if (target.directory()) {
        sendNotFound(ctx, keepAlive); // the index document is itself a folder
        return;
      }
      // A folder without its '/': relative links in its index only work with it (as nginx does).
      FullHttpResponse response = text(HttpResponseStatus.MOVED_PERMANENTLY, "moved");
      String location = target.rawPath() + "/";
      if (target.query() != null) {
        location += "?" + target.query();
      }
      response.headers().set(HttpHeaderNames.LOCATION, location);
      send(ctx, response, keepAlive);
      return;
    }
    if (!attributes.isRegularFile()) {
      sendNotFound(ctx, keepAlive);
      return;
    }
    serveFile(ctx, request, keepAlive, head, file, attributes);
  }

  private void serveFile(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      boolean keepAlive,
      boolean head,
      Path file,
      BasicFileAttributes attributes) {
    long length = attributes.size();
    Instant modified = attributes.lastModifiedTime().toInstant();
    String etag = Preconditions.entityTag(length, modified, attributes.fileKey());
    String lastModified = Preconditions.formatDate(modified);
    HttpHeaders in = request.headers();

    Preconditions.Outcome outcome =
        Preconditions.evaluate(
            true,
            etag,
            modified,
            in.get(HttpHeaderNames.IF_MATCH),
            in.get(HttpHeaderNames.IF_UNMODIFIED_SINCE),
            in.get(HttpHeaderNames.IF_NONE_MATCH),
            in.get(HttpHeaderNames.IF_MODIFIED_SINCE));
    if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
      response.headers().set(HttpHeaderNames.ETAG, etag);
      response.headers().set(HttpHeaderNames.LAST_MODIFIED, lastModified);
      send(ctx, response, keepAlive);
      return;
    }
    if (outcome == Preconditions.Outcome.PRECONDITION_FAILED) {
      sendError(ctx, HttpResponseStatus.PRECONDITION_FAILED, keepAlive, "precondition failed");
      return;
    }

    ByteRanges.Decision range = ByteRanges.decide(null, length);
    String rangeHeader = in.get(HttpHeaderNames.RANGE);
    if (rangeHeader != null
        && Preconditions.ifRangeHolds(in.get(HttpHeaderNames.IF_RANGE), etag, modified)) {
      range = ByteRanges.decide(rangeHeader, length);
    }
    if (range.kind() == ByteRanges.Kind.UNSATISFIABLE) {
      FullHttpResponse response =
          text(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range not satisfiable");
      response.headers().set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(length));
      send(ctx, response, keepAlive);
      return;
    }

    boolean partial = range.kind() == ByteRanges.Kind.PARTIAL;
    long first = partial ? range.first() : 0;
    long count = partial ? range.length() : length;
    FileChannel channel = null;
    if (!head && count > 0) {
      try {
        channel = FileChannel.open(file, StandardOpenOption.READ);
      } catch (IOException e) {
        sendNotFound(ctx, keepAlive);
        return;
      }
    }
    HttpResponse response =
        new DefaultHttpResponse(
            HttpVersion.HTTP_1_1,
            partial ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK);
    HttpHeaders out = response.headers();
    addCommonHeaders(out);
    out.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.forFileName(file.getFileName().toString()));
    out.set(HttpHeaderNames.CONTENT_LENGTH, count);
    out.set(HttpHeaderNames.ETAG, etag);
    out.set(HttpHeaderNames.LAST_MODIFIED, lastModified);
    out.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
    if (partial) {
      out.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(length));
    }
    setKeepAlive(response, keepAlive);
    ctx.write(response);
    if (channel != null) {
      // Zero-copy: the kernel sends the file's pages (sendfile); the region closes the channel.
      ctx.write(new DefaultFileRegion(channel, first, count));
    }
    ChannelFuture done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    if (!keepAlive) {
      done.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * The file for a parsed target, or null. The real path (symlinks followed) must lie under the
   * root's real path: a symlink inside the site that points outside it is not served.
   */
  private Path resolve(RequestPaths.Parsed target) {
    Path root = server.root();
    try {
      Path candidate = root;
      for (String segment : target.segments()) {
        candidate = candidate.resolve(segment);
      }
      if (target.directory()) {
        candidate = candidate.resolve(server.indexDocument());
      }
      if (!candidate.normalize().startsWith(root)) {
        return null; // unreachable after RequestPaths' checks; kept as the last line of defence
      }
      Path real = candidate.toRealPath();
      return real.startsWith(root) ? real : null;
    } catch (IOException | InvalidPathException e) {
      return null;
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      if (!hung) {
        ctx.close();
      }
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A peer that resets or vanishes mid-response: nothing to answer, nobody to tell.
    ctx.close();
  }

  // ---- responses ----

  /**
   * Answers are HTTP/1.1; an HTTP/1.0 client that asked for keep-alive assumes close unless the
   * answer says keep-alive (RFC 9112 section 9.3).
   */
  private void setKeepAlive(HttpResponse response, boolean keepAlive) {
    HttpUtil.setKeepAlive(response, keepAlive);
    if (keepAlive && http10) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  private void addCommonHeaders(HttpHeaders headers) {
    headers.set(HttpHeaderNames.SERVER, server.serverHeader());
    headers.set(HttpHeaderNames.DATE, Preconditions.formatDate(Instant.now()));
  }

  private FullHttpResponse text(HttpResponseStatus status, String body) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    return response;
  }

  private void sendNotFound(ChannelHandlerContext ctx, boolean keepAlive) {
    sendError(ctx, HttpResponseStatus.NOT_FOUND, keepAlive, "not found");
  }

  private void sendError(
      ChannelHandlerContext ctx, HttpResponseStatus status, boolean keepAlive, String message) {
    send(ctx, text(status, message), keepAlive);
  }

  private void send(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    addCommonHeaders(response.headers());
    if (response.status().code() != 304) {
      HttpUtil.setContentLength(response, response.content().readableBytes());
    }
    setKeepAlive(response, keepAlive);
    ChannelFuture done = ctx.writeAndFlush(response);
    if (!keepAlive) {
      done.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
