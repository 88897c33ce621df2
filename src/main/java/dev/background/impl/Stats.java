package dev.background.impl;

import dev.background.RunRecord;
import dev.background.TaskError;
import dev.background.TaskKind;
import dev.background.TaskState;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * The counters of one task name: a {@code run} task's own, or the sum of every execution of a
 * {@code once} name. Guarded by its own monitor, always taken after a supervisor's.
 */
final class Stats {

  final String name;
  final String shortName;
  final TaskKind kind;
  final Map<String, String> tags;
  final TaskMetrics.Meters meters;
  final String node;
  private final int historySize;
  private ArrayDeque<RunRecord> history;

  long runs;
  long successes;
  long failures;
  long restarts;
  int consecutiveFailures;
  int running;
  int pending;
  Instant lastStartedAt;
  Instant lastEndedAt;
  TaskError lastError;
  Throwable lastThrowable;
  /** For a once name: the final state of its latest finished execution. */
  TaskState lastOutcome = TaskState.PENDING;

  Stats(String name, String shortName, TaskKind kind, Map<String, String> tags, TaskMetrics metrics,
      int historySize, String node) {
    this.historySize = historySize;
    this.node = node;
    this.name = name;
    this.shortName = shortName;
    this.kind = kind;
    this.tags = tags;
    this.meters = metrics.meters(name, kind, tags);
  }

  synchronized void started(Instant now, boolean restart) {
    runs++;
    running++;
    if (restart) {
      restarts++;
    }
    lastStartedAt = now;
  }

  /** Records the end of a run that started at {@code startedAt}; {@code failure} is null for a success. */
  synchronized void ended(Instant now, Throwable failure, Instant startedAt, long durationMillis) {
    running--;
    TaskError error = failure == null ? null : TaskError.of(failure, now);
    if (historySize > 0) {
      if (history == null) {
        history = new ArrayDeque<>(Math.min(historySize, 8));
      } else if (history.size() == historySize) {
        history.pollFirst();
      }
      history.addLast(new RunRecord(startedAt, durationMillis,
          failure == null ? RunRecord.Outcome.SUCCESS : RunRecord.Outcome.FAILURE, error));
    }
    lastEndedAt = now;
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
  }

  /** The history, oldest first; call with the monitor held. */
  List<RunRecord> history() {
    return history == null ? List.of() : List.copyOf(history);
  }

  synchronized Throwable lastThrowable() {
    return lastThrowable;
  }

  /** A new singleton holder carries on its predecessor's count. */
  synchronized void restoreConsecutiveFailures(int n) {
    consecutiveFailures = n;
  }

  synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }
}
