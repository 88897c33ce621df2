package dev.background;

import java.time.Duration;
import java.util.List;

/**
 * TasksCloseTimeoutException fails the future of {@link Tasks#close(Duration)} when tasks were
 * still running at the deadline. Those tasks were asked to stop but did not; they go on running
 * until they return, and nothing restarts them.
 */
public class TasksCloseTimeoutException extends RuntimeException {

  /** Full names of the tasks still running at the deadline, sorted. */
  private final List<String> stillRunning;
  /** The deadline that passed. */
  private final Duration timeout;

  /**
   * @param timeout the deadline that passed
   * @param stillRunning full names of the tasks still running at the deadline, sorted (copied)
   */
  public TasksCloseTimeoutException(Duration timeout, List<String> stillRunning) {
    super("Tasks.close: " + stillRunning.size() + " task(s) still running after " + timeout + ": "
        + String.join(", ", stillRunning));
    this.timeout = timeout;
    this.stillRunning = List.copyOf(stillRunning);
  }

  /** Full names of the tasks still running at the deadline, sorted. */
  public List<String> stillRunning() {
    return stillRunning;
  }

  /** The deadline that passed. */
  public Duration timeout() {
    return timeout;
  }
}
