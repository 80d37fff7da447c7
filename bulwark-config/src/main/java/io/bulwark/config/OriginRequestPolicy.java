package io.bulwark.config;

/**
 * What is forwarded to the origin beyond the cache key, without fragmenting the cache. With no
 * origin request policy a behavior forwards only what its cache key contains, as CloudFront does.
 *
 * @param id unique id (managed: AllViewer, AllViewerExceptHostHeader, CORS-CustomOrigin,
 *     UserAgentRefererHeaders)
 * @param headers viewer headers forwarded (ALL means all viewer headers; names lower-cased)
 * @param cookies cookies forwarded
 * @param queryStrings query string parameters forwarded
 */
public record OriginRequestPolicy(
    String id, KeyFields headers, KeyFields cookies, KeyFields queryStrings) {}
