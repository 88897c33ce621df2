package dev.background.bench;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.TaskHandle;
import dev.background.Tasks;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedRunnable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 6: a task that fails at once, restarted after a fixed 1 ms delay, through our
 * {@code run} and through Failsafe 3.3.2 (a {@code RetryPolicy} with the same delay, run with
 * {@code runAsync} on a {@code ScheduledExecutorService} of as many threads as cores).
 * Each side stops by its own policy after exactly {@code restarts} restarts per loop
 * ({@code Backoff.maxAttempts(restarts + 1)}; {@code withMaxRetries(restarts)}).
 *
 * <p>"loops" concurrent loops: one loop alone is bound by the 1 ms timer on both sides (about
 * 1,000 restarts/s), so the 100,000 restarts are also run as 100 loops of 1,000, which measures
 * the cost of a restart rather than the timer's tick.
 */
final class PeerRestart {

  /** Every run counts itself, then fails with a new exception (without a stack trace, on both sides). */
  static final LongAdder RUNS = new LongAdder();
  /** Context switches of the process, read by each side as soon as its loops are done. */
  static volatile java.util.Map<String, Long> LAST_SWITCHES;
  /** The same for the library's task threads only ("vertx-background-..."), read by ours. */
  static volatile java.util.Map<String, Long> LAST_TASK_SWITCHES;
  static final String TASK_THREADS = "vertx-backgroun";

  static final class Boom extends RuntimeException {
    Boom() {
      super("boom", null, false, false);
    }
  }

  static final Task FAIL = ctx -> {
    RUNS.increment();
    throw new Boom();
  };
  static final CheckedRunnable FAIL_RUNNABLE = () -> {
    RUNS.increment();
    throw new Boom();
  };

  private PeerRestart() {
  }

