package dev.background.impl;

import dev.background.Schedule;
import dev.background.TaskError;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The record of one task name: a {@code run} task's own, or the sum of every execution of a
 * {@code once} name. It keeps the counters, the run history and the meters, and makes the
 * {@link TaskStatus} snapshots. Guarded by its own monitor, always taken after a supervisor's.
 */
final class Stats {

  final String name;
  final String shortName;
  final TaskKind kind;
  final Map<String, String> tags;
  /** Whether its failure makes health DOWN ({@code RunOption.critical}). */
  final boolean critical;
  /** What is logged of its runs' ends. */
  final RunLog log;
  private final TaskMetrics metrics;
  private final TaskMetrics.Meters meters;
  private final String node;
  private final int historySize;
  /** Null until the first run ends (or for good with a history size of 0). */
  private RunHistory history;

  private long runs;
  private long successes;
  private long failures;
  private long restarts;
  private int consecutiveFailures;
  private int running;
  /** For a once name: executions waiting for their start delay. */
  private int pending;
  /**
   * The last start and end as epoch second and nano (-1: none yet), not as Instants: a run writes
   * them, and a reference to a fresh Instant in a long-lived Stats would be one more object, and
   * one more dirty card, for every young collection to deal with (ten thousand schedules fire ten
   * thousand runs a second).
   */
  private long lastStartedSecond;
  private int lastStartedNano = -1;
  private long lastEndedSecond;
  private int lastEndedNano = -1;
  private TaskError lastError;
  /** Volatile: read without the monitor when a run starts (one lock less per run). */
  private volatile Throwable lastThrowable;
  /** For a once name: the final state of its latest finished execution. */
  private volatile TaskState lastOutcome = TaskState.PENDING;

  /** With the kind's default {@code critical} and failures logged at WARN. */
  Stats(String name, String shortName, TaskKind kind, Map<String, String> tags, TaskMetrics metrics,
      int historySize, String node) {
    this(name, shortName, kind, tags, TaskStatus.defaultCritical(kind), "warn", metrics,
        historySize, node);
  }

  /** With the tags, {@code critical} and log level of {@code settings}. */
  Stats(String name, String shortName, TaskKind kind, RunSettings settings, TaskMetrics metrics,
      int historySize, String node) {
    this(name, shortName, kind, settings.tags, settings.critical(kind), settings.logLevel, metrics,
        historySize, node);
  }

  private Stats(String name, String shortName, TaskKind kind, Map<String, String> tags,
      boolean critical, String logLevel, TaskMetrics metrics, int historySize, String node) {
    this.critical = critical;
    this.log = new RunLog(name, logLevel);
    this.historySize = historySize;
    this.node = node;
    this.name = name;
    this.shortName = shortName;
    this.kind = kind;
    this.tags = tags;
    this.metrics = metrics;
    this.meters = metrics.meters(name, kind, tags);
  }

  /** A run started at {@code now}; {@code restart}: started by a restart, not the first. */
  synchronized void started(Instant now, boolean restart) {
    runs++;
    running++;
    if (restart) {
      restarts++;
      meters.restarted();
    }
    lastStartedSecond = now.getEpochSecond();
    lastStartedNano = now.getNano();
    metrics.started(kind, restart);
  }

  /**
   * {@link #ended(Instant, Throwable, TaskError, Instant, long, String)} with the failure's class
   * as its signature (a signature made from user code must be made before the monitor).
   */
  synchronized int ended(Instant now, Throwable failure, TaskError error, Instant startedAt,
      long durationNanos) {
    return ended(now, failure, error, startedAt, durationNanos,
        failure == null ? null : failure.getClass().getName(), false);
  }

