package dev.background;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Optional;

/**
 * TaskContext is what one run of a task knows about itself: the Java counterpart of the
 * {@code context.Context} that the Go package {@code background} (gostdlib/base) passes to a
 * task.
 *
 * <p>A new context is made for every run. It is cancelled when the task is cancelled, when its
 * tracker closes, or when the run exceeds {@link RunOption#runTimeout(java.time.Duration)}.
 * Cancellation is a request: the task decides when to stop (but an async run that exceeds its
 * runTimeout has ended, failed, whatever its future does later). So is a pause
 * ({@link TaskHandle#pause()}): a run that is running when its task is paused goes on until it
 * returns, and the task then waits, PAUSED, for its resume. A task that loops checks
 * {@link #shouldStop()}, which covers both:
 *
 * <pre>{@code
 * tasks.run("poller", ctx -> {
 *   while (!ctx.shouldStop()) {
 *     poll();
 *   }
 * }, Backoff.defaults());
 * }</pre>
 *
 * <p>With {@link RunOption#interruptOnCancel()}, the {@link InterruptedException} (or
 * {@link java.nio.channels.ClosedByInterruptException}) a blocking run throws because its
 * cancellation interrupted it ends the run as cancelled, not failed. Thread-safe.
 */
public interface TaskContext {

  /** The task's full name (caller prefix included unless {@link RunOption#exactName()}). */
  String name();

  /**
   * The position of this run in its backoff sequence: 1 for the first run, +1 for every restart,
   * back to 1 after a run that lasted at least {@link RunOption#resetAfter(java.time.Duration)}.
   */
  int attempt();

  /** The failure of the previous run of this task, or {@code null} when it did not fail. */
  Throwable lastError();

  /** Whether this run has been asked to stop. */
  boolean isCancelled();

  /**
   * A future completed (successfully) when this run is asked to stop; never failed. A callback on
   * it that throws is logged and ignored.
   */
  Future<Void> onCancel();

  /**
   * Whether a pause of the task was asked while this run runs, and not withdrawn by a resume
   * since. A run that honours it returns (normally); the task then waits, PAUSED, until
   * {@link TaskHandle#resume()}. The default, for contexts made outside a tracker: {@code false}.
   *
   * @return whether this run is asked to pause
   */
  default boolean isPauseRequested() {
    return false;
  }

  /**
   * A future completed (successfully) the first time a pause is asked while this run runs (a
   * resume afterwards does not undo it); never failed. A callback on it that throws is logged and
   * ignored. The default, for contexts made outside a tracker: a future that never completes.
   *
   * @return the future
   */
  default Future<Void> onPause() {
    return io.vertx.core.Promise.<Void>promise().future();
  }

  /**
   * Whether this run should return now: it is cancelled ({@link #isCancelled()}) or asked to
   * pause ({@link #isPauseRequested()}). The condition of a task's loop.
   *
   * @return {@code isCancelled() || isPauseRequested()}
   */
  default boolean shouldStop() {
    return isCancelled() || isPauseRequested();
  }

  /** The Vert.x instance of the tracker that runs the task. */
  Vertx vertx();

  /**
   * For a {@link RunOption#singleton() singleton}: the cluster-wide, strictly increasing number
   * of the acquisition under which this run happens. A task that writes to an external system
   * can pass it along so that writes of an older holder are rejected. 0 for other tasks.
   */
  long fencingToken();

  /**
   * The task's configuration, given by {@link RunOption#config(JsonObject)} or by a declared
   * task's {@code config} object; an empty, unmodifiable object when none was given. Treat it as
   * read-only.
   */
  JsonObject config();

  /**
   * For a {@link TaskKind#SCHEDULE schedule}: the slot this run fires for (for a
   * {@link TaskHandle#trigger() trigger}, the instant of the trigger; for a retry, the slot of the
   * failed fire). A task that processes "the data of its hour" reads its hour here rather than
   * from the clock, so a late or retried fire processes the right one. Empty for other tasks.
   *
   * @return the slot, or empty
   */
  default Optional<Instant> slot() {
    return Optional.empty();
  }
}
