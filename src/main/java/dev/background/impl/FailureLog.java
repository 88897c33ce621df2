package dev.background.impl;

import dev.background.PermanentFailure;
import dev.background.RetryAfter;
import dev.background.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    log(false, failure, format, args);
  }

  /** Logs {@code format} with {@code args} at ERROR, then {@code failure}'s stack; never throws. */
  static void error(Throwable failure, String format, Object... args) {
    log(true, failure, format, args);
  }

  private static void log(boolean error, Throwable failure, String format, Object[] args) {
    Object[] withFailure = Arrays.copyOf(args, args.length + 1);
    withFailure[args.length] = failure;
    try {
      log(error, format, withFailure);
    } catch (Throwable unprintable) {
      Object[] named = Arrays.copyOf(args, args.length + 2);
      named[args.length] = failure == null ? null : failure.getClass().getName();
      named[args.length + 1] = unprintable.getClass().getName();
      try {
        log(error, format + " [a {} that cannot be printed: {} thrown while printing it]", named);
      } catch (Throwable loggerFailed) {
        // The logger itself fails: nothing is left to tell.
      }
    }
  }

  private static void log(boolean error, String format, Object[] args) {
    if (error) {
      LOG.error(format, args);
    } else {
      LOG.warn(format, args);
    }
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
