package dev.background.bench;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Tasks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 3: {@code tasks} tasks fail at once under {@code Backoff.fixed(20 ms)} (no jitter),
 * {@code restarts} restarts each. A restart's lateness is the time from when it was due (the
 * moment the failed run handed its failure back, plus 20 ms) to when the task's code runs again.
 * Raw: as many chains of {@code vertx.setTimer(20)}, each timer's lateness measured from the
 * moment before {@code setTimer} was called. All chains start together, on the same event loop
 * as the tracker's own timers (the main thread's context), on both sides.
 */
final class RestartPrecision {

  static final long DELAY_MS = 20;
  static final long DELAY_NS = DELAY_MS * 1_000_000;
  static final RuntimeException BOOM = new PeerRestart.Boom();

  private RestartPrecision() {
  }

  static Result run(boolean quick) {
    int n = quick ? 200 : 1000;
    int restarts = quick ? 10 : 20;
    int reps = 5;
    Result r = new Result("s3-restart-precision", "Restart precision: " + n + " tasks x " + restarts
        + " restarts, Backoff.fixed(20 ms), lateness vs raw setTimer(20)");
    r.params.put("tasks", n).put("restarts", restarts).put("delayMs", DELAY_MS).put("reps", reps);
    Vertx vertx = Vertx.vertx();
    List<String> sides = List.of("ours-async", "ours-blocking", "raw", "raw+thread");
    for (int rep = -1; rep < reps; rep++) {
      for (String side : Util.order(sides, rep + 1)) {
        long[] late = side.equals("raw") ? raw(vertx, n, restarts)
            : side.equals("raw+thread") ? rawThread(vertx, n, restarts)
            : ours(vertx, n, restarts, side.equals("ours-blocking"));
        if (rep >= 0) {
          r.sample(side, "p50", "ms", Util.ms((long) Stat.percentile(late, late.length, 50)));
          r.sample(side, "p99", "ms", Util.ms((long) Stat.percentile(late, late.length, 99)));
          r.sample(side, "max", "ms", Util.ms((long) Stat.percentile(late, late.length, 100)));
        }
      }
    }
    Util.await(vertx.close(), 30);
    for (String side : List.of("ours-async", "ours-blocking")) {
      Stat diff = r.ratio(side + " p99 - raw p99", "difference in ms (not a ratio): ours p99 minus raw p99, rep by rep");
      Stat a = r.stat(side, "p99", "ms");
      Stat b = r.stat("raw", "p99", "ms");
      for (int i = 0; i < a.samples.size(); i++) {
        diff.add(a.samples.get(i) - b.samples.get(i));
      }
      r.ratioOf(side + "/raw p99", "ours p99 / raw p99 (lower is better)", a, b);
      r.target(side, "p99 <= raw p99 + 2 ms", diff.median(), diff.median() <= 2.0);
    }
    for (String side : List.of("ours-async", "ours-blocking")) {
      String kind = side.substring(5);
      r.row("lateness p50, " + kind + " task", side, "raw", "p50", null, null);
      r.row("lateness p99, " + kind + " task", side, "raw", "p99", side + " p99 - raw p99", side);
      r.row("lateness max, " + kind + " task", side, "raw", "max", null, null);
    }
    r.ratioOf("ours-blocking/raw+thread p99", "ours (blocking) p99 / setTimer then a cached-pool thread p99",
        r.stat("ours-blocking", "p99", ""), r.stat("raw+thread", "p99", ""));
    r.row("lateness p50, setTimer + own thread", "raw+thread", "raw", "p50", null, null);
    r.row("lateness p99, setTimer + own thread", "raw+thread", "raw", "p99", null, null);
    r.row("lateness p99, blocking task vs setTimer + own thread", "ours-blocking", "raw+thread", "p99",
        "ours-blocking/raw+thread p99", null);
    return r;
  }

  static Backoff backoff(int restarts) {
    return Backoff.builder().initialInterval(Duration.ofMillis(DELAY_MS))
        .maxInterval(Duration.ofMillis(DELAY_MS)).multiplier(1.0).randomizationFactor(0.0)
        .maxAttempts(restarts + 1).build();
  }

  /** The lateness of every restart, in nanoseconds. */
  static long[] ours(Vertx vertx, int n, int restarts, boolean blocking) {
    Tasks tasks = Tasks.create(vertx);
    long[] late = new long[n * restarts];
    AtomicInteger idx = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    Backoff backoff = backoff(restarts);
    for (int i = 0; i < n; i++) {
      long[] failedAt = new long[1];
      if (blocking) {
        tasks.run("p" + i, ctx -> {
          long now = System.nanoTime();
          if (ctx.attempt() > 1) {
            late[idx.getAndIncrement()] = now - failedAt[0] - DELAY_NS;
          }
          failedAt[0] = System.nanoTime();
          throw BOOM;
        }, backoff, RunOption.exactName()).completion().onComplete(x -> done.countDown());
      } else {
        tasks.runAsync("p" + i, ctx -> {
          long now = System.nanoTime();
          if (ctx.attempt() > 1) {
            late[idx.getAndIncrement()] = now - failedAt[0] - DELAY_NS;
          }
          failedAt[0] = System.nanoTime();
          return Future.failedFuture(BOOM);
        }, backoff, RunOption.exactName()).completion().onComplete(x -> done.countDown());
      }
    }
    Util.await(done, 120, "restart precision (ours)");
    Util.await(tasks.close(), 30);
    if (idx.get() != late.length) {
      throw new IllegalStateException("expected " + late.length + " restarts, saw " + idx.get());
    }
    return late;
  }

  /**
   * The floor for a blocking task: the timer fires on the event loop, then the body runs on a
   * thread of its own (a cached pool: an idle thread or a new one), fails, and the next timer is
   * set from that thread, as the library does for a blocking task.
   */
  static long[] rawThread(Vertx vertx, int n, int restarts) {
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "raw-thread");
      t.setDaemon(true);
      return t;
    });
    long[] late = new long[n * restarts];
    AtomicInteger idx = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      Chain chain = new Chain() {
        int count;

        @Override
        public void arm() {
          long setAt = System.nanoTime();
          vertx.setTimer(DELAY_MS, id -> pool.execute(() -> {
            late[idx.getAndIncrement()] = System.nanoTime() - setAt - DELAY_NS;
            if (++count < restarts) {
              arm();
            } else {
              done.countDown();
            }
          }));
        }
      };
      // The first run is on a pool thread too, as a blocking task's is: the pool holds a thread
      // per chain before the first timer fires, as the library's does.
      pool.execute(chain::arm);
    }
    Util.await(done, 120, "restart precision (raw+thread)");
    pool.shutdown();
    return late;
  }

  interface Chain {
    void arm();
  }

  static long[] raw(Vertx vertx, int n, int restarts) {
    long[] late = new long[n * restarts];
    AtomicInteger idx = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      new Object() {
        int count;

        void arm() {
          long setAt = System.nanoTime();
          vertx.setTimer(DELAY_MS, id -> {
            late[idx.getAndIncrement()] = System.nanoTime() - setAt - DELAY_NS;
            if (++count < restarts) {
              arm();
            } else {
              done.countDown();
            }
          });
        }
      }.arm();
    }
    Util.await(done, 120, "restart precision (raw)");
    return late;
  }
}
