package dev.background.bench;

import dev.background.AsyncTask;
import dev.background.RunOption;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.TasksSummary;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 8 (issue 15, memory that stays bounded): {@code n} {@code onceAsync} tasks, each under
 * a name of its own, submitted from an event loop in batches of 10,000, each batch awaited; the
 * used heap after full GCs is read at the 20 % mark and at the end. With the default retention
 * (1,000 idle names, 24 h) the heap must stay flat: the figure is its growth from the 20 % mark to
 * the end. Sides: "ours" (no metrics, {@code n} names), "ours+metrics" (per-task meters in a
 * Prometheus registry, {@code n / 5} names: registering and removing three meters per name is
 * most of its cost), "unbounded" (no metrics, a retention that keeps everything, {@code n / 10}
 * names: what each name would cost without the retention). Also: the meters in the registry, the
 * size of the Prometheus scrape at the end, and that the summary's totals count every run.
 *
 * <p>A soak is long by itself, so its repetitions are fewer than elsewhere: 3 (1 in --quick),
 * without a discarded warm-up.
 */
final class RetentionSoak {

  private RetentionSoak() {
  }

  static Result run(boolean quick) {
    int n = quick ? 100_000 : 1_000_000;
    int reps = quick ? 1 : 3;
    Result r = new Result("s8-retention-soak", n + " once tasks with unique names: heap after GC "
        + "with the default retention");
    r.params.put("names", n).put("namesWithMetrics", n / 5).put("namesUnbounded", n / 10)
        .put("reps", reps).put("retentionCount", TasksOptions.DEFAULT_ONCE_RETENTION_COUNT)
        .put("retentionAge", TasksOptions.DEFAULT_ONCE_RETENTION_AGE.toString());
    Vertx vertx = Vertx.vertx();
    List<String> sides = List.of("ours", "ours+metrics", "unbounded");
    for (int rep = 0; rep < reps; rep++) {
      for (String side : Util.order(sides, rep)) {
        double[] f = side.equals("ours") ? soak(vertx, n, true, false)
            : side.equals("ours+metrics") ? soak(vertx, n / 5, true, true)
            : soak(vertx, n / 10, false, false);
        r.sample(side, "growthAfter20pct", "B", f[0]);
        r.sample(side, "heapPerRetainedName", "B", f[1]);
        r.sample(side, "namesPerSecond", "1/s", f[4]);
        if (side.equals("ours+metrics")) {
          r.sample(side, "meters", "", f[2]);
          r.sample(side, "scrapeBytes", "B", f[3]);
        }
      }
    }
    Util.await(vertx.close(), 30);
    double growth = r.stat("ours", "growthAfter20pct", "B").median();
    double mgrowth = r.stat("ours+metrics", "growthAfter20pct", "B").median();
    r.target("flat heap", "growth from 20 % to 100 % of the names <= 2 MiB", growth,
        growth <= 2 * 1024 * 1024);
    r.target("flat heap (metrics on)", "growth from 20 % to 100 % of the names <= 2 MiB", mgrowth,
        mgrowth <= 2 * 1024 * 1024);
    double meters = r.stat("ours+metrics", "meters", "").median();
    r.target("bounded meters", "meters <= 3 x retention + 10", meters,
        meters <= 3.0 * TasksOptions.DEFAULT_ONCE_RETENTION_COUNT + 10);
    r.row("heap growth from 20 % to 100 % of the names", "ours", null, "growthAfter20pct", null, "flat heap");
    r.row("heap growth from 20 % to 100 %, metrics on", "ours+metrics", null, "growthAfter20pct", null,
        "flat heap (metrics on)");
    r.row("heap per name kept (the 1,000 retained / every name when unbounded)", "ours", "unbounded",
        "heapPerRetainedName", null, null);
    r.row("heap per name kept, metrics on", "ours+metrics", null, "heapPerRetainedName", null, null);
    r.row("meters in the registry at the end", "ours+metrics", null, "meters", null, "bounded meters");
    r.row("Prometheus scrape at the end", "ours+metrics", null, "scrapeBytes", null, null);
    r.row("once tasks per second (submitted and finished)", "ours", "unbounded", "namesPerSecond", null, null);
    r.row("once tasks per second, metrics on", "ours+metrics", null, "namesPerSecond", null, null);
    return r;
  }

  /**
   * Returns {growth from the 20 % mark to the end, heap per name kept at the end, meters, scrape
   * bytes, names per second}.
   */
  static double[] soak(Vertx vertx, int n, boolean bounded, boolean metrics) {
    PrometheusMeterRegistry registry = metrics ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
    TasksOptions options = new TasksOptions().setMeterRegistry(registry);
    if (!bounded) {
      options.setOnceRetentionCount(Integer.MAX_VALUE).setOnceRetentionAge(Duration.ofDays(36500));
    }
    Tasks tasks = Tasks.create(vertx, options);
    Context loop = vertx.getOrCreateContext();
    AsyncTask task = ctx -> Future.succeededFuture();
    int batch = Math.max(1, Math.min(10_000, n / 10));
    long base = Util.usedHeapAfterGc();
    long at20 = -1;
    long t0 = System.nanoTime();
    long pausedNanos = 0;
    for (int start = 0; start < n; start += batch) {
      int from = start;
      int to = Math.min(n, start + batch);
      CountDownLatch done = new CountDownLatch(to - from);
      AtomicInteger failed = new AtomicInteger();
      loop.runOnContext(v -> {
        for (int i = from; i < to; i++) {
          tasks.onceAsync("soak-" + i, task, RunOption.exactName()).completion().onComplete(ar -> {
            if (ar.failed()) {
              failed.incrementAndGet();
            }
            done.countDown();
          });
        }
      });
      Util.await(done, 120, "batch");
      if (failed.get() > 0) {
        throw new IllegalStateException(failed.get() + " once tasks failed");
      }
      if (at20 < 0 && to >= n / 5) {
        long p0 = System.nanoTime();
        at20 = Util.usedHeapAfterGc();
        pausedNanos += System.nanoTime() - p0;
      }
    }
    double seconds = (System.nanoTime() - t0 - pausedNanos) / 1e9;
    long end = Util.usedHeapAfterGc();
    TasksSummary summary = tasks.summary();
    if (summary.runs() != n || summary.successes() != n) {
      throw new IllegalStateException("summary totals " + summary.runs() + " runs, expected " + n);
    }
    int kept = summary.tasks();
    double meters = registry == null ? 0 : registry.getMeters().size();
    double scrape = registry == null ? 0 : registry.scrape().length();
    Util.await(tasks.close(), 60);
    return new double[] {end - at20, (end - base) / (double) Math.max(1, kept), meters, scrape, n / seconds};
  }
}
