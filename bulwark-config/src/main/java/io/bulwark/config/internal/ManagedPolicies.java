package io.bulwark.config.internal;

import io.bulwark.config.CachePolicy;
import io.bulwark.config.KeyFields;
import io.bulwark.config.OriginRequestPolicy;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CloudFront's managed cache and origin request policies (seed 002 section 2), which exist in every
 * configuration without being declared and can be named by name or by CloudFront's well-known ID,
 * so a distribution config exported from CloudFront reads unchanged.
 *
 * <p>One deliberate difference: CloudFront caches no-store/private responses for MinTTL when it is
 * above 0 (CachingOptimized has MinTTL 1 s); here the managed policies honour no-store and private
 * ({@code cachePrivateAtMinTtl} false), because serving one viewer's private response to another is
 * worse than one more origin request.
 */
public final class ManagedPolicies {
  private static final Duration DAY = Duration.ofSeconds(86_400);
  private static final Duration YEAR = Duration.ofSeconds(31_536_000);

  /** By name, in CloudFront's documentation order. */
  public static final Map<String, CachePolicy> CACHE_POLICIES;

  /** By name. */
  public static final Map<String, OriginRequestPolicy> ORIGIN_REQUEST_POLICIES;

  /** CloudFront's ID of each managed policy, to its name. */
  public static final Map<String, String> NAME_BY_ID;

  static {
    Map<String, CachePolicy> cp = new LinkedHashMap<>();
    Map<String, String> ids = new LinkedHashMap<>();
    cache(
        cp,
        ids,
        "658327ea-f89d-4fab-a63d-7e88639e58f6",
        new CachePolicy(
            "CachingOptimized",
            Duration.ofSeconds(1),
            DAY,
            YEAR,
            KeyFields.NONE,
            KeyFields.NONE,
            KeyFields.NONE,
            true,
            true,
            false));
    cache(
        cp,
        ids,
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d",
        new CachePolicy(
            "CachingOptimizedForUncompressedObjects",
            Duration.ofSeconds(1),
            DAY,
            YEAR,
            KeyFields.NONE,
            KeyFields.NONE,
            KeyFields.NONE,
            false,
            false,
            false));
    cache(
        cp,
        ids,
        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
        new CachePolicy(
            "CachingDisabled",
            Duration.ZERO,
            Duration.ZERO,
            Duration.ZERO,
            KeyFields.NONE,
            KeyFields.NONE,
            KeyFields.NONE,
            false,
            false,
            false));
    CACHE_POLICIES = Collections.unmodifiableMap(cp);

    Map<String, OriginRequestPolicy> orp = new LinkedHashMap<>();
    origin(
        orp,
        ids,
        "216adef6-5c7f-47e4-b989-5492eb8d9882",
        new OriginRequestPolicy("AllViewer", KeyFields.ALL, KeyFields.ALL, KeyFields.ALL));
    origin(
        orp,
        ids,
        "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        new OriginRequestPolicy(
            "AllViewerExceptHostHeader",
            new KeyFields(KeyFields.Behavior.ALL_EXCEPT, List.of("host")),
            KeyFields.ALL,
            KeyFields.ALL));
    origin(
        orp,
        ids,
        "59781a5b-3903-41f3-afcb-af62929ccde1",
        new OriginRequestPolicy(
            "CORS-CustomOrigin", whitelist("origin"), KeyFields.NONE, KeyFields.NONE));
    origin(
        orp,
        ids,
        "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf",
        new OriginRequestPolicy(
            "CORS-S3Origin",
            whitelist("origin", "access-control-request-headers", "access-control-request-method"),
            KeyFields.NONE,
            KeyFields.NONE));
    origin(
        orp,
        ids,
        "acba4595-bd28-49b8-b9fe-13317c0390fa",
        new OriginRequestPolicy(
            "UserAgentRefererHeaders",
            whitelist("user-agent", "referer"),
            KeyFields.NONE,
            KeyFields.NONE));
    ORIGIN_REQUEST_POLICIES = Collections.unmodifiableMap(orp);
    NAME_BY_ID = Collections.unmodifiableMap(ids);
  }

  private ManagedPolicies() {}

  /** Whether {@code id} is a managed policy's name or ID (of either kind), ignoring case. */
  public static boolean isReserved(String id) {
    for (String name : CACHE_POLICIES.keySet()) {
      if (name.equalsIgnoreCase(id)) {
        return true;
      }
    }
    for (String name : ORIGIN_REQUEST_POLICIES.keySet()) {
      if (name.equalsIgnoreCase(id)) {
        return true;
      }
    }
    return NAME_BY_ID.containsKey(id.toLowerCase(Locale.ROOT));
  }

  private static KeyFields whitelist(String... names) {
    return new KeyFields(KeyFields.Behavior.WHITELIST, List.of(names));
  }

  private static void cache(
      Map<String, CachePolicy> into, Map<String, String> ids, String id, CachePolicy p) {
    into.put(p.id(), p);
    ids.put(id, p.id());
  }

  private static void origin(
      Map<String, OriginRequestPolicy> into,
      Map<String, String> ids,
      String id,
      OriginRequestPolicy p) {
    into.put(p.id(), p);
    ids.put(id, p.id());
  }
}