  /**
   * Records the end of a run that started at {@code startedAt}; {@code failure} is null for a
   * success, {@code error} is what status reports of it and {@code signature} what tells it from
   * other failures ({@link RunLog#signature}), both made beforehand: they read user code.
   * {@code closing}: the tracker is closing, so the run's duration goes only to a duration timer
   * that exists already (see {@link TaskMetrics.Meters#ended(long, boolean, boolean)}).
   * Returns the failure's place in its row of same failures for {@link RunLog#ended} (0 for a
   * success), counted here so that the runs of a name are counted in the order they end.
   */
  synchronized int ended(Instant now, Throwable failure, TaskError error, Instant startedAt,
      long durationNanos, String signature, boolean closing) {
    running--;
    metrics.ended(kind, failure != null);
    meters.ended(durationNanos, failure != null, !closing);
    if (historySize > 0) {
      if (history == null) {
        history = new RunHistory(historySize);
      }
      history.add(startedAt, durationNanos / 1_000_000, failure != null, error);
    }
    lastEndedSecond = now.getEpochSecond();
    lastEndedNano = now.getNano();
    if (failure == null) {
      successes++;
      consecutiveFailures = 0;
      lastThrowable = null;
    } else {
      failures++;
      consecutiveFailures++;
      lastError = error;
      lastThrowable = failure;
    }
    return log.classify(failure == null ? null
        : signature != null ? signature : failure.getClass().getName());
  }

  /** A once execution now waits for its start delay ({@code +1}) or no longer does ({@code -1}). */
  synchronized void pending(int delta) {
    pending += delta;
  }

  /** A once execution finished in {@code end}. */
  void outcome(TaskState end) {
    lastOutcome = end;
  }

  /** The meters of this name (schedule meters included), for the engine to record on. */
  TaskMetrics.Meters meters() {
    return meters;
  }

  Throwable lastThrowable() {
    return lastThrowable;
  }

  /** A new singleton holder carries on its predecessor's count. */
  synchronized void restoreConsecutiveFailures(int n) {
    consecutiveFailures = n;
  }

  synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }

  /**
   * The snapshot of a {@code once} name: running while an execution runs, pending while one waits,
   * else the outcome of the latest.
   */
  synchronized TaskStatus onceStatus() {
    return status(onceState(), runs > 0 ? 1 : 0, false, null, null, null);
  }

  /** The state of {@link #onceStatus()}, without the snapshot. */
  synchronized TaskState onceState() {
    return running > 0 ? TaskState.RUNNING : pending > 0 ? TaskState.PENDING : lastOutcome;
  }

  /** Removes the name's meters from the registry (the name has left the registry for good). */
  void removeMeters() {
    meters.remove();
  }

  private Instant lastStartedAt() {
    return lastStartedNano < 0 ? null : Instant.ofEpochSecond(lastStartedSecond, lastStartedNano);
  }

  private Instant lastEndedAt() {
    return lastEndedNano < 0 ? null : Instant.ofEpochSecond(lastEndedSecond, lastEndedNano);
  }

  /** The snapshot of a schedule, with what only its supervisor knows. */
  synchronized TaskStatus scheduleStatus(TaskState state, int attempt, boolean paused,
      Instant nextRunAt, String holder, Schedule schedule, Instant nextFireAt, Instant lastFireAt,
      long fires, long missedFires, long skippedFires) {
    return new TaskStatus(name, shortName, kind, state, runs, successes, failures, restarts,
        consecutiveFailures, running, attempt, paused, lastStartedAt(), lastEndedAt(), lastError,
        nextRunAt, null, tags, node, holder, history == null ? List.of() : history.records(),
        schedule, nextFireAt, lastFireAt, fires, missedFires, skippedFires, critical);
  }

  /** The snapshot of this name, with what only its supervisor knows. */
  synchronized TaskStatus status(TaskState state, int attempt, boolean paused, Instant nextRunAt,
      Duration currentDelay, String holder) {
    return new TaskStatus(name, shortName, kind, state, runs, successes, failures, restarts,
        consecutiveFailures, running, attempt, paused, lastStartedAt(), lastEndedAt(), lastError,
        nextRunAt, currentDelay, tags, node, holder,
        history == null ? List.of() : history.records(), null, null, null, 0, 0, 0, critical);
  }
}
