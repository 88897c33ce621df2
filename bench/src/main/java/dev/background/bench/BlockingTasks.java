package dev.background.bench;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.Tasks;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 5: {@code n} concurrent blocking {@code run} tasks, each blocked until its context is
 * cancelled: on platform threads (2,000) or with {@code virtualThread()} (100,000, JDK 21+).
 * Figures: time until every task's code runs, retained heap (and resident memory) per task, time
 * for {@code close()} to cancel and wait for all. Raw: the same blocking body on a plain executor
 * of the same kind of thread ({@code newCachedThreadPool}, {@code newVirtualThreadPerTaskExecutor}),
 * released by completing one promise per task.
 */
final class BlockingTasks {

  private BlockingTasks() {
  }

  static Result run(boolean quick, boolean virtual) {
    int n = virtual ? (quick ? 10_000 : 100_000) : (quick ? 500 : 2_000);
    int reps = 5;
    String kind = virtual ? "virtual" : "platform";
    Result r = new Result("s5-blocking-" + kind, n + " blocking run tasks on " + kind + " threads");
    r.params.put("tasks", n).put("reps", reps).put("threads", kind);
    if (virtual && Runtime.version().feature() < 21) {
      r.notes.put("skipped", "this JVM (" + Runtime.version() + ") has no virtual threads");
      return r;
    }
    Vertx vertx = Vertx.vertx();
    List<String> sides = List.of("ours", "raw");
    for (int rep = -1; rep < reps; rep++) {
      for (String side : Util.order(sides, rep + 1)) {
        double[] f = side.equals("raw") ? raw(n, virtual) : ours(vertx, n, virtual);
        if (rep >= 0) {
          r.sample(side, "startAll", "ms", f[0]);
          r.sample(side, "heapPerTask", "B", f[1]);
          r.sample(side, "rssPerTask", "B", f[2]);
          r.sample(side, "closeAll", "ms", f[3]);
        }
      }
    }
    Util.await(vertx.close(), 30);
    for (String fig : List.of("startAll", "heapPerTask", "closeAll")) {
      r.ratioOf("ours/raw " + fig, "ours / raw (lower is better)", r.stat("ours", fig, ""),
          r.stat("raw", fig, ""));
    }
    r.row("start all", "ours", "raw", "startAll", "ours/raw startAll", null);
    r.row("retained heap per task", "ours", "raw", "heapPerTask", "ours/raw heapPerTask", null);
    r.row("resident memory per task", "ours", "raw", "rssPerTask", null, null);
    r.row("close() of all", "ours", "raw", "closeAll", "ours/raw closeAll", null);
    return r;
  }

  static double[] ours(Vertx vertx, int n, boolean virtual) {
    Tasks tasks = Tasks.create(vertx);
    CountDownLatch started = new CountDownLatch(n);
    Task task = ctx -> {
      started.countDown();
      ctx.onCancel().await();
    };
    RunOption[] options = virtual ? new RunOption[] {RunOption.virtualThread()} : new RunOption[0];
    String[] names = ManyTasks.names(n);
    long before = Util.usedHeapAfterGc();
    long rss0 = Util.rss();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      tasks.run(names[i], task, Backoff.defaults(), options);
    }
    Util.await(started, 300, "start all (ours)");
    long t1 = System.nanoTime();
    names = null;
    long rss1 = Util.rss();
    long after = Util.usedHeapAfterGc();
    long t2 = System.nanoTime();
    Util.await(tasks.close(), 300);
    long t3 = System.nanoTime();
    return new double[] {Util.ms(t1 - t0), (after - before) / (double) n, (rss1 - rss0) / (double) n,
        Util.ms(t3 - t2)};
  }

  static double[] raw(int n, boolean virtual) {
    ExecutorService executor = virtual ? virtualExecutor() : Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    CountDownLatch started = new CountDownLatch(n);
    CountDownLatch ended = new CountDownLatch(n);
    List<Promise<Void>> cancels = new ArrayList<>(n);
    String[] names = ManyTasks.names(n);
    long before = Util.usedHeapAfterGc();
    long rss0 = Util.rss();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Promise<Void> cancel = Promise.promise();
      cancels.add(cancel);
      executor.execute(() -> {
        started.countDown();
        cancel.future().await();
        ended.countDown();
      });
    }
    Util.await(started, 300, "start all (raw)");
    long t1 = System.nanoTime();
    names = null;
    long rss1 = Util.rss();
    long after = Util.usedHeapAfterGc();
    long t2 = System.nanoTime();
    for (Promise<Void> p : cancels) {
      p.complete();
    }
    Util.await(ended, 300, "close all (raw)");
    long t3 = System.nanoTime();
    executor.shutdown();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new double[] {Util.ms(t1 - t0), (after - before) / (double) n, (rss1 - rss0) / (double) n,
        Util.ms(t3 - t2)};
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()}, looked up because this compiles for 17. */
  static ExecutorService virtualExecutor() {
    try {
      Method m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
      return (ExecutorService) m.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no virtual threads on " + Runtime.version(), e);
    }
  }
}
