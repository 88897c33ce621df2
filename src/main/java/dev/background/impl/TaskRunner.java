package dev.background.impl;

import dev.background.AsyncTask;
import dev.background.Task;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Starts the runs of one task: a blocking {@link Task} on a thread of its executor, an
 * {@link AsyncTask} on its event-loop context. Either way the end of a run (its failure, or null)
 * is reported exactly once, also when the run could not even start.
 */
abstract class TaskRunner {

  static TaskRunner blocking(Task task, Executor executor) {
    return new Blocking(task, executor);
  }

  static TaskRunner async(AsyncTask task, Context context) {
    return new Async(task, context);
  }

  /** The context where an async run's callbacks (its {@code onCancel}) complete; null for blocking. */
  abstract Context callbackContext();

  /** Starts {@code run}; {@code ended} gets the run and its failure (or null) when it ends. */
  abstract void start(RunContext run, BiConsumer<RunContext, Throwable> ended);

  private static final class Blocking extends TaskRunner {
    private final Task task;
    private final Executor executor;

    Blocking(Task task, Executor executor) {
      this.task = task;
      this.executor = executor;
    }

    @Override
    Context callbackContext() {
      return null;
    }

    @Override
    void start(RunContext run, BiConsumer<RunContext, Throwable> ended) {
      try {
        executor.execute(() -> {
          run.attach(Thread.currentThread());
          Throwable error = null;
          try {
            task.run(run);
          } catch (Throwable t) {
            error = t;
          }
          run.detach();
          ended.accept(run, error);
        });
      } catch (RejectedExecutionException e) {
        ended.accept(run, e);
      }
    }
  }

  private static final class Async extends TaskRunner {
    private final AsyncTask task;
    private final Context context;

    Async(AsyncTask task, Context context) {
      this.task = task;
      this.context = context;
    }

    @Override
    Context callbackContext() {
      return context;
    }

    @Override
    void start(RunContext run, BiConsumer<RunContext, Throwable> ended) {
      try {
        context.runOnContext(v -> runOnContext(run, ended));
      } catch (RejectedExecutionException vertxClosed) {
        ended.accept(run, vertxClosed);
      }
    }

    private void runOnContext(RunContext run, BiConsumer<RunContext, Throwable> ended) {
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
      f.onComplete(ar -> ended.accept(run, ar.failed() ? ar.cause() : null));
    }
  }
}
