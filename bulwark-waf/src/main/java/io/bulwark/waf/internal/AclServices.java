package io.bulwark.waf.internal;

import io.bulwark.waf.ChallengeService;
import io.bulwark.waf.GeoResolver;
import io.bulwark.waf.RateCounterStore;

/** What a web ACL's statements need beyond the request: counters, geo lookup, challenge tokens. */
public record AclServices(RateCounterStore rates, GeoResolver geo, ChallengeService challenge) {}
