package io.bulwark.cache;

import static io.bulwark.cache.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.CachePolicy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Targeted cache-control fields (RFC 9213) and fields a response bars from storage. */
class TargetedFieldsTest {
  static final CachePolicy OWN = policy().targeted("bulwark-cache-control").build();

  @Test
  void targetedFieldsAreRecognisedInAnyCaseRfc9213Section2() {
    assertThat(CacheDecisions.isTargetedField(OWN, "CDN-Cache-Control")).isTrue();
    assertThat(CacheDecisions.isTargetedField(OWN, "Bulwark-Cache-Control")).isTrue();
    assertThat(CacheDecisions.isTargetedField(OWN, "Cache-Control")).isFalse();
    assertThat(CacheDecisions.isTargetedField(policy().build(), "Bulwark-Cache-Control")).isFalse();
  }

  @Test
  void onlyThePolicysOwnFieldIsKeptFromViewersRfc9213Section3() {
    // CDN-Cache-Control targets every CDN, including one in front of this edge: it is forwarded.
    assertThat(CacheDecisions.isEdgeOnlyField(OWN, "CDN-Cache-Control")).isFalse();
    assertThat(CacheDecisions.isEdgeOnlyField(OWN, "BULWARK-CACHE-CONTROL")).isTrue();
    assertThat(CacheDecisions.isEdgeOnlyField(policy().build(), "Bulwark-Cache-Control")).isFalse();
  }

  @Test
  void effectiveDirectivesComeFromTheMostSpecificFieldRfc9213Section2_2() {
    ResponseHeaders h =
        ResponseHeaders.of(
            "Cache-Control", "max-age=1", "CDN-Cache-Control", "max-age=2, stale-if-error=9");
    assertThat(CacheDecisions.effectiveCacheControl(OWN, h).maxAge()).hasValue(2);
    assertThat(
            CacheDecisions.effectiveCacheControl(
                    OWN, ResponseHeaders.of("Cache-Control", "max-age=1"))
                .maxAge())
        .hasValue(1);
  }

  @Test
  void qualifiedPrivateAndNoCacheFieldsAreNotStoredRfc9111Section5_2_2() {
    ResponseHeaders h =
        ResponseHeaders.of("Cache-Control", "private=\"X-A\", no-cache=\"x-b, X-C\", max-age=5");
    assertThat(CacheDecisions.fieldsNotStored(policy().build(), h))
        .containsExactly("x-a", "x-b", "x-c");
    assertThat(
            CacheDecisions.fieldsNotStored(
                policy().build(), ResponseHeaders.of("Cache-Control", "no-cache")))
        .isEmpty();
  }

  @Test
  void edgeOnlyFieldsGoLastAndAreNotCountedForViewers() {
    CachedResponse e =
        CachedResponse.builder()
            .key(CacheKey.of("k"))
            .distributionId("d")
            .path("/")
            .status(200)
            .headers(
                ResponseHeaders.of(
                    "CDN-Cache-Control",
                    "max-age=9",
                    "Content-Type",
                    "text/plain",
                    "ETag",
                    "\"a\""))
            .edgeOnly(n -> CacheDecisions.isTargetedField(OWN, n))
            .body(ByteBuffer.allocate(0))
            .storedAt(Instant.EPOCH)
            .ttl(Duration.ofSeconds(9))
            .build();
    assertThat(e.viewerFieldCount()).isEqualTo(2);
    assertThat(e.headers().name(0)).isEqualTo("Content-Type");
    assertThat(e.headers().name(2)).isEqualTo("CDN-Cache-Control");
  }
}
