package dev.background.impl;

import io.vertx.core.Future;

/**
 * A task the tracker may still have to stop: what {@link TasksImpl#close} needs of a
 * {@link Supervisor} or a {@link ScheduleSupervisor}.
 */
sealed interface LiveTask permits Supervisor, ScheduleSupervisor {

  /** The task's full name. */
  String name();

  /** Starts the task the tracker just registered. */
  void start();

  /**
   * Cancels the task for the tracker: the future completes before any user callback on its
   * completion runs.
   */
  Future<Void> stop();

  /** Whether a run is in progress. */
  boolean isRunning();
}
