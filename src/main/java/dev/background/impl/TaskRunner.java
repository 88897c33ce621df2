package dev.background.impl;

import dev.background.AsyncTask;
import dev.background.Task;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Starts the runs of one task: a blocking {@link Task} on a thread of its executor, an
 * {@link AsyncTask} on its event-loop context. Either way the end of a run (its failure, or null)
 * is reported exactly once, also when the run could not even start.
 */
sealed interface TaskRunner {

  /** The context where an async run's callbacks (its {@code onCancel}) complete; null for blocking. */
  Context callbackContext();

  /** Starts {@code run}; {@code ended} gets the run and its failure (or null) when it ends. */
  void start(RunContext run, BiConsumer<RunContext, Throwable> ended);

  /**
   * Starts {@code run} from a timer handler of the task's clock (a restart or a schedule's fire).
   * An async run whose timer fired on the run's own context starts right here, instead of queued
   * behind every task already waiting on that event loop: in a burst of due timers (many
   * schedules with one period) each start would otherwise wait for the whole burst. The stack
   * stays bounded: what follows the end of a run is a timer again, never a direct start.
   */
  default void startFromTimer(RunContext run, BiConsumer<RunContext, Throwable> ended) {
    start(run, ended);
  }

  /**
   * The end callback of a run that may keep the run's thread: {@link Blocking} tells it that the
   * run ended on its own thread, and it may answer with the task's next run, to be run on the same
   * thread (after a short restart delay waited there), instead of letting the thread go back to
   * its pool and having the next run handed to another one.
   */
  interface OnRunThread extends BiConsumer<RunContext, Throwable> {

    /** The run ended on its own thread; returns the next run to run on it, or null to let it go. */
    RunContext endedHere(RunContext run, Throwable error);
  }

  /**
   * A blocking task, each run on a thread of {@code executor}. When the end callback is an
   * {@link OnRunThread}, the thread runs whatever next run it is handed, in a loop (never a
   * recursion), before it goes back to the pool.
   */
  record Blocking(Task task, Executor executor) implements TaskRunner {

    @Override
    public Context callbackContext() {
      return null;
    }

    @Override
    public void start(RunContext run, BiConsumer<RunContext, Throwable> ended) {
      try {
        executor.execute(() -> {
          RunContext next = run;
          while (next != null) {
            Throwable error = runHere(next);
            if (ended instanceof OnRunThread here) {
              next = here.endedHere(next, error);
            } else {
              ended.accept(next, error);
              next = null;
            }
          }
        });
      } catch (RejectedExecutionException e) {
        ended.accept(run, e);
      }
    }

    /** Runs {@code run} on this thread; returns its failure, or null. */
    private Throwable runHere(RunContext run) {
      run.attach(Thread.currentThread());
      Throwable error = null;
      try {
        task.run(run);
      } catch (Throwable t) {
        error = t;
      }
      run.detach();
      return error;
    }
  }

  /** An async task, each run on {@code callbackContext}. */
  record Async(AsyncTask task, Context callbackContext) implements TaskRunner {

    @Override
    public void start(RunContext run, BiConsumer<RunContext, Throwable> ended) {
      try {
        callbackContext.runOnContext(v -> runHere(run, ended));
      } catch (RejectedExecutionException vertxClosed) {
        ended.accept(run, vertxClosed);
      }
    }

    @Override
    public void startFromTimer(RunContext run, BiConsumer<RunContext, Throwable> ended) {
      if (Vertx.currentContext() == callbackContext) {
        runHere(run, ended);
      } else {
        start(run, ended);
      }
    }

    private void runHere(RunContext run, BiConsumer<RunContext, Throwable> ended) {
      Future<Void> f;
      try {
        f = task.run(run);
      } catch (Throwable t) {
        ended.accept(run, t);
        return;
      }
      if (f == null) {
        ended.accept(run, new NullPointerException(run.name() + ": AsyncTask.run returned a null future"));
        return;
      }
      if (f.isComplete()) {
        // Ended already (most async bodies that do nothing to wait for): no callback to make.
        ended.accept(run, f.failed() ? f.cause() : null);
      } else {
        f.onComplete(ar -> ended.accept(run, ar.failed() ? ar.cause() : null));
      }
    }
  }
}
