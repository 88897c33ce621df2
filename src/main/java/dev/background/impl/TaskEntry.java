package dev.background.impl;

import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;

/**
 * What the registry ({@link TasksImpl}) keeps under one full name: a {@code run} task's
 * {@link Supervisor}, or the {@link OnceName} that sums every execution of a {@code once} name.
 */
sealed interface TaskEntry permits Supervisor, ScheduleSupervisor, OnceName {

  /** The record of the name: its counters, meters and status snapshots. */
  Stats stats();

  TaskStatus status();

  /** The state {@link #status()} would report, without making the snapshot. */
  default TaskState state() {
    return status().state();
  }

  /** The task's handle; for a once name, its latest execution's (null before the first). */
  TaskHandle handle();

  /** Whether the name may be taken by a new {@code run} task: its task has finished. */
  boolean isFinished();

  /** The name's events, in order across its incarnations and executions. */
  EventQueue events();

  /** The name given to {@code run}/{@code once}, without the caller prefix. */
  default String shortName() {
    return stats().shortName;
  }

  default TaskKind kind() {
    return stats().kind;
  }
}
