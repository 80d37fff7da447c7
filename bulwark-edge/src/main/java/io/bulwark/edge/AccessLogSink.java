package io.bulwark.edge;

/**
 * Where access-log records go. Called on an event loop: implementations must not block (the file
 * writer queues and writes on its own thread).
 */
public interface AccessLogSink {
  void accept(AccessLogRecord record);

  /** A web ACL decision other than the default allow (the WAF log); ignored unless overridden. */
  default void waf(WafSamples.Sample sample) {}

  /** A sink that drops everything, for {@code access-log: off}. */
  AccessLogSink OFF = record -> {};
}