  static Result run(boolean quick, int loops, int restarts) {
    int reps = 5;
    String id = "s6-peer-" + (loops == 1 ? "single-loop" : "concurrent");
    Result r = new Result(id, "Restart loop vs Failsafe 3.3.2: " + loops + " loop(s) x " + restarts
        + " restarts, fixed 1 ms delay");
    r.params.put("loops", loops).put("restartsPerLoop", restarts).put("totalRestarts", loops * restarts)
        .put("reps", reps).put("failsafeThreads", Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx();
    List<String> sides = loops == 1 ? List.of("ours", "failsafe", "vertx", "vertx-timer", "stpe-timer")
        : List.of("ours", "failsafe", "vertx");
    for (int rep = -1; rep < reps; rep++) {
      for (String side : Util.order(sides, rep + 1)) {
        java.util.Map<String, Long> cs0 = Util.contextSwitches();
        java.util.Map<String, Long> task0 = Util.contextSwitches(TASK_THREADS);
        double rate = side.equals("ours") ? ours(vertx, loops, restarts)
            : side.equals("vertx") ? vertx(vertx, loops, restarts)
            : side.equals("vertx-timer") ? vertxTimer(vertx, restarts)
            : side.equals("stpe-timer") ? stpeTimer(restarts) : failsafe(loops, restarts);
        // Read by each side right after its loops are done, before it shuts its threads down.
        long cs = Util.contextSwitchesBetween(cs0, LAST_SWITCHES);
        if (rep >= 0) {
          r.sample(side, "restartsPerSecond", "1/s", rate);
          r.sample(side, "contextSwitchesPerRestart", "", cs / ((double) loops * restarts));
          if (side.equals("ours")) {
            long taskCs = Util.contextSwitchesBetween(task0, LAST_TASK_SWITCHES);
            r.sample(side, "taskThreadSwitchesPerRestart", "", taskCs / ((double) loops * restarts));
          }
        }
      }
    }
    Util.await(vertx.close(), 30);
    r.ratioOf("ours/failsafe", "restarts per second, ours / Failsafe (higher is better)",
        r.stat("ours", "restartsPerSecond", ""), r.stat("failsafe", "restartsPerSecond", ""));
    double ratio = r.ratios.get("ours/failsafe").median();
    r.target("ratio", "ours/peer >= 1.0", ratio, ratio >= 1.0);
    // Issue 15: the restart loop at the floor of a bare Vert.x timer + executeBlocking loop, with
    // at most one context switch per blocking restart (whole process).
    double csPerRestart = r.stat("ours", "contextSwitchesPerRestart", "").median();
    r.target("context switches", "<= 1.0 per restart (whole process)", csPerRestart, csPerRestart <= 1.0);
    r.ratioOf("ours/vertx", "restarts per second, ours / bare Vert.x setTimer + executeBlocking (higher is better)",
        r.stat("ours", "restartsPerSecond", ""), r.stat("vertx", "restartsPerSecond", ""));
    double floor = r.ratios.get("ours/vertx").median();
    r.target("ratio vs bare Vert.x", "ours/vertx >= 1.0", floor, floor >= 1.0);
    r.ratioOf("vertx/failsafe", "restarts per second, bare Vert.x / Failsafe: the timer and hand-off floor",
        r.stat("vertx", "restartsPerSecond", ""), r.stat("failsafe", "restartsPerSecond", ""));
    r.row("restarts per second", "ours", "failsafe", "restartsPerSecond", "ours/failsafe", "ratio");
    r.row("context switches per restart (whole process)", "ours", "failsafe", "contextSwitchesPerRestart",
        null, "context switches");
    r.row("context switches per restart, the task threads alone", "ours", null,
        "taskThreadSwitchesPerRestart", null, null);
    r.row("restarts per second vs bare Vert.x", "ours", "vertx", "restartsPerSecond", "ours/vertx",
        "ratio vs bare Vert.x");
    r.row("bare Vert.x vs Failsafe", "vertx", "failsafe", "restartsPerSecond", "vertx/failsafe", null);
    r.row("context switches per restart, bare Vert.x", "vertx", "failsafe", "contextSwitchesPerRestart",
        null, null);
    if (loops == 1) {
      r.ratioOf("vertx-timer/stpe-timer", "1 ms timer chains, body on the timer's thread: "
          + "Vert.x setTimer / ScheduledThreadPoolExecutor (the timers alone)",
          r.stat("vertx-timer", "restartsPerSecond", ""), r.stat("stpe-timer", "restartsPerSecond", ""));
      r.row("timers alone: Vert.x setTimer(1) vs ScheduledExecutorService", "vertx-timer", "stpe-timer",
          "restartsPerSecond", "vertx-timer/stpe-timer", null);
    }
    return r;
  }

  static double ours(Vertx vertx, int loops, int restarts) {
    Tasks tasks = Tasks.create(vertx);
    Backoff backoff = Backoff.builder().initialInterval(Duration.ofMillis(1))
        .maxInterval(Duration.ofMillis(1)).multiplier(1.0).randomizationFactor(0.0)
        .maxAttempts(restarts + 1).build();
    RUNS.reset();
    List<Future<Void>> done = new ArrayList<>();
    List<TaskHandle> handles = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < loops; i++) {
      TaskHandle h = tasks.run("loop-" + i, FAIL, backoff, RunOption.exactName());
      handles.add(h);
      done.add(h.completion());
    }
    Util.await(Future.join(done), 600);
    long t1 = System.nanoTime();
    LAST_SWITCHES = Util.contextSwitches();
    LAST_TASK_SWITCHES = Util.contextSwitches(TASK_THREADS);
    long seen = 0;
    for (TaskHandle h : handles) {
      seen += h.status().restarts();
    }
    if (seen != (long) loops * restarts) {
      throw new IllegalStateException("ours: expected " + loops * restarts + " restarts, saw " + seen);
    }
    check("ours", loops, restarts);
    Util.await(tasks.close(), 30);
    return loops * (double) restarts / ((t1 - t0) / 1e9);
  }

