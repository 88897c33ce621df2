package dev.background.bench;

import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Scenario 4: {@code n} live {@code runAsync} tasks, each waiting on its {@code onCancel()}
 * future. Figures: retained heap per task after a full GC, time to start all (until every task's
 * code has run), {@code list()} plus the JSON of all (the bytes {@code GET /tasks} sends:
 * {@link TaskStatus#encodeToBuffer}, UTF-8; raw builds and encodes a {@code JsonArray}),
 * {@code close()} of all.
 * Sides: ours; ours with per-task metrics (a SimpleMeterRegistry); and "raw", the least a
 * program needs for the same on bare Vert.x (a cancel promise and a context object per task, the
 * task started with runOnContext, kept in a list), so that the supervisor's cost shows.
 */
final class ManyTasks {

  private ManyTasks() {
  }

  static Result run(boolean quick) {
    int n = quick ? 10_000 : 100_000;
    int reps = 5;
    Result r = new Result("s4-many-tasks", n + " live runAsync tasks waiting on onCancel()");
    r.params.put("tasks", n).put("reps", reps);
    Vertx vertx = Vertx.vertx();
    List<String> sides = List.of("ours", "ours+metrics", "raw");
    for (int rep = -1; rep < reps; rep++) {
      for (String side : Util.order(sides, rep + 1)) {
        double[] f = side.equals("raw") ? raw(vertx, n) : ours(vertx, n, side.equals("ours+metrics"));
        if (rep >= 0) {
          r.sample(side, "heapPerTask", "B", f[0]);
          r.sample(side, "startAll", "ms", f[1]);
          r.sample(side, "listJson", "ms", f[2]);
          r.sample(side, "closeAll", "ms", f[3]);
          r.sample(side, "jsonBytes", "B", f[4]);
        }
      }
    }
    Util.await(vertx.close(), 30);
    for (String fig : List.of("heapPerTask", "startAll", "listJson", "closeAll")) {
      r.ratioOf("ours/raw " + fig, "ours / raw (lower is better)", r.stat("ours", fig, ""),
          r.stat("raw", fig, ""));
    }
    r.ratioOf("metrics/ours heapPerTask", "ours with metrics / ours (lower is better)",
        r.stat("ours+metrics", "heapPerTask", ""), r.stat("ours", "heapPerTask", ""));
    // Issue 6: heap <= 2 KiB per task. Issue 15: list() + JSON <= 0.3 s, close() with per-task
    // metrics <= 0.3 s, per-task metrics <= 800 B per idle task (heap with metrics on).
    double heap = r.stat("ours", "heapPerTask", "B").median();
    double list = r.stat("ours", "listJson", "ms").median();
    double close = r.stat("ours", "closeAll", "ms").median();
    r.target("heapPerTask", "<= 2048 B per task", heap, heap <= 2048);
    r.target("listJson", "<= 300 ms", list, list <= 300);
    r.target("closeAll", "<= 300 ms", close, close <= 300);
    double mheap = r.stat("ours+metrics", "heapPerTask", "B").median();
    double mlist = r.stat("ours+metrics", "listJson", "ms").median();
    double mclose = r.stat("ours+metrics", "closeAll", "ms").median();
    r.target("heapPerTask (metrics on)", "<= 800 B per task", mheap, mheap <= 800);
    r.target("listJson (metrics on)", "<= 300 ms", mlist, mlist <= 300);
    r.target("closeAll (metrics on)", "<= 300 ms", mclose, mclose <= 300);
    r.row("retained heap per task", "ours", "raw", "heapPerTask", "ours/raw heapPerTask", "heapPerTask");
    r.row("start all", "ours", "raw", "startAll", "ours/raw startAll", null);
    r.row("list() + JSON of all", "ours", "raw", "listJson", "ours/raw listJson", "listJson");
    r.row("close() of all", "ours", "raw", "closeAll", "ours/raw closeAll", "closeAll");
    r.row("retained heap per task, metrics on", "ours+metrics", "ours", "heapPerTask",
        "metrics/ours heapPerTask", "heapPerTask (metrics on)");
    r.row("start all, metrics on", "ours+metrics", null, "startAll", null, null);
    r.row("list() + JSON, metrics on", "ours+metrics", null, "listJson", null, "listJson (metrics on)");
    r.row("close(), metrics on", "ours+metrics", null, "closeAll", null, "closeAll (metrics on)");
    return r;
  }

  static double[] ours(Vertx vertx, int n, boolean metrics) {
    TasksOptions options = new TasksOptions();
    if (metrics) {
      options.setMeterRegistry(new SimpleMeterRegistry());
    }
    Tasks tasks = Tasks.create(vertx, options);
    CountDownLatch started = new CountDownLatch(n);
    AsyncTask task = ctx -> {
      started.countDown();
      return ctx.onCancel();
    };
    String[] names = names(n);
    long before = Util.usedHeapAfterGc();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      tasks.runAsync(names[i], task, Backoff.defaults());
    }
    Util.await(started, 120, "start all (ours)");
    long t1 = System.nanoTime();
    names = null;
    long after = Util.usedHeapAfterGc();
    long t2 = System.nanoTime();
    List<TaskStatus> all = tasks.list();
    int bytes = TaskStatus.encodeToBuffer(all).length();
    long t3 = System.nanoTime();
    if (all.size() != n) {
      throw new IllegalStateException("list() has " + all.size() + " tasks, expected " + n);
    }
    all = null;
    long t4 = System.nanoTime();
    Util.await(tasks.close(), 120);
    long t5 = System.nanoTime();
    return new double[] {(after - before) / (double) n, Util.ms(t1 - t0), Util.ms(t3 - t2),
        Util.ms(t5 - t4), bytes};
  }

  /** Names made before the heap baseline, so both sides hold the same strings. */
  static String[] names(int n) {
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = "many-" + i;
    }
    return names;
  }

  /**
   * The bare-Vert.x equivalent of one task: what one would keep anyway to start, list and cancel
   * it (a name, a cancel promise, the task's future).
   */
  static final class RawTask {
    final String name;
    final Promise<Void> cancel = Promise.promise();
    Future<Void> result;

    RawTask(String name) {
      this.name = name;
    }
  }

  static double[] raw(Vertx vertx, int n) {
    Context loop = vertx.getOrCreateContext();
    CountDownLatch started = new CountDownLatch(n);
    java.util.function.Function<RawTask, Future<Void>> task = t -> {
      started.countDown();
      return t.cancel.future();
    };
    String[] names = names(n);
    List<RawTask> all = new ArrayList<>(n);
    long before = Util.usedHeapAfterGc();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      RawTask t = new RawTask(names[i]);
      all.add(t);
      loop.runOnContext(v -> {
        try {
          t.result = task.apply(t);
        } catch (RuntimeException e) {
          t.result = Future.failedFuture(e);
        }
      });
    }
    Util.await(started, 120, "start all (raw)");
    long t1 = System.nanoTime();
    names = null;
    long after = Util.usedHeapAfterGc();
    long t2 = System.nanoTime();
    JsonArray json = new JsonArray(new ArrayList<>(n));
    for (RawTask t : all) {
      json.add(new JsonObject().put("name", t.name).put("state",
          t.cancel.future().isComplete() ? "CANCELLED" : "RUNNING"));
    }
    int bytes = json.toBuffer().length();
    long t3 = System.nanoTime();
    json = null;
    long t4 = System.nanoTime();
    CountDownLatch ended = new CountDownLatch(1);
    loop.runOnContext(v -> {
      List<Future<Void>> results = new ArrayList<>(n);
      for (RawTask t : all) {
        t.cancel.complete();
        results.add(t.result);
      }
      Future.join(results).onComplete(x -> ended.countDown());
    });
    Util.await(ended, 120, "close all (raw)");
    long t5 = System.nanoTime();
    return new double[] {(after - before) / (double) n, Util.ms(t1 - t0), Util.ms(t3 - t2),
        Util.ms(t5 - t4), bytes};
  }
}
