package dev.background;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations is the duration syntax of the JSON configuration: "500ms", "30s", "5m", "1h", "2d",
 * ISO-8601 "PT30S", or a bare number of milliseconds. {@link #parse(String, Object)} reads it,
 * {@link #format(Duration)} writes it, and {@link #toMillis(Duration)} and
 * {@link #toNanos(Duration)} convert durations too long for a {@code long} without overflow.
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {
  }

  /**
   * Reads a duration given as a string ("500ms", "30s", "5m", "1h", "2d", ISO-8601 "PT30S") or as a
   * whole number of milliseconds.
   *
   * @param field the key, named in the error message
   * @param value the JSON value
   * @return the duration, never negative
   * @throws ConfigException at {@code field} for anything else, including negative values
   */
  public static Duration parse(String field, Object value) {
    Duration d;
    if (value instanceof Number) {
      double ms = ((Number) value).doubleValue();
      if (ms != Math.rint(ms)) {
        throw invalid(field, value);
      }
      d = Duration.ofMillis(((Number) value).longValue());
    } else if (value instanceof String) {
      d = parseString(field, ((String) value).trim());
    } else {
      throw invalid(field, value);
    }
    if (d.isNegative()) {
      throw new ConfigException(field, "must be >= 0, was " + JsonConfig.describe(value));
    }
    return d;
  }

  private static Duration parseString(String field, String s) {
    Matcher m = SHORT.matcher(s);
    if (m.matches()) {
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw invalid(field, s);
      }
      try {
        switch (m.group(2)) {
          case "ms": return Duration.ofMillis(n);
          case "s": return Duration.ofSeconds(n);
          case "m": return Duration.ofMinutes(n);
          case "h": return Duration.ofHours(n);
          default: return Duration.ofDays(n);
        }
      } catch (ArithmeticException e) {
        throw new ConfigException(field, "out of range, was " + JsonConfig.describe(s));
      }
    }
    if (s.startsWith("P") || s.startsWith("p") || s.startsWith("-P")) {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw invalid(field, s);
      }
    }
    throw invalid(field, s);
  }

  private static ConfigException invalid(String field, Object value) {
    return new ConfigException(field, "must be a duration such as \"500ms\", \"30s\", "
        + "\"5m\" or \"PT30S\", was " + JsonConfig.describe(value));
  }

  /**
   * The shortest exact form: "5m", "30s" or "250ms"; ISO-8601 ("PT0.0005S") for a duration that is
   * not a whole number of milliseconds or does not fit in a long of them. {@link #parse} reads
   * every form back to the same duration.
   *
   * @param d a duration
   * @return its configuration form
   */
  public static String format(Duration d) {
    if (d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    long ms;
    try {
      ms = d.toMillis();
    } catch (ArithmeticException e) {
      return d.toString();
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms != 0 && ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  /**
   * {@code d} in whole milliseconds like {@link Duration#toMillis()}, but saturated at
   * {@link Long#MAX_VALUE} (or {@link Long#MIN_VALUE}) instead of throwing
   * {@link ArithmeticException}: a delay of {@code ChronoUnit.FOREVER.getDuration()} is
   * {@code Long.MAX_VALUE} ms, some 292 million years.
   *
   * @param d a duration
   * @return its whole milliseconds, saturated
   */
  public static long toMillis(Duration d) {
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * {@code d} in nanoseconds, saturated like {@link #toMillis(Duration)}.
   *
   * @param d a duration
   * @return its nanoseconds, saturated
   */
  public static long toNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
