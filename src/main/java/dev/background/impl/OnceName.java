package dev.background.impl;

import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;

/** Every execution of one {@code once} name: their summed statistics and the latest handle. */
final class OnceName {

  final Stats stats;
  private volatile Supervisor latest;

  OnceName(Stats stats) {
    this.stats = stats;
  }

  void latest(Supervisor s) {
    latest = s;
  }

  TaskHandle latest() {
    return latest;
  }

  TaskStatus status() {
    synchronized (stats) {
      TaskState state = stats.running > 0 ? TaskState.RUNNING
          : stats.pending > 0 ? TaskState.PENDING : stats.lastOutcome;
      return new TaskStatus(stats.name, stats.shortName, TaskKind.ONCE, state, stats.runs,
          stats.successes, stats.failures, 0, stats.consecutiveFailures, stats.running,
          stats.runs > 0 ? 1 : 0, false, stats.lastStartedAt, stats.lastEndedAt, stats.lastError,
          null, null, stats.tags, stats.node, null, stats.history());
    }
  }
}
