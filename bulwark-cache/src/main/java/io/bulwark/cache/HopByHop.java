package io.bulwark.cache;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Removes hop-by-hop header fields, which describe one connection and must be neither stored nor
 * forwarded (RFC 9110 7.6.1; RFC 9111 3.1: a cache "MUST NOT store ... the Connection header field
 * and the fields whose names it lists"). Forwarding them lets an origin steer the viewer's
 * connection (Upgrade, Transfer-Encoding), which is how response-splitting and smuggling bugs
 * start.
 */
public final class HopByHop {
  private static final Set<String> FIXED =
      Set.of("connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade");

  private HopByHop() {}

  /**
   * Whether a (lower-case) field name is always hop-by-hop: Connection, Keep-Alive, TE, Trailer,
   * Transfer-Encoding, Upgrade and every {@code Proxy-*} field (Proxy-Connection,
   * Proxy-Authenticate, Proxy-Authorization).
   */
  public static boolean isHopByHop(String lowerCaseName) {
    return FIXED.contains(lowerCaseName) || lowerCaseName.startsWith("proxy-");
  }

  /**
   * The headers without the fixed hop-by-hop fields and without every field named in a Connection
   * header (comma-separated tokens, case-insensitive). Returns the same instance when nothing is
   * removed. Pure.
   */
  public static ResponseHeaders strip(ResponseHeaders headers) {
    Set<String> named = null;
    for (String connection : headers.getAll("connection")) {
      for (String token : connection.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          if (named == null) {
            named = new HashSet<>();
          }
          named.add(t);
        }
      }
    }
    Set<String> alsoDrop = named == null ? Set.of() : named;
    return headers.without(name -> isHopByHop(name) || alsoDrop.contains(name));
  }
}
