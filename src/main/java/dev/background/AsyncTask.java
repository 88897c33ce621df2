package dev.background;

import io.vertx.core.Future;

/**
 * AsyncTask is a unit of non-blocking background work: it returns a {@link Future} that completes
 * when the run has ended.
 *
 * <p>It is invoked on a Vert.x event-loop context: the caller's, when {@link Tasks#runAsync} or
 * {@link Tasks#onceAsync} is called from an event loop (so a verticle's task shares its
 * verticle's thread), otherwise one owned by the tracker. It must never block.
 *
 * <p>A succeeded future means the run ended; a failed future, an exception thrown by {@code run}
 * or a {@code null} future means it failed.
 */
@FunctionalInterface
public interface AsyncTask {

  /**
   * Starts one run.
   *
   * @param ctx this run's context: name, attempt, cancellation
   * @return a future completed when the run has ended
   */
  Future<Void> run(TaskContext ctx);
}
