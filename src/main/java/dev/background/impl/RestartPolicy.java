package dev.background.impl;

import dev.background.Backoff;
import dev.background.Durations;
import dev.background.PermanentFailure;
import dev.background.RetryAfter;
import dev.background.TaskKind;
import dev.background.TaskState;

import java.time.Instant;

/**
 * What follows a run that was not cancelled: the end of the task, in which state, or a restart,
 * after which wait. The rules of its kind, its backoff ({@code maxAttempts}, {@code retryOn},
 * {@code abortOn}), its run options
 * ({@code restartOnFailureOnly}, {@code resetAfter}) and {@code maxRestarts}. Not thread-safe:
 * guarded by its supervisor's monitor.
 */
final class RestartPolicy {

  private final TaskKind kind;
  /** Null for a once task. */
  private final Backoff backoff;
  private final RunSettings settings;
  private final Stats stats;
  /** Null but with maxRestarts. */
  private final RestartIntensity intensity;

  RestartPolicy(TaskKind kind, Backoff backoff, RunSettings settings, Stats stats) {
    this.kind = kind;
    this.backoff = backoff;
    this.settings = settings;
    this.stats = stats;
    this.intensity = settings.maxRestarts >= 0
        ? new RestartIntensity(settings.maxRestarts, Durations.toMillis(settings.maxRestartsWindow))
        : null;
  }

  /** The backoff, {@code null} for a once task. */
  Backoff backoff() {
    return backoff;
  }

  /**
   * The final state after a run that ended with {@code failure}, what is reported of
   * {@code error} (null for a success), or null when the task is to be restarted. A
   * {@link PermanentFailure} ends it; a {@link RetryAfter} is retried whatever the backoff's
   * {@code retryOn}/{@code abortOn} say; any other failure they refuse ends it FAILED.
   */
  TaskState endState(Throwable failure, Throwable error, Instant now) {
    boolean explicit = error instanceof PermanentFailure || error instanceof RetryAfter;
    if (backoff != null && failure != null && !explicit && !backoff.retries(failure)) {
      return TaskState.FAILED;
    }
    return endState(failure, error instanceof PermanentFailure, now);
  }

  /**
   * The final state after a run that ended with {@code failure} (null for a success), or null
   * when the task is to be restarted; {@code permanent} for a {@code PermanentFailure}.
   */
  TaskState endState(Throwable failure, boolean permanent, Instant now) {
    if (kind == TaskKind.ONCE) {
      return failure == null ? TaskState.COMPLETED : TaskState.FAILED;
    }
    if (permanent) {
      return TaskState.FAILED;
    }
    if (failure == null && settings.restartOnFailureOnly) {
      return TaskState.COMPLETED;
    }
    if (failure != null && backoff.maxAttempts() > 0
        && stats.consecutiveFailures() >= backoff.maxAttempts()) {
      return TaskState.GAVE_UP;
    }
    if (intensity != null && intensity.exceeded(now.toEpochMilli())) {
      return TaskState.GAVE_UP;
    }
    return null;
  }

  /** The wait before the restart after run {@code attempt}, which lasted {@code runNanos}. */
  RestartDelay restart(int attempt, Throwable error, long runNanos, Instant now) {
    return RestartDelay.after(backoff, settings.resetAfter, attempt, error, runNanos, now);
  }
}
