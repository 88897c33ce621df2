package dev.background;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * TaskHandle controls one task submitted to a {@link Tasks} tracker. Thread-safe; every method may
 * be called from any thread. Control methods whose precondition does not hold (pausing a
 * {@code once} task, restarting a finished one) return a future failed with
 * {@link IllegalStateException} and change nothing.
 */
public interface TaskHandle {

  /** The task's full name. */
  String name();

  /** A snapshot of the task (for a {@code once} task: of every execution under its name). */
  TaskStatus status();

  /**
   * Stops restarts and cancels the current run's context. Cancellation is cooperative: a running
   * task is not killed. A task cancelled before its first run started never starts. The future
   * completes when the current run (if any) has ended; it never fails. Idempotent: calling it
   * again, on a task that has ended (whatever its final state) or after the tracker was closed,
   * changes nothing and returns the same future, the one of {@link #completion()}. Event-bus and
   * HTTP control answer such a cancel with the final status (200), never with a conflict. A
   * callback on {@link TaskContext#onCancel()} or on this future that throws is logged and
   * ignored: it never reaches the caller of {@code cancel()} or stops a close.
   */
  Future<Void> cancel();

  /**
   * Runs the task now, skipping the pending backoff or start delay; a paused task is resumed.
   * Fails with {@link IllegalStateException} when a run is in progress or the task has finished.
   */
  Future<Void> restartNow();

  /**
   * Pauses a {@code run} task: its current run goes on to its end, and it is not restarted until
   * {@link #resume()}. A pending restart timer is cancelled. Pausing a paused task does nothing.
   */
  Future<Void> pause();

  /**
   * Ends a pause: the task is restarted at its scheduled time, or now when that time has passed.
   * Resuming a task that is not paused does nothing.
   */
  Future<Void> resume();

  /**
   * Completes (never fails) when the task will never run again; its final status tells why. From
   * then on the tracker keeps the task's status and counters but no longer references its code
   * (nor what the code captured). A callback that throws is logged and ignored.
   */
  Future<Void> completion();

  /**
   * Fires a {@link TaskKind#SCHEDULE schedule} now, outside its slots, under its {@link Overlap}
   * policy: when no run is running it starts one (also while paused: a trigger is an explicit
   * request); otherwise {@code SKIP} refuses, {@code QUEUE} runs it right after the current run,
   * {@code REPLACE} cancels the current run and starts it when that run has ended. The schedule's
   * own slots are unchanged. The future completes when the fire is accepted, not when it ends.
   *
   * @return a future failed with {@link IllegalStateException} for a {@code run} or {@code once}
   *     task, a finished schedule, a singleton standing by, or a fire the overlap policy refuses
   */
  Future<Void> trigger();

  /**
   * The backoff between the task's runs, as given to {@code run}/{@code runAsync}. Empty for a
   * {@code once} task, which is not restarted, and for a handle that does not know it (the
   * default).
   */
  default Optional<Backoff> backoff() {
    return Optional.empty();
  }

  /**
   * The run options the task applies, at most one of each kind (a later option of a kind
   * replaced an earlier one), in the order of {@link RunOption}'s factories; empty when it has
   * none, or for a handle that does not know them (the default). For display: the dashboard's
   * task view lists them.
   */
  default List<RunOption> options() {
    return List.of();
  }

  /**
   * The exception that ended the task's last run, while that run is the last one to have ended
   * and it failed: empty once a later run succeeded, before any run ended, and for a handle that
   * does not keep it (the default). {@link TaskStatus#lastError()} keeps the type and message
   * longer; this is the exception itself, with its stack trace and causes, for an operator
   * looking into the failure (HTTP shows it only to requests allowed to control).
   */
  default Optional<Throwable> lastFailure() {
    return Optional.empty();
  }
}
