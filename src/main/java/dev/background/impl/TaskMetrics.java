package dev.background.impl;

import dev.background.TaskKind;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Task metrics in Micrometer, every meter with a description (the Prometheus {@code # HELP}).
 *
 * <ul>
 * <li>gauges {@code background.tasks.running} (runs in progress of run and schedule tasks) and
 *   {@code once.tasks.running}; counters {@code background.tasks.total} (runs started by run and
 *   schedule tasks) and {@code once.tasks.total}: no tags;</li>
 * <li>per task, tagged {@code task} plus the tracker's tag keys: counters
 *   {@code background.task.restarts} (run tasks), {@code once.task.executed},
 *   {@code once.task.errors} (once tasks), {@code background.schedule.fires{outcome}},
 *   {@code background.schedule.missed}, {@code background.schedule.skipped} and the timer
 *   {@code background.schedule.lateness} (schedules); the timer
 *   {@code background.task.duration{kind,outcome}} (every kind), with percentile histogram
 *   buckets when {@link TasksOptions#isHistogram()}.</li>
 * </ul>
 *
 * <p><b>One shape per registry.</b> Prometheus requires every meter of one name to carry the same
 * tag keys (and a timer to be a histogram or not, always). So the tag keys and the histogram
 * setting belong to the registry, not to a task: the first tracker made on a registry fixes them
 * ({@link TasksOptions#getMetricTagKeys()}, {@link TasksOptions#isHistogram()}), and every task
 * meter of every tracker on it carries exactly those keys, with the empty value for a task that
 * has none. A task tag whose key is not one of them is left off the meters (warned once per key
 * and tracker). Without a registry every method does nothing.
 */
final class TaskMetrics {

  private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);

  static final String RUNNING_RUN = "background.tasks.running";
  static final String RUNNING_ONCE = "once.tasks.running";
  static final String TOTAL_RUN = "background.tasks.total";
  static final String TOTAL_ONCE = "once.tasks.total";
  static final String RESTARTS = "background.task.restarts";
  static final String ONCE_EXECUTED = "once.task.executed";
  static final String ONCE_ERRORS = "once.task.errors";
  static final String DURATION = "background.task.duration";
  static final String SCHEDULE_FIRES = "background.schedule.fires";
  static final String SCHEDULE_MISSED = "background.schedule.missed";
  static final String SCHEDULE_SKIPPED = "background.schedule.skipped";
  static final String SCHEDULE_LATENESS = "background.schedule.lateness";

  /** The range of the duration histogram's buckets, when it has them. */
  static final Duration HISTOGRAM_MIN = Duration.ofMillis(1);
  static final Duration HISTOGRAM_MAX = Duration.ofHours(1);

  /**
   * What every tracker on one registry shares: the running gauges (so that several trackers add
   * up instead of hiding each other: Micrometer keeps the first object a gauge was registered
   * with) and the shape of the task meters.
   */
  private static final Map<MeterRegistry, Shared> SHARED = new WeakHashMap<>();

  private static final class Shared {
    final AtomicInteger runRunning = new AtomicInteger();
    final AtomicInteger onceRunning = new AtomicInteger();
    final List<String> tagKeys;
    final boolean histogram;

    Shared(MeterRegistry registry, TasksOptions options) {
      this.tagKeys = options.getMetricTagKeys();
      this.histogram = options.isHistogram();
      Gauge.builder(RUNNING_RUN, runRunning, AtomicInteger::get)
          .description("Runs in progress of run and schedule tasks").register(registry);
      Gauge.builder(RUNNING_ONCE, onceRunning, AtomicInteger::get)
          .description("Executions in progress of once tasks").register(registry);
    }
  }

  private final MeterRegistry registry;
  private final Shared shared;
  /**
   * The tracker's totals over its life, for {@link dev.background.Tasks#summary()}: kept here,
   * beside every run's start and end, so that a summary reads four adders instead of every
   * task's statistics.
   */
  private final LongAdder runs = new LongAdder();
  private final LongAdder restarts = new LongAdder();
  private final LongAdder successes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final Counter runTotal;
  private final Counter onceTotal;
  /** The task tag keys already warned about, as left off the meters. */
  private final Set<String> warnedKeys = ConcurrentHashMap.newKeySet();

  private TaskMetrics(MeterRegistry registry, TasksOptions options) {
    this.registry = registry;
    if (registry == null) {
      shared = null;
      runTotal = null;
      onceTotal = null;
      return;
    }
    boolean made;
    Shared s;
    synchronized (SHARED) {
      s = SHARED.get(registry);
      made = s == null;
      if (made) {
        s = new Shared(registry, options);
        SHARED.put(registry, s);
      }
    }
    shared = s;
    if (!made) {
      checkShape(options);
    }
    runTotal = Counter.builder(TOTAL_RUN).description("Runs started by run and schedule tasks")
        .register(registry);
    onceTotal = Counter.builder(TOTAL_ONCE).description("Executions of once tasks started")
        .register(registry);
  }

  /**
   * A tracker left at the defaults takes the registry's shape; one that asks for another keeps
   * the registry's, and is told.
   */
  private void checkShape(TasksOptions options) {
    List<String> keys = options.getMetricTagKeys();
    if (!keys.isEmpty() && !keys.equals(shared.tagKeys)) {
      LOG.warn("Tasks.create: TasksOptions.metricTagKeys {} differ from {}, fixed on this meter "
          + "registry by the first tracker made on it; this tracker's meters carry {} (Prometheus "
          + "needs one set of tag keys per meter name)", keys, shared.tagKeys, shared.tagKeys);
    }
    if (options.isHistogram() && !shared.histogram) {
      LOG.warn("Tasks.create: TasksOptions.histogram is on, but the first tracker made on this "
          + "meter registry has it off; {} stays without histogram buckets", DURATION);
    }
  }

  /**
   * The registry in the options, else the one of vertx-micrometer-metrics under its default name
   * when {@code vertx} has metrics enabled, else none.
   */
  static TaskMetrics create(Vertx vertx, TasksOptions options) {
    MeterRegistry registry = options.getMeterRegistry();
    return new TaskMetrics(registry != null ? registry : vertxRegistry(vertx), options);
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

  /** The tag keys every task meter carries besides {@code task}; empty without a registry. */
  List<String> tagKeys() {
    return shared == null ? List.of() : shared.tagKeys;
  }

  Meters meters(String task, TaskKind kind, Map<String, String> taskTags) {
    if (registry == null) {
      return Meters.NONE;
    }
    Tags tags = Tags.of("task", task);
    for (String key : shared.tagKeys) {
      tags = tags.and(key, taskTags.getOrDefault(key, ""));
    }
    for (String key : taskTags.keySet()) {
      if (!shared.tagKeys.contains(key) && warnedKeys.add(key)) {
        LOG.warn("{}: tag \"{}\" is not one of the tracker's metric tag keys {}; it is left off "
            + "the meters (declare it with TasksOptions.setMetricTagKeys or config "
            + "metrics.tagKeys)", task, key, shared.tagKeys);
      }
    }
    return new Meters(registry, kind, tags, shared.histogram);
  }

  /** Adds runs, successes, failures and restarts so far to {@code totals}, in that order. */
  void addTotals(long[] totals) {
    totals[0] += runs.sum();
    totals[1] += successes.sum();
    totals[2] += failures.sum();
    totals[3] += restarts.sum();
  }

  /** Schedules count as run tasks: their runs are runs of a task that runs again. */
  private static boolean once(TaskKind kind) {
    return kind == TaskKind.ONCE;
  }

  /**
   * A run of a task of this tracker started ({@code restart}: started by a restart). Also counts it
   * in the tracker's totals ({@link #addTotals}), with or without a registry.
   */
  void started(TaskKind kind, boolean restart) {
    runs.increment();
    if (restart) {
      restarts.increment();
    }
    if (registry == null) {
      return;
    }
    if (once(kind)) {
      shared.onceRunning.incrementAndGet();
      onceTotal.increment();
    } else {
      shared.runRunning.incrementAndGet();
      runTotal.increment();
    }
  }

  /** A run ended, {@code failed} or not; counted in the tracker's totals too. */
  void ended(TaskKind kind, boolean failed) {
    (failed ? failures : successes).increment();
    if (registry != null) {
      (once(kind) ? shared.onceRunning : shared.runRunning).decrementAndGet();
    }
  }

  /**
   * The meters of one task name, kept while it lives: its counters are made when the task is
   * submitted (so they read 0 until something happens), its timers on first use. Thread-safe.
   */
  static final class Meters {
    static final Meters NONE = new Meters();

    private final MeterRegistry registry;
    /** The task's tags: {@code task} and the registry's tag keys. */
    private final Tags tags;
    private final TaskKind kind;
    private final boolean histogram;
    private final Counter restarts;
    private final Counter executed;
    private final Counter errors;
    private final Counter firesSuccess;
    private final Counter firesFailure;
    private final Counter missed;
    private final Counter skipped;
    /**
     * The timers are registered when first used, not when the task is submitted: a timer is the
     * heaviest meter (about 600 bytes in a SimpleMeterRegistry) and a task that idles in its first
     * run, or never fails, never needs one or both. Registering twice is harmless: the registry
     * hands back the meter it already has for that id.
     */
    private volatile Timer success;
    private volatile Timer failure;
    private volatile Timer lateness;
    /** After {@link #remove()}: every method does nothing, so no meter comes back. */
    private volatile boolean removed;

    private Meters() {
      registry = null;
      tags = null;
      kind = null;
      histogram = false;
      restarts = executed = errors = firesSuccess = firesFailure = missed = skipped = null;
      removed = true;
    }

    private Meters(MeterRegistry registry, TaskKind kind, Tags tags, boolean histogram) {
      this.registry = registry;
      this.kind = kind;
      this.tags = tags;
      this.histogram = histogram;
      restarts = kind == TaskKind.RUN ? counter(RESTARTS, tags,
          "Runs of a run task started by a restart (every run after the first)") : null;
      if (kind == TaskKind.ONCE) {
        executed = counter(ONCE_EXECUTED, tags, "Executions of a once task that ended");
        errors = counter(ONCE_ERRORS, tags, "Executions of a once task that failed");
      } else {
        executed = errors = null;
      }
      if (kind == TaskKind.SCHEDULE) {
        String fires = "Runs started by a schedule (its slots and triggers) that ended, by outcome";
        firesSuccess = counter(SCHEDULE_FIRES, tags.and("outcome", "success"), fires);
        firesFailure = counter(SCHEDULE_FIRES, tags.and("outcome", "failure"), fires);
        missed = counter(SCHEDULE_MISSED, tags,
            "Slots of a schedule that came due and did not run (see Misfire)");
        skipped = counter(SCHEDULE_SKIPPED, tags,
            "Slots of a schedule that came due while its run was running and did not run "
                + "(see Overlap)");
      } else {
        firesSuccess = firesFailure = missed = skipped = null;
      }
    }

    private Counter counter(String name, Tags tags, String description) {
      return Counter.builder(name).tags(tags).description(description).register(registry);
    }

    void restarted() {
      if (restarts != null && !removed) {
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
      if (registry == null || removed) {
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
     * A run started by a schedule ended; {@code outcome} is {@code "success"} or
     * {@code "failure"}.
     */
    void scheduleFired(String outcome) {
      if (firesSuccess == null || removed) {
        return;
      }
      if ("success".equals(outcome)) {
        firesSuccess.increment();
      } else if ("failure".equals(outcome)) {
        firesFailure.increment();
      } else {
        throw new IllegalArgumentException("scheduleFired: outcome must be \"success\" or "
            + "\"failure\", was \"" + outcome + "\"");
      }
    }

    /** {@code count} slots of a schedule came due and did not run. */
    void scheduleMissed(long count) {
      if (missed != null && !removed && count > 0) {
        missed.increment(count);
      }
    }

    /** A slot came due while the schedule's run was running, and did not run. */
    void scheduleSkipped() {
      if (skipped != null && !removed) {
        skipped.increment();
      }
    }

    /** A schedule's run started {@code nanos} after its slot. */
    void scheduleLateness(long nanos) {
      if (kind != TaskKind.SCHEDULE || removed) {
        return;
      }
      Timer t = lateness;
      if (t == null) {
        t = Timer.builder(SCHEDULE_LATENESS).tags(tags)
            .description("How late the runs of a schedule started after their slot")
            .register(registry);
        lateness = t;
      }
      t.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /**
     * Removes this name's meters from the registry, for a name that leaves the tracker; from then
     * on every method does nothing. A name submitted again later gets new meters, from 0. Only
     * for the last task of a name: the registry identifies meters by name and tags, so a task that
     * took the name over shares them.
     */
    void remove() {
      if (removed) {
        return;
      }
      removed = true;
      List<Meter> all = new ArrayList<>();
      for (Meter m : new Meter[] {restarts, executed, errors, firesSuccess, firesFailure, missed,
          skipped, success, failure, lateness}) {
        if (m != null) {
          all.add(m);
        }
      }
      for (Meter m : all) {
        registry.remove(m);
      }
      // A timer registered by another thread between the flag and here is removed by its id: a
      // lookup, where a registry search would scan every meter (a retention dropping names one by
      // one would then cost the registry's size per name).
      for (String outcome : new String[] {"success", "failure"}) {
        registry.removeByPreFilterId(new Meter.Id(DURATION, tags.and("kind", kind.wireName())
            .and("outcome", outcome), null, null, Meter.Type.TIMER));
      }
    }

    private Timer timer(boolean failed) {
      Timer t = failed ? failure : success;
      if (t == null) {
        Timer.Builder b = Timer.builder(DURATION).tags(tags).tag("kind", kind.wireName())
            .tag("outcome", failed ? "failure" : "success")
            .description("How long the runs of a task lasted, by outcome");
        if (histogram) {
          b.publishPercentileHistogram().minimumExpectedValue(HISTOGRAM_MIN)
              .maximumExpectedValue(HISTOGRAM_MAX);
        }
        t = b.register(registry);
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
