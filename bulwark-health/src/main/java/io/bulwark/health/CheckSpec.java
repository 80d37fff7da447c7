package io.bulwark.health;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A named health check, frozen. Field names follow Route 53's {@code HealthCheckConfig}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>range</th></tr>
 *   <tr><td>requestInterval</td><td>30 s</td><td>any whole number of seconds ≥ 1</td></tr>
 *   <tr><td>failureThreshold</td><td>3</td><td>1-10 consecutive results, both ways</td></tr>
 *   <tr><td>timeout</td><td>4 s, at most the interval</td><td>&gt; 0</td></tr>
 *   <tr><td>statusMin..statusMax</td><td>200..399</td><td>100..599</td></tr>
 *   <tr><td>resourcePath</td><td>/</td><td>starts with /</td></tr>
 *   <tr><td>enableSni</td><td>true</td><td></td></tr>
 *   <tr><td>verifyCertificate</td><td>false (Route 53 does not verify)</td><td></td></tr>
 *   <tr><td>checkers</td><td>3</td><td>1-16 local probers</td></tr>
 *   <tr><td>healthyShare</td><td>0.18</td><td>[0, 1): healthy when more than this share of
 *       checkers say so</td></tr>
 *   <tr><td>healthThreshold</td><td>number of children</td><td>0..children (calculated)</td></tr>
 * </table>
 *
 * @param host the name sent as Host and as SNI; also the address to connect to unless {@code
 *     address} is set
 * @param address an IP address to connect to instead of resolving {@code host}, or null
 */
public record CheckSpec(
    String id,
    CheckType type,
    String host,
    String address,
    int port,
    String resourcePath,
    String searchString,
    Duration requestInterval,
    int failureThreshold,
    Duration timeout,
    int statusMin,
    int statusMax,
    boolean enableSni,
    boolean verifyCertificate,
    boolean measureLatency,
    boolean inverted,
    boolean disabled,
    int checkers,
    double healthyShare,
    List<String> children,
    int healthThreshold) {

  /** Route 53 reads at most this many bytes of the body when looking for the search string. */
  public static final int STRING_MATCH_LIMIT = 5_120;

  public CheckSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    children = List.copyOf(children);
    if (requestInterval.isNegative()
        || requestInterval.isZero()
        || requestInterval.toNanos() % 1_000_000_000L != 0) {
      throw new IllegalArgumentException(
          "check " + id + ": request interval must be a whole number of seconds >= 1");
    }
    if (failureThreshold < 1 || failureThreshold > 10) {
      throw new IllegalArgumentException(
          "check " + id + ": failure threshold must be 1-10, got " + failureThreshold);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("check " + id + ": timeout must be positive");
    }
    if (checkers < 1 || checkers > 16) {
      throw new IllegalArgumentException("check " + id + ": checkers must be 1-16");
    }
    if (!(healthyShare >= 0 && healthyShare < 1)) {
      throw new IllegalArgumentException("check " + id + ": healthy share must be in [0, 1)");
    }
    if (statusMin < 100 || statusMax > 599 || statusMin > statusMax) {
      throw new IllegalArgumentException("check " + id + ": bad status range");
    }
    if (type == CheckType.CALCULATED) {
      if (healthThreshold < 0 || healthThreshold > children.size()) {
        throw new IllegalArgumentException(
            "check " + id + ": health threshold must be 0.." + children.size());
      }
    } else {
      if (host == null && address == null) {
        throw new IllegalArgumentException("check " + id + ": needs a host or an address");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("check " + id + ": port must be 1-65535");
      }
    }
    if (type.matchesString() && (searchString == null || searchString.isEmpty())) {
      throw new IllegalArgumentException("check " + id + ": string match needs a search string");
    }
  }

  /** The address to connect to: {@link #address} when set, else {@link #host}. */
  public String connectTo() {
    return address != null ? address : host;
  }

  public static Builder builder(String id, CheckType type) {
    return new Builder(id, type);
  }

  /** Defaults as in the class table; {@link #build()} validates. */
  public static final class Builder {
    private final String id;
    private final CheckType type;
    private String host;
    private String address;
    private int port = -1;
    private String resourcePath = "/";
    private String searchString;
    private Duration requestInterval = Duration.ofSeconds(30);
    private int failureThreshold = 3;
    private Duration timeout;
    private int statusMin = 200;
    private int statusMax = 399;
    private boolean enableSni = true;
    private boolean verifyCertificate;
    private boolean measureLatency;
    private boolean inverted;
    private boolean disabled;
    private int checkers = 3;
    private double healthyShare = 0.18;
    private List<String> children = List.of();
    private int healthThreshold = -1;

    private Builder(String id, CheckType type) {
      this.id = id;
      this.type = type;
    }

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder address(String v) {
      address = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder resourcePath(String v) {
      resourcePath = v;
      return this;
    }

    public Builder searchString(String v) {
      searchString = v;
      return this;
    }

    public Builder requestInterval(Duration v) {
      requestInterval = v;
      return this;
    }

    public Builder failureThreshold(int v) {
      failureThreshold = v;
      return this;
    }

    public Builder timeout(Duration v) {
      timeout = v;
      return this;
    }

    public Builder statusRange(int min, int max) {
      statusMin = min;
      statusMax = max;
      return this;
    }

    public Builder enableSni(boolean v) {
      enableSni = v;
      return this;
    }

    public Builder verifyCertificate(boolean v) {
      verifyCertificate = v;
      return this;
    }

    public Builder measureLatency(boolean v) {
      measureLatency = v;
      return this;
    }

    public Builder inverted(boolean v) {
      inverted = v;
      return this;
    }

    public Builder disabled(boolean v) {
      disabled = v;
      return this;
    }

    public Builder checkers(int v) {
      checkers = v;
      return this;
    }

    public Builder healthyShare(double v) {
      healthyShare = v;
      return this;
    }

    public Builder children(List<String> v) {
      children = v;
      return this;
    }

    public Builder healthThreshold(int v) {
      healthThreshold = v;
      return this;
    }

    public CheckSpec build() {
      int p = port;
      if (p < 0) {
        p = type.isTls() ? 443 : 80;
      }
      Duration t = timeout;
      if (t == null) {
        t =
            Duration.ofSeconds(4).compareTo(requestInterval) < 0
                ? Duration.ofSeconds(4)
                : requestInterval;
      }
      int ht = healthThreshold < 0 ? children.size() : healthThreshold;
      return new CheckSpec(
          id,
          type,
          host,
          address,
          p,
          resourcePath,
          searchString,
          requestInterval,
          failureThreshold,
          t,
          statusMin,
          statusMax,
          enableSni,
          verifyCertificate,
          measureLatency,
          inverted,
          disabled,
          checkers,
          healthyShare,
          children,
          ht);
    }
  }
}
