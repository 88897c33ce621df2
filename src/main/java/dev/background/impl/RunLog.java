package dev.background.impl;

import dev.background.TaskState;
import dev.background.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What the logger {@code dev.background.Tasks} says about runs: each start and end at DEBUG, each
 * failure at WARN with its stack (through {@link FailureLog}: one that cannot be printed is
 * logged by its class name), giving up at ERROR, a run timeout at WARN.
 */
final class RunLog {

  private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

  private RunLog() {
  }

  static void started(String task, int attempt) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: run started (attempt {})", task, attempt);
    }
  }

  /**
   * A run ended: {@code failure} null for a success; {@code end} the task's final state, or null
   * when it restarts in {@code delay} ms.
   */
  static void ended(String task, int attempt, Throwable failure, TaskState end, long delay,
      int consecutiveFailures) {
    String next = end == null ? "; restarting in " + delay + " ms" : "; now " + end;
    if (failure == null) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: run ended (attempt {}){}", task, attempt, next);
      }
    } else if (end == TaskState.GAVE_UP) {
      FailureLog.error(failure, "{}: failed (attempt {}, {} consecutive failures); giving up",
          task, attempt, consecutiveFailures);
    } else {
      FailureLog.warn(failure, "{}: failed (attempt {}){}", task, attempt, next);
    }
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
