package dev.background.impl;

import dev.background.Misfire;
import dev.background.Overlap;
import dev.background.TaskState;
import dev.background.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** The log lines of schedules, on the tracker's logger like {@link RunLog}'s. */
final class ScheduleLog {

  private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

  private ScheduleLog() {
  }

  /** Slots came due and will not run (a pause, a stall, a failover; or their deadline passed). */
  static void missed(String task, long count, boolean lowerBound, Instant latest, Misfire policy) {
    LOG.info("{}: {}{} slot(s) missed, the latest {} (misfire {})", task, lowerBound ? "at least "
        : "", count, latest, policy);
  }

  /** A slot came due while a run was running and will not run. */
  static void skipped(String task, Instant slot, Overlap policy) {
    LOG.info("{}: slot {} skipped: the previous run is still running (overlap {})", task, slot,
        policy);
  }

  /**
   * A fire ended: {@code failure} null for a success; {@code end} the task's final state, or null
   * while it goes on; {@code retryDelay} the delay before its retry, or -1 without one.
   */
  static void ended(String task, Instant slot, int attempt, Throwable failure, TaskState end,
      long retryDelay) {
    String next = end != null ? "; now " + end
        : retryDelay >= 0 ? "; retrying in " + retryDelay + " ms" : "; waiting for the next slot";
    if (failure == null) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: fire of slot {} ended (attempt {}){}", task, slot, attempt, next);
      }
    } else {
      FailureLog.warn(failure, "{}: fire of slot {} failed (attempt {}){}", task, slot, attempt,
          next);
    }
  }
}
