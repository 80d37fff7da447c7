package io.bulwark.config;

/** What a behavior does with a plain-HTTP viewer request. */
public enum ViewerProtocolPolicy {
  ALLOW_ALL,
  /** 301 to the https URL for GET/HEAD, as CloudFront does. */
  REDIRECT_TO_HTTPS,
  /** 403 for plain HTTP. */
  HTTPS_ONLY
}
