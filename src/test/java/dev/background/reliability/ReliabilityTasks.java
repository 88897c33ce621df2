package dev.background.reliability;

import dev.background.AsyncTask;
import dev.background.Task;
import dev.background.TaskContext;
import io.vertx.core.Future;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Task classes that the reliability tests declare by name in a TasksVerticle configuration. */
public final class ReliabilityTasks {

  /** The names of the threads that ran a {@link BlockingFailsAtOnce}, to check they all end. */
  public static final Set<String> BLOCKING_THREADS = ConcurrentHashMap.newKeySet();

  private ReliabilityTasks() {
  }

  /** Fails at once (async): with a short backoff, a restart storm. */
  public static class FailsAtOnce implements AsyncTask {
    @Override
    public Future<Void> run(TaskContext ctx) {
      return Future.failedFuture(new IllegalStateException("storm, attempt " + ctx.attempt()));
    }
  }

  /** Fails at once on a thread of its own. */
  public static class BlockingFailsAtOnce implements Task {
    @Override
    public void run(TaskContext ctx) {
      BLOCKING_THREADS.add(Thread.currentThread().getName());
      throw new IllegalStateException("storm, attempt " + ctx.attempt());
    }
  }
}
