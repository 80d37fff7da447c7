package io.bulwark.edge.internal;

import io.bulwark.edge.EdgeServices;

/**
 * State that outlives config reloads: the origin connection pools, in-flight cache fills and
 * metrics. One per edge server.
 */
public final class EdgeShared {
  final OriginPool pool;
  final Collapser collapser = new Collapser();
  final EdgeMetrics metrics;
  private volatile int httpsPort = -1;

  /** The bound HTTPS port, for redirects; -1 when there is no HTTPS listener. */
  public int httpsPort() {
    return httpsPort;
  }

  public void httpsPort(int port) {
    this.httpsPort = port;
  }

  public EdgeShared(Transport transport, EdgeServices services) {
    this.pool = new OriginPool(transport);
    this.metrics = new EdgeMetrics(services.meters());
  }

  public EdgeMetrics metrics() {
    return metrics;
  }

  public OriginPool pool() {
    return pool;
  }
}
