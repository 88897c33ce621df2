package dev.background;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CountDownLatch;

/** Task classes that tests declare by name in a {@link TasksVerticle} configuration. */
public final class TestTasks {

  private TestTasks() {
  }

  /** The binary name of a nested class, as a configuration names it. */
  public static String name(Class<?> c) {
    return c.getName();
  }

  /** Runs until cancelled (async): a stable RUNNING state. */
  public static class Waits implements AsyncTask {
    @Override
    public Future<Void> run(TaskContext ctx) {
      return ctx.onCancel();
    }
  }

  /** Ends at once (async). */
  public static class Ends implements AsyncTask {
    @Override
    public Future<Void> run(TaskContext ctx) {
      return Future.succeededFuture();
    }
  }

  /** Ends at once (blocking). */
  public static class BlockingEnds implements Task {
    @Override
    public void run(TaskContext ctx) {
    }
  }

  /** Blocks its thread until cancelled. */
  public static class BlocksUntilCancelled implements Task {
    @Override
    public void run(TaskContext ctx) throws InterruptedException {
      CountDownLatch cancelled = new CountDownLatch(1);
      ctx.onCancel().onComplete(v -> cancelled.countDown());
      cancelled.await();
    }
  }

  /** Ignores cancellation: blocks until {@link #release()}. */
  public static class Stuck implements Task {
    private static volatile CountDownLatch latch = new CountDownLatch(1);

    @Override
    public void run(TaskContext ctx) throws InterruptedException {
      latch.await();
    }

    /** Lets every stuck run return; later runs block again. */
    public static void release() {
      CountDownLatch old = latch;
      latch = new CountDownLatch(1);
      old.countDown();
    }
  }

  /** Fails its first two runs, then succeeds (one instance counts across restarts). */
  public static class FailsTwice implements AsyncTask {
    private int runs;

    @Override
    public Future<Void> run(TaskContext ctx) {
      runs++;
      return runs <= 2 ? Future.failedFuture(new IllegalStateException("failure " + runs))
          : Future.succeededFuture();
    }
  }

  /** Sends its config to the event-bus address {@code test.config}, then runs until cancelled. */
  public static class EchoesConfig implements AsyncTask {
    @Override
    public Future<Void> run(TaskContext ctx) {
      ctx.vertx().eventBus().send("test.config",
          new JsonObject().put("task", ctx.name()).put("config", ctx.config()));
      return ctx.onCancel();
    }
  }

  /** Its constructor throws. */
  public static class ThrowsInConstructor implements AsyncTask {
    public ThrowsInConstructor() {
      throw new IllegalStateException("no database");
    }

    @Override
    public Future<Void> run(TaskContext ctx) {
      return Future.succeededFuture();
    }
  }

  /** Not a task. */
  public static class NotATask {
  }

  /** Has no no-arg constructor. */
  public static class NeedsArgument implements AsyncTask {
    public NeedsArgument(String argument) {
    }

    @Override
    public Future<Void> run(TaskContext ctx) {
      return Future.succeededFuture();
    }
  }

  /** Cannot be instantiated. */
  public abstract static class Abstract implements AsyncTask {
  }
}
