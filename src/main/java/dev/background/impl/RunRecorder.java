package dev.background.impl;

import dev.background.TaskError;
import dev.background.TaskEvent;
import dev.background.TasksClock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

/**
 * What every supervisor ({@link Supervisor}, {@link ScheduleSupervisor}) does when a run starts
 * and when it ends, whatever the task's kind: the run's context, its counters and history in
 * {@link Stats}, its STARTED and SUCCEEDED/FAILED events. Called with the supervisor's monitor held.
 */
final class RunRecorder {

  /**
   * How a run ended: its failure (null for a success), what status reports of it, its length,
   * and how many times in a row the task failed this same way ({@link Stats#ended}).
   */
  record Ended(Throwable failure, TaskError error, long nanos, int repeat) {
  }

  private RunRecorder() {
  }

  /** The context of the task's next run. */
  static RunContext open(TasksImpl tracker, Stats stats, RunSettings settings, TaskRunner runner,
      int attempt, long fencingToken) {
    return new RunContext(stats.name, attempt, stats.lastThrowable(), tracker.vertx(),
        settings.config, runner.callbackContext(), settings.interruptOnCancel, fencingToken);
  }

  /**
   * The run of {@code ctx} starts at {@code now}; {@code restart}: it is not the task's first;
   * {@code slot}: the schedule slot it is for, or null.
   */
  static void started(RunContext ctx, Stats stats, EventQueue events, Instant now, boolean restart,
      Instant slot) {
    stats.started(now, restart);
    events.add(TaskEvent.Type.STARTED, ctx.attempt(), -1, null, now, slot);
    ctx.startedAt = now;
    RunLog.started(stats.name, ctx.attempt());
  }

  /**
   * The run of {@code ctx} ended at {@code now}: {@code reported} is its failure as the log and
   * the status report it ({@link FailureLog#reported}), {@code unread} the status form made before
   * the monitor was taken (it runs user code), and so is {@code signature}, what tells one
   * failure from another in the log ({@link RunLog#signature}). A run that exceeded its timeout
   * without failing otherwise failed with a {@link TimeoutException}. {@code closing}: the
   * tracker is closing (see {@link Stats#ended}).
   */
  static Ended ended(RunContext ctx, Throwable reported, TaskError unread, String signature,
      Stats stats,
      EventQueue events, TasksClock clock, Duration runTimeout, Instant now, boolean closing) {
    ctx.ended = true;
    if (ctx.timeoutTimer != RunContext.NO_TIMER) {
      clock.cancelTimer(ctx.timeoutTimer);
    }
    long nanos = Math.max(0, clock.nanoTime() - ctx.startNanos);
    Throwable failure = reported;
    TaskError failed = unread == null ? null : new TaskError(unread.type(), unread.message(), now);
    if (failure == null && ctx.timedOut) {
      failure = new TimeoutException(stats.name + ": run exceeded runTimeout " + runTimeout);
      failed = TaskError.of(failure, now);
    }
    int repeat = stats.ended(now, failure, failed, ctx.startedAt, nanos,
        failure != null && signature == null ? failure.getClass().getName() : signature, closing);
    events.add(failure == null ? TaskEvent.Type.SUCCEEDED : TaskEvent.Type.FAILED, ctx.attempt(),
        -1, failed, now);
    return new Ended(failure, failed, nanos, repeat);
  }
}
