package dev.background.impl;

import dev.background.Backoff;
import dev.background.Durations;
import dev.background.RetryAfter;

import java.time.Duration;
import java.time.Instant;

/**
 * The wait before a restart, and the attempt that restart will be.
 *
 * @param nextAttempt the position of the next run in the backoff sequence
 * @param delayMillis how long to wait before it
 */
record RestartDelay(int nextAttempt, long delayMillis) {

  /**
   * After run {@code attempt} ended with {@code error} (null for a success) after {@code runNanos}:
   * the backoff's next delay, or its first again when the run lasted {@code resetAfter}; at least
   * what a {@link RetryAfter} asks for.
   */
  static RestartDelay after(Backoff backoff, Duration resetAfter, int attempt, Throwable error,
      long runNanos, Instant now) {
    boolean reset = resetAfter != null && runNanos >= Durations.toNanos(resetAfter);
    long delay = backoff.delayMillis(reset ? 1 : attempt);
    if (error instanceof RetryAfter) {
      delay = Math.max(delay, Durations.toMillis(((RetryAfter) error).minimumDelay(now)));
    }
    return new RestartDelay(reset ? 1 : attempt + 1, delay);
  }

  /**
   * {@code now} plus {@code delayMs}, at most the last instant whose epoch milliseconds fit in a
   * long: delays are saturated at Long.MAX_VALUE ms, which would overflow {@link Instant#toEpochMilli()}.
   */
  static Instant dueAt(Instant now, long delayMs) {
    long nowMs = now.toEpochMilli();
    return delayMs >= Long.MAX_VALUE - nowMs ? Instant.ofEpochMilli(Long.MAX_VALUE) : now.plusMillis(delayMs);
  }

  /** {@code nanos} in milliseconds, rounded up for a positive remainder: a timer must not fire early. */
  static long ceilMillis(long nanos) {
    return nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
  }

  /**
   * The nanoseconds from {@code from} to {@code to}, saturated at the long range: what
   * {@code Duration.between(from, to).toNanos()} gives, without the Duration (a schedule computes
   * this at every fire) and without its overflow.
   */
  static long nanosBetween(Instant from, Instant to) {
    // Epoch seconds span about 6.3e16 at most: their difference cannot overflow.
    long seconds = to.getEpochSecond() - from.getEpochSecond();
    if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + (to.getNano() - from.getNano());
  }
}
