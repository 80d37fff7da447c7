package io.bulwark.cache;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored response. Immutable and safe to share between threads: the body is a read-only buffer
 * that is never read through its own position; {@link #body()} hands out an independent view per
 * serve, which the edge wraps without copying ({@code Unpooled.wrappedBuffer(entry.body())}).
 *
 * <p>The body's memory is a direct buffer (see {@link BodyAccumulator}) released by the JDK's
 * cleaner once the entry is evicted and the last view is garbage: no reference count to get wrong
 * when an entry is evicted while a slow viewer is still being served from it.
 */
public final class CachedResponse {
  /**
   * Fixed per-entry overhead added to {@link #sizeBytes()}: this object, its key, the header
   * arrays, the ByteBuffer object with its cleaner, and the store's map node come to roughly 400 to
   * 500 bytes on a 64-bit JVM with compressed oops; 512 rounds that up.
   */
  public static final int ENTRY_OVERHEAD_BYTES = 512;

  /** Per header line on top of its characters: two String objects and their arrays. */
  public static final int HEADER_LINE_OVERHEAD_BYTES = 64;

  private final CacheKey key;
  private final String distributionId;
  private final String path;
  private final int status;
  private final ResponseHeaders headers;
  private final int viewerFieldCount;
  private final ByteBuffer body;
  private final Instant storedAt;
  private final Duration ttl;
  private final Duration initialAge;
  private final long sizeBytes;

  private CachedResponse(Builder b) {
    this.key = Objects.requireNonNull(b.key, "key");
    this.distributionId = Objects.requireNonNull(b.distributionId, "distributionId");
    this.path = Objects.requireNonNull(b.path, "path");
    this.status = b.status;
    ResponseHeaders stripped = HopByHop.strip(Objects.requireNonNull(b.headers, "headers"));
    if (b.edgeOnly == null) {
      this.headers = stripped;
      this.viewerFieldCount = stripped.size();
    } else {
      // The fields for this edge only go last, so serving them out is a shorter loop.
      ResponseHeaders.Builder viewer = ResponseHeaders.builder();
      ResponseHeaders.Builder edge = ResponseHeaders.builder();
      int count = 0;
      for (int i = 0, n = stripped.size(); i < n; i++) {
        if (b.edgeOnly.test(stripped.name(i))) {
          edge.add(stripped.name(i), stripped.value(i));
        } else {
          viewer.add(stripped.name(i), stripped.value(i));
          count++;
        }
      }
      ResponseHeaders e = edge.build();
      for (int i = 0, n = e.size(); i < n; i++) {
        viewer.add(e.name(i), e.value(i));
      }
      this.headers = count == stripped.size() ? stripped : viewer.build();
      this.viewerFieldCount = count;
    }
    ByteBuffer src = Objects.requireNonNull(b.body, "body");
    this.body = src.slice().asReadOnlyBuffer();
    this.storedAt = Objects.requireNonNull(b.storedAt, "storedAt");
    this.ttl = Objects.requireNonNull(b.ttl, "ttl");
    this.initialAge = Objects.requireNonNull(b.initialAge, "initialAge");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100..599, got " + status);
    }
    if (ttl.isNegative() || initialAge.isNegative()) {
      throw new IllegalArgumentException("ttl and initialAge must not be negative");
    }
    this.sizeBytes =
        body.remaining()
            + headers.sizeBytes()
            + (long) headers.size() * HEADER_LINE_OVERHEAD_BYTES
            + key.value().length()
            + path.length()
            + distributionId.length()
            + ENTRY_OVERHEAD_BYTES;
  }

  public static Builder builder() {
    return new Builder();
  }

  public CacheKey key() {
    return key;
  }

  /** The distribution it belongs to (invalidations are per distribution). */
  public String distributionId() {
    return distributionId;
  }

  /** The request path without query (invalidation patterns match this). */
  public String path() {
    return path;
  }

  public int status() {
    return status;
  }

  /**
   * The origin's headers without hop-by-hop fields. They still hold the origin's Age: the edge
   * replaces it with {@link Freshness#ageSeconds()} when serving.
   */
  public ResponseHeaders headers() {
    return headers;
  }

  /**
   * How many of {@link #headers()}' fields, from the first, go to viewers; the rest (targeted
   * cache-control fields, RFC 9213) are for this edge's decisions only.
   */
  public int viewerFieldCount() {
    return viewerFieldCount;
  }

  /** A new read-only view of the whole body (position 0, limit = length); the bytes are shared. */
  public ByteBuffer body() {
    return body.duplicate();
  }

  /** Body length in bytes. */
  public int bodyLength() {
    return body.remaining();
  }

  /** When the response was received from the origin (RFC 9111 response_time). */
  public Instant storedAt() {
    return storedAt;
  }

  /** Freshness lifetime from the storage decision. */
  public Duration ttl() {
    return ttl;
  }

  /** corrected_initial_age (RFC 9111 4.2.3) at {@link #storedAt()}. */
  public Duration initialAge() {
    return initialAge;
  }

  /**
   * Freshness at {@code now}; shorthand for {@link CacheDecisions#freshness(CachedResponse,
   * Instant)}.
   */
  public Freshness freshness(Instant now) {
    return CacheDecisions.freshness(this, now);
  }

  /**
   * What this entry is charged against the store's budget: body bytes, header characters plus
   * {@link #HEADER_LINE_OVERHEAD_BYTES} per line, key, path and distribution id characters, plus
   * {@link #ENTRY_OVERHEAD_BYTES}.
   */
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * This entry after a successful revalidation (RFC 9111 4.3.4): the same key, status and body
   * bytes (shared, not copied) with the updated headers and a new freshness.
   */
  public CachedResponse refreshed(
      ResponseHeaders newHeaders,
      java.util.function.Predicate<String> edgeOnly,
      Instant newStoredAt,
      Duration newTtl,
      Duration newInitialAge) {
    return builder()
        .edgeOnly(edgeOnly)
        .key(key)
        .distributionId(distributionId)
        .path(path)
        .status(status)
        .headers(newHeaders)
        .body(body())
        .storedAt(newStoredAt)
        .ttl(newTtl)
        .initialAge(newInitialAge)
        .build();
  }

  @Override
  public String toString() {
    return "CachedResponse{"
        + key
        + ", status="
        + status
        + ", body="
        + bodyLength()
        + " bytes, ttl="
        + ttl
        + ", storedAt="
        + storedAt
        + "}";
  }

  /** Collects the fields of a {@link CachedResponse}; every field is required. */
  public static final class Builder {
    private CacheKey key;
    private String distributionId;
    private String path;
    private int status;
    private ResponseHeaders headers;
    private ByteBuffer body;
    private Instant storedAt;
    private Duration ttl;
    private Duration initialAge = Duration.ZERO;
    private java.util.function.Predicate<String> edgeOnly;

    private Builder() {}

    /**
     * Fields (by name as received) kept for this edge's decisions but never sent to viewers, such
     * as CDN-Cache-Control; they are placed after the others ({@link #viewerFieldCount()}).
     */
    public Builder edgeOnly(java.util.function.Predicate<String> isEdgeOnly) {
      this.edgeOnly = isEdgeOnly;
      return this;
    }

    public Builder key(CacheKey key) {
      this.key = key;
      return this;
    }

    public Builder distributionId(String distributionId) {
      this.distributionId = distributionId;
      return this;
    }

    public Builder path(String path) {
      this.path = path;
      return this;
    }

    public Builder status(int status) {
      this.status = status;
      return this;
    }

    /** Hop-by-hop fields are removed by {@link #build()} in any case ({@link HopByHop#strip}). */
    public Builder headers(ResponseHeaders headers) {
      this.headers = headers;
      return this;
    }

    /**
     * The whole body, from {@link BodyAccumulator#finish()} (direct, read-only). Its remaining
     * bytes are taken; the buffer is not copied.
     */
    public Builder body(ByteBuffer body) {
      this.body = body;
      return this;
    }

    public Builder storedAt(Instant storedAt) {
      this.storedAt = storedAt;
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    /** Defaults to zero; the edge passes {@link CacheDecisions#initialAge}. */
    public Builder initialAge(Duration initialAge) {
      this.initialAge = initialAge;
      return this;
    }

    public CachedResponse build() {
      return new CachedResponse(this);
    }
  }
}
