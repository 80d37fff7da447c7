package io.bulwark.edge;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes access-log records as JSON lines on its own thread, so an event loop never waits for a
 * disk. The queue is bounded ({@value #QUEUE_CAPACITY} records): when the writer cannot keep up,
 * records are dropped and counted ({@link #dropped()}) rather than growing the heap or slowing
 * requests.
 */
public final class AccessLogWriter implements AccessLogSink, AutoCloseable {
  static final int QUEUE_CAPACITY = 65_536;
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final BufferedWriter out;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;

  private AccessLogWriter(OutputStream stream) {
    this.out =
        new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
    this.thread = new Thread(this::drain, "bulwark-access-log");
    thread.setDaemon(true);
    thread.start();
  }

  public static AccessLogWriter toStdout() {
    return new AccessLogWriter(System.out);
  }

  public static AccessLogWriter toFile(Path file) throws IOException {
    return new AccessLogWriter(
        Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
  }

  @Override
  public void accept(AccessLogRecord r) {
    if (closed || !queue.offer(r)) {
      dropped.incrementAndGet();
    }
  }

  @Override
  public void waf(WafSamples.Sample s) {
    if (closed || !queue.offer(s)) {
      dropped.incrementAndGet();
    }
  }

  public long dropped() {
    return dropped.get();
  }

  private void drain() {
    List<Object> batch = new ArrayList<>(256);
    StringBuilder sb = new StringBuilder(512);
    try {
      while (!closed || !queue.isEmpty()) {
        Object first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 255);
        for (Object o : batch) {
          sb.setLength(0);
          if (o instanceof AccessLogRecord r) {
            format(r, sb);
          } else if (o instanceof WafSamples.Sample s) {
            formatWaf(s, sb);
          }
          out.write(sb.toString());
        }
        batch.clear();
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      System.err.println("bulwark: access log write failed, logging stops: " + e);
    }
  }

  /** One JSON line with CloudFront's standard log field names. */
  public static void format(AccessLogRecord r, StringBuilder sb) {
    sb.append("{\"date\":\"").append(DATE.format(r.time()));
    sb.append("\",\"time\":\"").append(TIME.format(r.time()));
    sb.append("\",\"c-ip\":");
    str(sb, r.clientIp());
    sb.append(",\"cs-method\":");
    str(sb, r.method());
    sb.append(",\"cs-host\":");
    str(sb, r.host());
    sb.append(",\"cs-uri-stem\":");
    str(sb, r.uri());
    sb.append(",\"cs-uri-query\":");
    str(sb, r.query());
    sb.append(",\"sc-status\":").append(r.status());
    sb.append(",\"sc-bytes\":").append(r.bytesOut());
    sb.append(",\"time-taken\":").append(r.timeTakenMillis() / 1000.0);
    sb.append(",\"x-edge-result-type\":");
    str(sb, r.edgeResultType());
    sb.append(",\"x-edge-detailed-result-type\":");
    str(sb, r.detailedResultType());
    sb.append(",\"x-cache\":");
    str(sb, r.edgeResultType() + " from bulwark");
    sb.append(",\"distribution\":");
    str(sb, r.distribution());
    sb.append(",\"origin\":");
    str(sb, r.origin());
    sb.append(",\"failovers\":").append(r.failovers());
    sb.append(",\"cs-protocol\":");
    str(sb, r.protocol());
    sb.append("}\n");
  }

  /**
   * One WAF log line: a web ACL decision other than the default allow. Only the request line, host
   * and client are logged; headers (cookies, authorization) never are.
   */
  public static void formatWaf(WafSamples.Sample s, StringBuilder sb) {
    sb.append("{\"log\":\"waf\",\"timestamp\":\"").append(s.time());
    sb.append("\",\"web-acl\":");
    str(sb, s.webAcl());
    sb.append(",\"terminating-rule\":");
    str(sb, s.rule());
    sb.append(",\"action\":");
    str(sb, s.action());
    sb.append(",\"c-ip\":");
    str(sb, s.clientIp());
    sb.append(",\"cs-method\":");
    str(sb, s.method());
    sb.append(",\"cs-host\":");
    str(sb, s.host());
    sb.append(",\"cs-uri\":");
    str(sb, s.uri());
    sb.append(",\"labels\":[");
    for (int i = 0; i < s.labels().size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      str(sb, s.labels().get(i));
    }
    sb.append("]}\n");
  }

  private static void str(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(2000);
      out.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // closing: nothing more to do
    }
  }
}
