package io.bulwark.waf;

/** What a rule, or a web ACL's default, does with a request it matches (AWS WAF rule actions). */
public enum Action {
  /** Let the request through and stop evaluating. */
  ALLOW,
  /** Answer with 403 or the rule's custom response and stop evaluating. */
  BLOCK,
  /** Record the match, add the rule's labels and keep evaluating. */
  COUNT,
  /**
   * Without a valid challenge token: answer with the proof-of-work interstitial and stop. With one:
   * behave like {@link #COUNT}.
   */
  CHALLENGE,
  /** A puzzle a person solves. Not built: refused when a configuration uses it. */
  CAPTCHA
}
