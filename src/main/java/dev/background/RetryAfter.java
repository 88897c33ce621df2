package dev.background;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * RetryAfter, thrown by a task (or used to fail an async task's future), reports a failed run and
 * asks that the next run wait at least a given time, like an HTTP {@code Retry-After} header.
 * The restart waits for the longer of this hint and the backoff's own delay. It counts as a
 * failure.
 */
public class RetryAfter extends RuntimeException {

  /** The least wait asked for, or {@code null} when a point in time was given. */
  private final Duration delay;
  /** The earliest time of the next run, or {@code null} when a wait was given. */
  private final Instant notBefore;

  /** Asks for a wait of at least {@code delay}. */
  public RetryAfter(Duration delay) {
    this(delay, null);
  }

  /** Asks for a wait of at least {@code delay}, reporting {@code cause} as the failure. */
  public RetryAfter(Duration delay, Throwable cause) {
    super("retry after " + Objects.requireNonNull(delay, "delay"), cause);
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay: must be >= 0, was " + delay);
    }
    this.delay = delay;
    this.notBefore = null;
  }

  /** Asks that the next run start no earlier than {@code notBefore}. */
  public RetryAfter(Instant notBefore) {
    this(notBefore, null);
  }

  /** Asks that the next run start no earlier than {@code notBefore}, reporting {@code cause}. */
  public RetryAfter(Instant notBefore, Throwable cause) {
    super("retry after " + Objects.requireNonNull(notBefore, "notBefore"), cause);
    this.delay = null;
    this.notBefore = notBefore;
  }

  /** The minimum wait, measured from {@code now}; never negative. */
  public Duration minimumDelay(Instant now) {
    if (delay != null) {
      return delay;
    }
    Duration d = Duration.between(now, notBefore);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
