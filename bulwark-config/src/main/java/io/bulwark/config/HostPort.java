package io.bulwark.config;

/** A listen or connect address; port 0 means "an ephemeral port chosen at bind time". */
public record HostPort(String host, int port) {
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
