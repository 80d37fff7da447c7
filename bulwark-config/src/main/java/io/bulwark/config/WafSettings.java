package io.bulwark.config;

/**
 * Process-wide web application firewall settings (the {@code waf} section); the web ACLs themselves
 * ({@code web-acls}) are read by bulwark-waf.
 *
 * @param challengeSecret the key that signs challenge puzzles and tokens, or null: then each
 *     process makes a random one at start, so tokens do not survive a restart and one node does not
 *     accept another's. At least {@value #MIN_CHALLENGE_SECRET_BYTES} bytes (UTF-8).
 */
public record WafSettings(Secret challengeSecret) {
  /** No {@code waf} section: a random challenge secret per process. */
  public static final WafSettings DEFAULTS = new WafSettings(null);

  /** The shortest challenge secret accepted: 256 bits, the HMAC-SHA256 key size. */
  public static final int MIN_CHALLENGE_SECRET_BYTES = 32;
}
