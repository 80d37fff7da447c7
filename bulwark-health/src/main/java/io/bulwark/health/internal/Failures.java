package io.bulwark.health.internal;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Names a probe failure with the short reasons the admin API shows. */
final class Failures {
  private Failures() {}

  static String reason(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && !(c instanceof SSLException)) {
      if (c instanceof ConnectException || c instanceof UnknownHostException) {
        break;
      }
      c = c.getCause();
    }
    String msg = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
    if (c instanceof ConnectTimeoutException) {
      return "timeout";
    }
    if (c instanceof UnknownHostException) {
      return "unknown host";
    }
    if (c instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (msg.contains("refused")) {
      return "connection refused";
    }
    if (c instanceof SSLException) {
      return "tls handshake failed";
    }
    if (msg.contains("reset")) {
      return "connection reset";
    }
    if (c instanceof ConnectException) {
      return "connection failed";
    }
    return "error: " + c.getClass().getSimpleName();
  }
}
