package dev.background;

/**
 * Task is a unit of blocking background work: the {@code Task} of the Go package
 * {@code background} (gostdlib/base), for code that may block.
 *
 * <p>It runs on a thread of its own (a dedicated, named platform thread, or a virtual thread with
 * {@link RunOption#virtualThread()}), never on a Vert.x event loop and never on the shared worker
 * pool, so a task that blocks for hours starves nothing else.
 *
 * <p>Returning normally means the run ended; throwing means it failed. Either way a task started
 * with {@link Tasks#run} is restarted after the next backoff delay, unless it throws
 * {@link PermanentFailure}. A task that should stop when asked must check
 * {@link TaskContext#isCancelled()} (or use {@link RunOption#interruptOnCancel()}): cancellation is
 * cooperative, nothing kills a running task.
 */
@FunctionalInterface
public interface Task {

  /**
   * Runs once.
   *
   * @param ctx this run's context: name, attempt, cancellation
   * @throws Exception to report a failed run
   */
  void run(TaskContext ctx) throws Exception;
}
