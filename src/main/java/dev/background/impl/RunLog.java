package dev.background.impl;

import dev.background.TaskState;
import dev.background.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.time.Duration;
import java.util.Locale;

/**
 * What the logger {@code dev.background.Tasks} says about the runs of one task name: each start
 * and end at DEBUG, giving up at ERROR with the stack, a run timeout at WARN, and each failure at
 * the task's level ({@code RunOption.logLevel}, WARN by default) through {@link FailureLog} (one
 * that cannot be printed is logged by its class name).
 *
 * <p>A task that fails the same way again and again does not fill the log with stack traces: the
 * first failure is logged with its stack, and so is the first after a change of error; a repeat
 * is one line with the count and what follows
 * ({@code flaky-poller: failed again (x12, same error); restarting in 8 s [java.io.IOException:
 * connection refused]}). Two failures are the same error when they have the same exception
 * classes along their cause chains and were thrown at the same place (the first frame of the
 * stack); the message may differ, and is on the line. A success starts over. The count follows
 * the order in which runs end ({@link #classify}, under the supervisor's monitor); the lines are
 * printed after it, by the thread each run ended on, so runs that end a millisecond apart may
 * print theirs out of order. Thread-safe: the executions of a once name may end at the same time.
 */
final class RunLog {

  private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);
  /** How much of a failure's text a repeat line holds. */
  static final int SUMMARY_LIMIT = 300;

  private final String task;
  private final Level level;
  /** The signature of the failures in a row, or null after a success (or none yet). */
  private String lastSignature;
  /** How many failures in a row had it. */
  private int repeats;

  /**
   * The log of the task named {@code task}, logging its failures at {@code level}
   * ({@code "warn"}, {@code "info"} or {@code "debug"}).
   */
  RunLog(String task, String level) {
    this.task = task;
    this.level = Level.valueOf(level.toUpperCase(Locale.ROOT));
  }

  static void started(String task, int attempt) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: run started (attempt {})", task, attempt);
    }
  }

  /**
   * Counts a run's end: {@code signature} null for a success (which starts over), else the
   * failure's {@link #signature}. Returns 0 for a success, 1 for a failure unlike the one before
   * it, n for the n-th same failure in a row. Called in the order the runs end (under the
   * supervisor's monitor), so the count is right even when their lines are printed out of order.
   */
  synchronized int classify(String signature) {
    if (signature == null) {
      lastSignature = null;
      repeats = 0;
      return 0;
    }
    if (signature.equals(lastSignature)) {
      return ++repeats;
    }
    lastSignature = signature;
    repeats = 1;
    return 1;
  }

  /**
   * A run ended: {@code failure} null for a success; {@code end} the task's final state, or null
   * when it restarts in {@code delay} ms; {@code repeat} what {@link #classify} said of it.
   */
  void ended(int attempt, Throwable failure, TaskState end, long delay, int consecutiveFailures,
      int repeat) {
    if (failure == null) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: run ended (attempt {}){}", task, attempt, next(end, delay));
      }
    } else if (end == TaskState.GAVE_UP) {
      FailureLog.error(failure, "{}: failed (attempt {}, {} consecutive failures); giving up",
          task, attempt, consecutiveFailures);
    } else if (repeat <= 1) {
      FailureLog.log(level, failure, "{}: failed (attempt {}){}", task, attempt, next(end, delay));
    } else if (FailureLog.enabled(level)) {
      FailureLog.log(level, null, "{}: failed again (x{}, same error){} [{}]", task, repeat,
          next(end, delay), FailureLog.summary(failure, SUMMARY_LIMIT));
    }
  }

  /** What follows a run's end, for its log line: made only for a line that is written. */
  private static String next(TaskState end, long delay) {
    return end == null ? "; restarting in " + delay(delay) : "; now " + end;
  }

  /**
   * What tells two failures apart: the classes along the cause chain and the place the outermost
   * was thrown. When it cannot be read (user code threw), one of its own: such a failure is never
   * a repeat. Reads user code: call it without holding a monitor.
   */
  static String signature(Throwable failure) {
    try {
      StringBuilder s = new StringBuilder();
      Throwable t = failure;
      for (int depth = 0; t != null && depth < 16; depth++) {
        s.append(t.getClass().getName()).append('<');
        Throwable cause = t.getCause();
        t = cause == t ? null : cause;
      }
      StackTraceElement[] stack = failure.getStackTrace();
      if (stack != null && stack.length > 0 && stack[0] != null) {
        s.append('@').append(stack[0]);
      }
      return s.toString();
    } catch (Throwable unreadable) {
      return "unreadable@" + System.identityHashCode(failure) + "@" + System.nanoTime();
    }
  }

  /** "250 ms", "8 s", "1.5 s", "2 min 30 s". */
  static String delay(long millis) {
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 60_000) {
      long tenths = Math.round(millis / 100.0);
      return (tenths % 10 == 0 ? String.valueOf(tenths / 10) : (tenths / 10) + "." + (tenths % 10))
          + " s";
    }
    long seconds = Math.round(millis / 1000.0);
    long minutes = seconds / 60;
    long rest = seconds % 60;
    return minutes + " min" + (rest == 0 ? "" : " " + rest + " s");
  }

  /** A run exceeded its timeout: its context is cancelled; an async run also ends, failed. */
  static void timedOut(String task, Duration timeout, int attempt, boolean ended) {
    LOG.warn("{}: run exceeded runTimeout {} (attempt {}); cancelling its context{}", task, timeout,
        attempt, ended ? "; the run failed, whatever its future does later" : "");
  }

  /** An async run's future completed after its timeout had ended the run. */
  static void lateCompletion(String task, int attempt, Throwable error) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: the future of run {} completed ({}) after its runTimeout had ended it; ignored",
          task, attempt, error == null ? "succeeded" : "failed with " + error.getClass().getName());
    }
  }
}
