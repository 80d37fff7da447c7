package io.bulwark.config.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations and byte sizes as written in the configuration file.
 *
 * <p>Durations: a whole number followed by {@code ms}, {@code s}, {@code m}, {@code h} or {@code
 * d}; a bare whole number is seconds. Sizes: a whole number of bytes, optionally followed by {@code
 * B}, {@code KB}/{@code MB}/{@code GB} (powers of 1000) or {@code KiB}/{@code MiB}/{@code GiB}
 * (powers of 1024); units are case-insensitive. Fractions and negative values are refused rather
 * than rounded, so a value never means something other than what it says.
 */
public final class Units {
  /** Shown in every "not a duration" problem. */
  public static final String DURATION_FORMS =
      "a whole number with a unit: 500ms, 10s, 5m, 1h or 1d; a bare number means seconds";

  /** Shown in every "not a size" problem. */
  public static final String SIZE_FORMS =
      "a whole number of bytes, optionally with a unit: 512, 64KB, 10MB, 1GB in powers of 1000,"
          + " or 8KiB, 10MiB, 1GiB in powers of 1024";

  private static final Pattern DURATION = Pattern.compile("(\\d{1,18})\\s*(ms|s|m|h|d)?");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([kmg]i?b|b)?");

  private Units() {}

  /** The duration {@code text} denotes, or null when it is not one of the accepted forms. */
  public static Duration parseDuration(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    try {
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> throw new IllegalStateException(unit);
      };
    } catch (ArithmeticException tooLarge) {
      return null;
    }
  }

  /** The byte count {@code text} denotes, or -1 when it is not one of the accepted forms. */
  public static long parseSize(String text) {
    if (text == null) {
      return -1;
    }
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return -1;
    }
    long multiplier =
        switch (m.group(2) == null ? "b" : m.group(2)) {
          case "b" -> 1L;
          case "kb" -> 1000L;
          case "mb" -> 1000L * 1000;
          case "gb" -> 1000L * 1000 * 1000;
          case "kib" -> 1024L;
          case "mib" -> 1024L * 1024;
          case "gib" -> 1024L * 1024 * 1024;
          default -> throw new IllegalStateException(m.group(2));
        };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      return -1;
    }
  }

  /** The shortest exact form: 500ms, 10s, 5m, 1h, 1d. */
  public static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }

  /** The shortest exact form in binary units: 10MiB, 8KiB, or plain bytes. */
  public static String formatSize(long bytes) {
    if (bytes != 0 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    if (bytes != 0 && bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes != 0 && bytes % (1L << 10) == 0) {
      return (bytes >> 10) + "KiB";
    }
    return bytes + "B";
  }
}
