package io.bulwark.cache;

import java.util.List;

/**
 * The request headers as the cache key reads them. The edge implements this over its own header
 * object (Netty's {@code HttpHeaders} is case-insensitive already), so no Netty type enters this
 * module.
 */
public interface HeaderSource {
  /** The first value of the header, or null when absent. */
  String get(String lowerCaseName);

  /** Every value of the header, one per field line, in the order received; empty when absent. */
  List<String> getAll(String lowerCaseName);

  /**
   * The distinct header names present, in any case (the key lower-cases them). Only read when a
   * policy takes all headers or all except some, which is rare and never on a well-tuned path.
   */
  Iterable<String> names();
}
