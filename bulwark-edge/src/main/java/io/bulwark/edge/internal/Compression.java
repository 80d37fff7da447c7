package io.bulwark.edge.internal;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import io.bulwark.cache.CacheControl;
import io.bulwark.cache.CacheKeys;
import io.bulwark.cache.ResponseHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Compression at the edge, CloudFront's way: gzip or br, whichever the request's normalised
 * Accept-Encoding token names, for a 200 of a compressible content type between 1,000 and
 * 10,000,000 bytes (with a Content-Length), when the behavior compresses and the origin did not.
 * The object is compressed once, when it is stored: the compressed variant lives under the key with
 * its encoding token, so every later hit is served compressed without more work. The transformed
 * response gets {@code Content-Encoding}, {@code Vary: Accept-Encoding} and a weak ETag (RFC 9110
 * 8.8.3: the bytes differ from the origin's representation). {@code Cache-Control: no-transform} is
 * honoured (RFC 9110 7.7).
 */
final class Compression {
  static final long MIN_BYTES = 1_000;
  static final long MAX_BYTES = 10_000_000;

  /** Brotli quality: 5 compresses close to the best at a small fraction of its time. */
  private static final int BROTLI_QUALITY = 5;

  private Compression() {}

  /** Whether Brotli's native library loaded (else br variants are stored uncompressed). */
  static boolean brotliAvailable() {
    return BrotliHolder.AVAILABLE;
  }

  private static final class BrotliHolder {
    static final boolean AVAILABLE = load();

    private static boolean load() {
      try {
        Brotli4jLoader.ensureAvailability();
        return true;
      } catch (Throwable t) {
        return false;
      }
    }
  }

  /**
   * The encoding to compress this response to, or null to store it as it came.
   *
   * @param token the request's normalised Accept-Encoding ({@link CacheKeys#acceptEncodingToken})
   * @param contentLength the origin's Content-Length, -1 when absent
   */
  static String encodingFor(
      boolean behaviorCompresses,
      String token,
      int status,
      ResponseHeaders headers,
      long contentLength) {
    if (!behaviorCompresses || status != 200 || token == null) {
      return null;
    }
    boolean gzip = CacheKeys.GZIP.equals(token);
    boolean br = CacheKeys.BR.equals(token) && brotliAvailable();
    if (!gzip && !br) {
      return null;
    }
    if (contentLength < MIN_BYTES || contentLength > MAX_BYTES) {
      return null;
    }
    String ce = headers.get("content-encoding");
    if (ce != null && !ce.isBlank() && !ce.trim().equalsIgnoreCase("identity")) {
      return null;
    }
    if (!compressible(headers.get("content-type"))) {
      return null;
    }
    if (CacheControl.parse(headers.getAll("cache-control")).has("no-transform")) {
      return null;
    }
    return token;
  }

  /** Text, JSON, JavaScript, XML, SVG and the other types CloudFront compresses. */
  static boolean compressible(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String t = (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
    t = t.toLowerCase(Locale.ROOT);
    if (t.startsWith("text/")) {
      return true;
    }
    if (t.endsWith("+json") || t.endsWith("+xml")) {
      return true;
    }
    switch (t) {
      case "application/json":
      case "application/javascript":
      case "application/x-javascript":
      case "application/ecmascript":
      case "application/xml":
      case "application/xhtml+xml":
      case "application/wasm":
      case "application/vnd.ms-fontobject":
      case "application/x-font-ttf":
      case "font/otf":
      case "font/ttf":
      case "image/svg+xml":
      case "image/x-icon":
      case "image/vnd.microsoft.icon":
        return true;
      default:
        return false;
    }
  }

  /** The body compressed (a direct buffer); null when compression failed (store it as it is). */
  static ByteBuffer compress(String encoding, ByteBuffer body) {
    byte[] in = new byte[body.remaining()];
    body.duplicate().get(in);
    byte[] out;
    try {
      if (CacheKeys.BR.equals(encoding)) {
        out = Encoder.compress(in, Encoder.Parameters.create(BROTLI_QUALITY));
      } else {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(64, in.length / 3));
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 8192)) {
          gz.write(in);
        }
        out = bytes.toByteArray();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(out.length);
    direct.put(out).flip();
    return direct;
  }

  /**
   * The headers of the transformed response: Content-Encoding set, Content-Length dropped (the
   * serving side writes the stored length), Accept-Encoding added to Vary, a strong ETag made weak.
   */
  static ResponseHeaders transformed(ResponseHeaders h, String encoding) {
    ResponseHeaders.Builder b = ResponseHeaders.builder();
    boolean varyListed = false;
    for (int i = 0, n = h.size(); i < n; i++) {
      String name = h.name(i);
      String value = h.value(i);
      if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("content-encoding")) {
        continue;
      }
      if (name.equalsIgnoreCase("etag")) {
        String v = value.trim();
        b.add(name, v.startsWith("W/") ? v : "W/" + v);
        continue;
      }
      if (name.equalsIgnoreCase("vary") && listsAcceptEncoding(value)) {
        varyListed = true;
      }
      b.add(name, value);
    }
    b.add("Content-Encoding", encoding);
    if (!varyListed) {
      b.add("Vary", "Accept-Encoding");
    }
    return b.build();
  }

  static boolean listsAcceptEncoding(String vary) {
    for (String part : vary.split(",")) {
      String p = part.trim();
      if (p.equalsIgnoreCase("accept-encoding") || p.equals("*")) {
        return true;
      }
    }
    return false;
  }

  /** Whether any Vary line of the viewer-bound headers already lists Accept-Encoding. */
  static boolean varyListsAcceptEncoding(List<String> varyLines) {
    for (String v : varyLines) {
      if (listsAcceptEncoding(v)) {
        return true;
      }
    }
    return false;
  }
}
