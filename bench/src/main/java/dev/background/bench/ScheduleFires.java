package dev.background.bench;

import dev.background.AsyncTask;
import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.TaskHandle;
import dev.background.TaskStatus;
import dev.background.Tasks;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 9 (issue 12, schedules): {@code n} {@code scheduleAsync(every(1s))} schedules for
 * {@code seconds} seconds, against {@code n} chains of raw {@code vertx.setTimer(1000)}. A fire's
 * lateness is its start minus (the previous fire's start plus 1 s): for an {@code every} schedule
 * the next slot is 1 s after the run ends, and the trivial async body ends at once, so the engine's
 * work after a run is inside the figure. Also: the retained heap per schedule while they idle
 * between fires, and the fires missed or skipped (from the statuses; must be 0), and how many
 * fires each schedule made against the seconds it ran.
 *
 * <p>The duration is {@code -Dbench.scheduleSeconds} (bench/run {@code --schedule-seconds=N});
 * default 6 s (3 s in --quick). Until the schedule engine is merged {@code Tasks.scheduleAsync}
 * throws {@link UnsupportedOperationException}: the scenario then reports "not run".
 */
final class ScheduleFires {

  private ScheduleFires() {
  }

  /** Lateness samples in microseconds, shared by the chains of one side. */
  static final class Samples {
    final long[] micros;
    final AtomicInteger count = new AtomicInteger();

    Samples(int capacity) {
      micros = new long[capacity];
    }

    void add(long lateMicros) {
      int i = count.getAndIncrement();
      if (i < micros.length) {
        micros[i] = lateMicros;
      }
    }

    double percentileMs(double p) {
      int c = Math.min(count.get(), micros.length);
      return Stat.percentile(micros, c, p) / 1000.0;
    }
  }

  static Result run(boolean quick) {
    int n = quick ? 2_000 : 10_000;
    int seconds = Integer.getInteger("bench.scheduleSeconds", quick ? 3 : 6);
    int reps = quick ? 3 : 5;
    Result r = new Result("s9-schedule-fires", n + " every(1s) async schedules for " + seconds
        + " s vs raw setTimer(1000) chains");
    r.params.put("schedules", n).put("seconds", seconds).put("reps", reps);
    Vertx vertx = Vertx.vertx();
    try {
      probe(vertx);
    } catch (UnsupportedOperationException e) {
      Util.await(vertx.close(), 30);
      r.notes.put("notRun", "schedules unavailable (Tasks.scheduleAsync: " + e.getMessage() + ")");
      return r;
    }
    List<String> sides = List.of("ours", "raw");
    for (int rep = -1; rep < reps; rep++) {
      for (String side : Util.order(sides, rep + 1)) {
        double[] f = side.equals("ours") ? ours(vertx, n, seconds) : raw(vertx, n, seconds);
        if (rep >= 0) {
          r.sample(side, "latenessP50", "ms", f[0]);
          r.sample(side, "latenessP99", "ms", f[1]);
          r.sample(side, "latenessMax", "ms", f[2]);
          r.sample(side, "heapPerSchedule", "B", f[3]);
          r.sample(side, "missedOrSkipped", "", f[4]);
          r.sample(side, "firesPerSecondPerSchedule", "", f[5]);
        }
      }
    }
    Util.await(vertx.close(), 30);
    Stat p99 = r.ratio("p99 ours - raw", "difference of the lateness p99, ours - raw (ms)");
    Stat ours99 = r.stat("ours", "latenessP99", "ms");
    Stat raw99 = r.stat("raw", "latenessP99", "ms");
    for (int i = 0; i < Math.min(ours99.samples.size(), raw99.samples.size()); i++) {
      p99.add(ours99.samples.get(i) - raw99.samples.get(i));
    }
    double diff = p99.median();
    double heap = r.stat("ours", "heapPerSchedule", "B").median();
    double missed = r.stat("ours", "missedOrSkipped", "").median();
    r.target("lateness p99", "p99 <= raw p99 + 2 ms", diff, diff <= 2);
    r.target("heap per idle schedule", "<= 1024 B", heap, heap <= 1024);
    r.target("no slot missed", "missed + skipped fires = 0", missed, missed == 0
        && r.stat("ours", "missedOrSkipped", "").max() == 0);
    r.row("fire lateness p50", "ours", "raw", "latenessP50", null, null);
    r.row("fire lateness p99", "ours", "raw", "latenessP99", "p99 ours - raw", "lateness p99");
    r.row("fire lateness max", "ours", "raw", "latenessMax", null, null);
    r.row("retained heap per idle schedule", "ours", "raw", "heapPerSchedule", null, "heap per idle schedule");
    r.row("fires missed or skipped (all schedules)", "ours", null, "missedOrSkipped", null, "no slot missed");
    r.row("fires per schedule per second", "ours", "raw", "firesPerSecondPerSchedule", null, null);
    return r;
  }

  /** Throws UnsupportedOperationException while the engine has no schedules. */
  private static void probe(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    try {
      tasks.scheduleAsync("probe", Schedule.every(Duration.ofHours(1)), ctx -> Future.succeededFuture(),
          RunOption.exactName()).cancel();
    } finally {
      Util.await(tasks.close(), 30);
    }
  }

  /** {p50, p99, max lateness in ms, heap per schedule, missed + skipped, fires per second each}. */
  static double[] ours(Vertx vertx, int n, int seconds) {
    Tasks tasks = Tasks.create(vertx);
    Samples samples = new Samples(n * (seconds + 2));
    AtomicLong fires = new AtomicLong();
    long[] last = new long[n];
    Schedule every = Schedule.every(Duration.ofSeconds(1));
    List<TaskHandle> handles = new ArrayList<>(n);
    long before = Util.usedHeapAfterGc();
    for (int i = 0; i < n; i++) {
      int k = i;
      AsyncTask body = ctx -> {
        long now = System.nanoTime();
        long prev = last[k];
        last[k] = now;
        fires.incrementAndGet();
        if (prev != 0) {
          samples.add((now - prev - 1_000_000_000L) / 1000);
        }
        return Future.succeededFuture();
      };
      handles.add(tasks.scheduleAsync("every-" + i, every, body, RunOption.exactName()));
    }
    long t0 = System.nanoTime();
    Util.pause(400);
    long after = Util.usedHeapAfterGc();
    Util.pause(Math.max(0, seconds * 1000L - (System.nanoTime() - t0) / 1_000_000));
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long missed = 0;
    for (TaskHandle h : handles) {
      TaskStatus s = h.status();
      missed += s.missedFires() + s.skippedFires();
    }
    Util.await(tasks.close(), 60);
    return new double[] {samples.percentileMs(50), samples.percentileMs(99), samples.percentileMs(100),
        (after - before) / (double) n, missed, fires.get() / (double) n / elapsed};
  }

  /** The same measure for chains of raw setTimer(1000), started together on one event loop. */
  static double[] raw(Vertx vertx, int n, int seconds) {
    Samples samples = new Samples(n * (seconds + 2));
    AtomicLong fires = new AtomicLong();
    long[] last = new long[n];
    long[] timers = new long[n];
    Context loop = vertx.getOrCreateContext();
    long before = Util.usedHeapAfterGc();
    CountDownLatch armed = new CountDownLatch(1);
    loop.runOnContext(v -> {
      for (int i = 0; i < n; i++) {
        int k = i;
        last[k] = System.nanoTime();
        timers[k] = vertx.setTimer(1000, new io.vertx.core.Handler<Long>() {
          @Override
          public void handle(Long id) {
            long now = System.nanoTime();
            samples.add((now - last[k] - 1_000_000_000L) / 1000);
            last[k] = now;
            fires.incrementAndGet();
            timers[k] = vertx.setTimer(1000, this);
          }
        });
      }
      armed.countDown();
    });
    Util.await(armed, 30, "arm raw timers");
    long t0 = System.nanoTime();
    Util.pause(400);
    long after = Util.usedHeapAfterGc();
    Util.pause(Math.max(0, seconds * 1000L - (System.nanoTime() - t0) / 1_000_000));
    double elapsed = (System.nanoTime() - t0) / 1e9;
    CountDownLatch cancelled = new CountDownLatch(1);
    loop.runOnContext(v -> {
      for (long t : timers) {
        vertx.cancelTimer(t);
      }
      cancelled.countDown();
    });
    Util.await(cancelled, 30, "cancel raw timers");
    return new double[] {samples.percentileMs(50), samples.percentileMs(99), samples.percentileMs(100),
        (after - before) / (double) n, 0, fires.get() / (double) n / elapsed};
  }
}
