package dev.background;

/**
 * PermanentFailure, thrown by a task (or used to fail an async task's future), ends the task for
 * good: no restart follows and its state becomes {@link TaskState#FAILED}. The wrapped cause is
 * what status and logs report.
 */
public class PermanentFailure extends RuntimeException {

  /** Ends the task for good because of {@code cause}; the message is the cause's. */
  public PermanentFailure(Throwable cause) {
    super(cause == null ? "permanent failure" : cause.toString(), cause);
  }

  /** Ends the task for good because of {@code cause}, with a message of its own. */
  public PermanentFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /** Ends the task for good, for the reason {@code message} gives. */
  public PermanentFailure(String message) {
    super(message);
  }

  /** The error to report: the cause when there is one, else this exception. */
  public Throwable reported() {
    return getCause() != null ? getCause() : this;
  }
}
