package io.bulwark.waf;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What web ACLs are built with besides their configuration: the rate counter store, the geo
 * database, the challenge token service, and the directory that relative list-file paths start
 * from.
 *
 * @param rates shared by all web ACLs (keys are prefixed with the ACL and rule names)
 * @param geo null when no geo database is configured: a GeoMatch statement is then refused
 * @param challenge signs and checks challenge tokens
 * @param baseDirectory relative {@code ip-list-file} paths resolve against it
 */
public record WafEnvironment(
    RateCounterStore rates, GeoResolver geo, ChallengeService challenge, Path baseDirectory) {
  public WafEnvironment {
    Objects.requireNonNull(rates, "rates");
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(baseDirectory, "baseDirectory");
  }

  /**
   * In-memory counters with {@link InMemoryRateCounterStore#DEFAULT_MAX_KEYS}, no geo database, a
   * random challenge secret, list files relative to the working directory.
   */
  public static WafEnvironment defaults() {
    return new WafEnvironment(
        new InMemoryRateCounterStore(), null, ChallengeService.withRandomSecret(), Path.of("."));
  }

  public WafEnvironment withGeo(GeoResolver geo) {
    return new WafEnvironment(rates, geo, challenge, baseDirectory);
  }

  public WafEnvironment withRates(RateCounterStore rates) {
    return new WafEnvironment(rates, geo, challenge, baseDirectory);
  }

  public WafEnvironment withChallenge(ChallengeService challenge) {
    return new WafEnvironment(rates, geo, challenge, baseDirectory);
  }

  public WafEnvironment withBaseDirectory(Path baseDirectory) {
    return new WafEnvironment(rates, geo, challenge, baseDirectory);
  }
}