  static double failsafe(int loops, int restarts) {
    ScheduledExecutorService ses = Executors.newScheduledThreadPool(
        Runtime.getRuntime().availableProcessors(), r -> {
          Thread t = new Thread(r, "failsafe-bench");
          t.setDaemon(true);
          return t;
        });
    RUNS.reset();
    RetryPolicy<Object> policy = RetryPolicy.builder().withDelay(Duration.ofMillis(1))
        .withMaxRetries(restarts).build();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < loops; i++) {
      done.add(Failsafe.with(policy).with(ses).runAsync(FAIL_RUNNABLE));
    }
    CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).handle((v, e) -> null).join();
    long t1 = System.nanoTime();
    LAST_SWITCHES = Util.contextSwitches();
    ses.shutdownNow();
    try {
      ses.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    check("failsafe", loops, restarts);
    return loops * (double) restarts / ((t1 - t0) / 1e9);
  }

  /**
   * The floor under any supervisor built on Vert.x: the same body run with
   * {@code executeBlocking(body, false)}, then {@code setTimer(1)}, then again, with no bookkeeping.
   */
  static double vertx(Vertx vertx, int loops, int restarts) {
    RUNS.reset();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(loops);
    long t0 = System.nanoTime();
    for (int i = 0; i < loops; i++) {
      new Object() {
        int runs;

        void run() {
          vertx.<Void>executeBlocking(() -> {
            FAIL.run(null);
            return null;
          }, false).onComplete(ar -> {
            if (++runs <= restarts) {
              vertx.setTimer(1, id -> run());
            } else {
              done.countDown();
            }
          });
        }
      }.run();
    }
    Util.await(done, 600, "bare Vert.x loops");
    long t1 = System.nanoTime();
    LAST_SWITCHES = Util.contextSwitches();
    check("vertx", loops, restarts);
    return loops * (double) restarts / ((t1 - t0) / 1e9);
  }

  /** One chain of {@code vertx.setTimer(1)}, the failing body run on the event loop in between. */
  static double vertxTimer(Vertx vertx, int restarts) {
    RUNS.reset();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    long t0 = System.nanoTime();
    new Object() {
      int runs;

      void run() {
        try {
          FAIL.run(null);
        } catch (Exception expected) {
          // the loop goes on
        }
        if (++runs <= restarts) {
          vertx.setTimer(1, id -> run());
        } else {
          done.countDown();
        }
      }
    }.run();
    Util.await(done, 600, "Vert.x timer chain");
    long t1 = System.nanoTime();
    LAST_SWITCHES = Util.contextSwitches();
    check("vertx-timer", 1, restarts);
    return restarts / ((t1 - t0) / 1e9);
  }

  /** The same chain on a ScheduledThreadPoolExecutor: {@code schedule(next, 1 ms)}. */
  static double stpeTimer(int restarts) {
    ScheduledExecutorService ses = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "stpe-bench");
      t.setDaemon(true);
      return t;
    });
    RUNS.reset();
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    long t0 = System.nanoTime();
    ses.execute(new Runnable() {
      int runs;

      @Override
      public void run() {
        try {
          FAIL.run(null);
        } catch (Exception expected) {
          // the loop goes on
        }
        if (++runs <= restarts) {
          ses.schedule(this, 1, TimeUnit.MILLISECONDS);
        } else {
          done.countDown();
        }
      }
    });
    Util.await(done, 600, "ScheduledExecutorService chain");
    long t1 = System.nanoTime();
    LAST_SWITCHES = Util.contextSwitches();
    ses.shutdownNow();
    check("stpe-timer", 1, restarts);
    return restarts / ((t1 - t0) / 1e9);
  }

  static void check(String side, int loops, int restarts) {
    long expected = (long) loops * (restarts + 1);
    if (RUNS.sum() != expected) {
      throw new IllegalStateException(side + ": expected " + expected + " runs, saw " + RUNS.sum());
    }
  }
}
