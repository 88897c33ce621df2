package dev.background.impl;

import dev.background.PermanentFailure;
import dev.background.RetryAfter;
import dev.background.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.util.Arrays;

/**
 * Where the engine touches a user's {@link Throwable}: to log it, and to find the failure a
 * {@link PermanentFailure} or {@link RetryAfter} reports. Rendering a throwable runs user code
 * (its {@code toString()}, {@code getMessage()}, {@code getCause()}), which may throw anything, an
 * {@code Error} included; here that is contained: a failure that cannot be printed is logged by
 * its class name, and nothing thrown while rendering one reaches the caller.
 */
final class FailureLog {

  private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

  private FailureLog() {
  }

  /** Logs {@code format} with {@code args} at WARN, then {@code failure}'s stack; never throws. */
  static void warn(Throwable failure, String format, Object... args) {
    log(Level.WARN, failure, format, args);
  }

  /** Logs {@code format} with {@code args} at ERROR, then {@code failure}'s stack; never throws. */
  static void error(Throwable failure, String format, Object... args) {
    log(Level.ERROR, failure, format, args);
  }

  /** Whether a line at {@code level} would be printed. */
  static boolean enabled(Level level) {
    return LOG.isEnabledForLevel(level);
  }

  /**
   * Logs {@code format} with {@code args} at {@code level}, then {@code failure}'s stack when it
   * is not null (an argument rendered in the line, such as a {@link #summary}, prints none);
   * never throws.
   */
  static void log(Level level, Throwable failure, String format, Object... args) {
    Object[] withFailure = args;
    if (failure != null) {
      withFailure = Arrays.copyOf(args, args.length + 1);
      withFailure[args.length] = failure;
    }
    try {
      print(level, format, withFailure);
    } catch (Throwable unprintable) {
      Object[] named = Arrays.copyOf(args, args.length + 2);
      named[args.length] = failure == null ? null : failure.getClass().getName();
      named[args.length + 1] = unprintable.getClass().getName();
      try {
        print(level, format + " [a {} that cannot be printed: {} thrown while printing it]", named);
      } catch (Throwable loggerFailed) {
        // The logger itself fails: nothing is left to tell.
      }
    }
  }

  private static void print(Level level, String format, Object[] args) {
    switch (level) {
      case ERROR:
        LOG.error(format, args);
        break;
      case WARN:
        LOG.warn(format, args);
        break;
      case INFO:
        LOG.info(format, args);
        break;
      case DEBUG:
        LOG.debug(format, args);
        break;
      default:
        LOG.trace(format, args);
        break;
    }
  }

  /**
   * {@code failure}'s {@code toString()} (its class and message) cut to {@code limit} characters,
   * or its class name when that throws; never throws.
   */
  static String summary(Throwable failure, int limit) {
    String text;
    try {
      text = String.valueOf(failure);
    } catch (Throwable unprintable) {
      text = failure.getClass().getName() + " (that cannot be printed: "
          + unprintable.getClass().getName() + ")";
    }
    return text.length() <= limit ? text : text.substring(0, limit) + "...";
  }

  /**
   * The failure to report for a run that ended with {@code error}: a {@link PermanentFailure}'s
   * cause, a {@link RetryAfter}'s cause when it has one, else {@code error}; {@code error} itself
   * when finding the cause throws.
   */
  static Throwable reported(Throwable error) {
    try {
      if (error instanceof PermanentFailure) {
        return ((PermanentFailure) error).reported();
      }
      if (error instanceof RetryAfter && error.getCause() != null) {
        return error.getCause();
      }
    } catch (Throwable unreadable) {
      // a getCause() or reported() that throws: report the error as it is
    }
    return error;
  }
}
