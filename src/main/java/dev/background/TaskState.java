package dev.background;

/**
 * Where a task is in its life. {@link #isTerminal() Terminal} states are final: the task will not
 * run again (a {@code once} name may still be run again as a new execution).
 */
public enum TaskState {
  /** Accepted, waiting for its start delay. */
  PENDING,
  /**
   * A {@link RunOption#singleton() singleton} waiting while another node (or tracker) holds it;
   * it takes over when the holder leaves.
   */
  STANDBY,
  /** A run is in progress. */
  RUNNING,
  /** Between runs, waiting for the backoff delay (see {@code nextRunAt}). */
  BACKING_OFF,
  /** A schedule waiting for its next fire (see {@code nextFireAt}). */
  SCHEDULED,
  /** Paused: not restarted (a schedule: not fired) until resumed. */
  PAUSED,
  /** Ended normally and will not be restarted (a once task, or restartOnFailureOnly). */
  COMPLETED,
  /** Ended with a failure and will not be restarted (a once task, or PermanentFailure). */
  FAILED,
  /** Stopped restarting: maxAttempts or maxRestarts was reached. */
  GAVE_UP,
  /** Cancelled, by its handle or by the tracker's close. */
  CANCELLED;

  /** Whether the task will never run again. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == GAVE_UP || this == CANCELLED;
  }
}
