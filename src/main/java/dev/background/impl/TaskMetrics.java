package dev.background.impl;

import dev.background.TaskKind;
import dev.background.TasksOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Task metrics in Micrometer: gauges {@code background.tasks.running} and
 * {@code once.tasks.running}; counters {@code background.tasks.total} (run starts),
 * {@code once.tasks.total}, {@code background.task.restarts{task}}, {@code once.task.executed{task}},
 * {@code once.task.errors{task}}; timer {@code background.task.duration{task,kind,outcome}}.
 * Without a registry every method does nothing.
 */
final class TaskMetrics {

  static final String RUNNING_RUN = "background.tasks.running";
  static final String RUNNING_ONCE = "once.tasks.running";
  static final String TOTAL_RUN = "background.tasks.total";
  static final String TOTAL_ONCE = "once.tasks.total";
  static final String RESTARTS = "background.task.restarts";
  static final String ONCE_EXECUTED = "once.task.executed";
  static final String ONCE_ERRORS = "once.task.errors";
  static final String DURATION = "background.task.duration";

  /**
   * One pair of running gauges per registry, so that several trackers on one registry add up
   * instead of hiding each other (Micrometer keeps the first object a gauge was registered with).
   */
  private static final Map<MeterRegistry, AtomicInteger[]> GAUGES = new WeakHashMap<>();

  private final MeterRegistry registry;
  private final AtomicInteger runRunning;
  private final AtomicInteger onceRunning;
  private final Counter runTotal;
  private final Counter onceTotal;

  private TaskMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry == null) {
      runRunning = new AtomicInteger();
      onceRunning = new AtomicInteger();
      runTotal = null;
      onceTotal = null;
      return;
    }
    AtomicInteger[] gauges;
    synchronized (GAUGES) {
      gauges = GAUGES.computeIfAbsent(registry, r -> new AtomicInteger[] {
          r.gauge(RUNNING_RUN, Tags.empty(), new AtomicInteger()),
          r.gauge(RUNNING_ONCE, Tags.empty(), new AtomicInteger())});
    }
    runRunning = gauges[0];
    onceRunning = gauges[1];
    runTotal = Counter.builder(TOTAL_RUN).description("Runs started by restarted tasks")
        .register(registry);
    onceTotal = Counter.builder(TOTAL_ONCE).description("Once tasks started").register(registry);
  }

  /**
   * The registry in the options, else the one of vertx-micrometer-metrics under its default name
   * when {@code vertx} has metrics enabled, else none.
   */
  static TaskMetrics create(Vertx vertx, TasksOptions options) {
    MeterRegistry registry = options.getMeterRegistry();
    return new TaskMetrics(registry != null ? registry : vertxRegistry(vertx));
  }

  /**
   * vertx-micrometer-metrics keeps its registries by name ({@code MicrometerMetricsOptions
   * .setRegistryName}, default {@code "default"}), and its public API ({@link BackendRegistries})
   * finds them by name only: a Vert.x instance does not tell which name it was built with. So the
   * registry found is the one under the default name; an application that names its own passes
   * {@code BackendRegistries.getNow(name)} in {@link TasksOptions#setMeterRegistry}. Null when
   * there is none, or when vertx-micrometer-metrics is not there at all.
   */
  private static MeterRegistry vertxRegistry(Vertx vertx) {
    if (!vertx.isMetricsEnabled()) {
      return null;
    }
    try {
      return BackendRegistries.getDefaultNow();
    } catch (LinkageError e) {
      return null;
    }
  }

  MeterRegistry registry() {
    return registry;
  }

  Meters meters(String task, TaskKind kind, Map<String, String> extraTags) {
    return registry == null ? Meters.NONE : new Meters(registry, task, kind, extraTags);
  }

  void started(TaskKind kind) {
    if (registry == null) {
      return;
    }
    if (kind == TaskKind.RUN) {
      runRunning.incrementAndGet();
      runTotal.increment();
    } else {
      onceRunning.incrementAndGet();
      onceTotal.increment();
    }
  }

  void ended(TaskKind kind) {
    if (registry != null) {
      (kind == TaskKind.RUN ? runRunning : onceRunning).decrementAndGet();
    }
  }

  /**
   * The meters of one task name, kept while it lives: its counters are made when the task is
   * submitted (so they read 0 until something happens), its duration timers on first use.
   */
  static final class Meters {
    static final Meters NONE = new Meters();

    private final MeterRegistry registry;
    private final Counter restarts;
    private final Counter executed;
    private final Counter errors;
    /**
     * The task's tags, shared with its counters' ids; the duration timers add its kind and their
     * outcome when they are registered (not kept ready: most tasks never need them).
     */
    private final Tags tags;
    private final TaskKind kind;
    /**
     * The duration timers are registered when the first run with their outcome ends, not when the
     * task is submitted: a timer is the heaviest meter (about 600 bytes in a SimpleMeterRegistry)
     * and a task that idles in its first run, or never fails, never needs one or both. Registering
     * twice is harmless: the registry hands back the meter it already has for that id.
     */
    private volatile Timer success;
    private volatile Timer failure;

    private Meters() {
      registry = null;
      restarts = executed = errors = null;
      tags = null;
      kind = null;
    }

    private Meters(MeterRegistry registry, String task, TaskKind kind, Map<String, String> extra) {
      this.registry = registry;
      Tags tags = Tags.of("task", task);
      for (Map.Entry<String, String> e : extra.entrySet()) {
        tags = tags.and(e.getKey(), e.getValue());
      }
      if (kind == TaskKind.RUN) {
        restarts = Counter.builder(RESTARTS).tags(tags).register(registry);
        executed = errors = null;
      } else {
        restarts = null;
        executed = Counter.builder(ONCE_EXECUTED).tags(tags).register(registry);
        errors = Counter.builder(ONCE_ERRORS).tags(tags).register(registry);
      }
      this.tags = tags;
      this.kind = kind;
    }

    void restarted() {
      if (restarts != null) {
        restarts.increment();
      }
    }

    void ended(long nanos, boolean failed) {
      ended(nanos, failed, true);
    }

    /**
     * Counts the end of a run; {@code newTimer} false records its duration only in a timer that
     * exists already. The tracker passes false for runs that end once it is closing: registering
     * a timer costs more than the rest of a task's close (about two thirds of {@code close()} of
     * 100,000 idle tasks that never ended a run before), and the duration of a run cut short by
     * the shutdown says nothing about the task. The counters count every run.
     */
    void ended(long nanos, boolean failed, boolean newTimer) {
      if (registry == null) {
        return;
      }
      Timer t = newTimer ? timer(failed) : failed ? failure : success;
      if (t != null) {
        t.record(nanos, TimeUnit.NANOSECONDS);
      }
      if (executed != null) {
        executed.increment();
        if (failed) {
          errors.increment();
        }
      }
    }

    /**
     * Removes these meters from the registry, for a name that has left the registry for good;
     * later updates of them go nowhere. The tracker-wide counters keep counting.
     */
    void remove() {
      if (registry == null) {
        return;
      }
      for (io.micrometer.core.instrument.Meter m : new io.micrometer.core.instrument.Meter[] {
          restarts, executed, errors, success, failure}) {
        if (m != null) {
          registry.remove(m);
        }
      }
    }

    private Timer timer(boolean failed) {
      Timer t = failed ? failure : success;
      if (t == null) {
        t = Timer.builder(DURATION).tags(tags).tag("kind", kind.wireName())
            .tag("outcome", failed ? "failure" : "success").register(registry);
        if (failed) {
          failure = t;
        } else {
          success = t;
        }
      }
      return t;
    }
  }
}
