package dev.background.eventbus;

import dev.background.TaskPage;
import dev.background.TaskStatus;
import dev.background.TasksSummary;
import dev.background.control.ControlException;
import dev.background.control.TasksControl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.List;

/**
 * TasksClient controls the tasks of a {@link dev.background.verticle.TasksVerticle} over the event bus, so
 * that applications never build request JSON by hand. It works from any verticle or thread of
 * the Vert.x instance (and over a clustered event bus, from any node).
 *
 * <p>A refused request fails the future with a {@link io.vertx.core.eventbus.ReplyException}
 * whose {@code failureCode()} is {@link #BAD_REQUEST} (400), {@link #NOT_FOUND} (404),
 * {@link #CONFLICT} (409) or {@link #INTERNAL_ERROR} (500), and whose message says what was wrong;
 * no verticle at the address gives failure type {@code NO_HANDLERS}, a silent one {@code TIMEOUT}.
 *
 * <pre>{@code
 * TasksClient client = TasksClient.create(vertx);
 * client.pause("poller")
 *     .onSuccess(status -> log.info("poller is now {}", status.state()));
 * }</pre>
 *
 * <p>Thread-safe; instances are cheap and hold no resources.
 */
public interface TasksClient {

  /** The verticle's default control address: {@code background.tasks}. */
  String DEFAULT_ADDRESS = "background.tasks";

  /** The request was malformed: {@link ControlException#BAD_REQUEST} (400). */
  int BAD_REQUEST = ControlException.BAD_REQUEST;

  /** No task has the name: {@link ControlException#NOT_FOUND} (404). */
  int NOT_FOUND = ControlException.NOT_FOUND;

  /** The task's state, or a closed tracker, forbids the action: {@link ControlException#CONFLICT} (409). */
  int CONFLICT = ControlException.CONFLICT;

  /** Something unexpected failed: {@link ControlException#INTERNAL_ERROR} (500). */
  int INTERNAL_ERROR = ControlException.INTERNAL_ERROR;

  /** A client for the default address, with the event bus's default timeout (30 s). */
  static TasksClient create(Vertx vertx) {
    return create(vertx, DEFAULT_ADDRESS);
  }

  /** A client for the verticle at {@code address}. */
  static TasksClient create(Vertx vertx, String address) {
    return create(vertx, address, new DeliveryOptions());
  }

  /** A client for the verticle at {@code address}, sending with {@code options} (copied). */
  static TasksClient create(Vertx vertx, String address, DeliveryOptions options) {
    return new TasksClientImpl(vertx, address, options);
  }

  /** The control address requests go to. */
  String address();

  /** Every task's status, sorted by name. */
  Future<List<TaskStatus>> list();

  /**
   * One page of the list: at most {@code limit} statuses whose full names sort after
   * {@code after} ({@code null}: from the first), sorted by name, and the cursor of the next page
   * ({@link TaskPage#next()}, {@code null} after the last). Through a cluster address, the page
   * holds the statuses of every node, sorted by name then node. A {@code limit} below 1 or a
   * blank {@code after} fails the future with {@link #BAD_REQUEST}.
   */
  Future<TaskPage> list(int limit, String after);

  /** How many tasks there are by state and by kind, and their summed counters. */
  Future<TasksSummary> summary();

  /** The status of one task (its full name, or a short name that only one task has). */
  Future<TaskStatus> status(String name);

  /**
   * Cancels a task: no more restarts, its context cancelled. Replies once the current run has
   * ended, or after at most {@link TasksControl#DEFAULT_CANCEL_WAIT} with the task still
   * {@code RUNNING} when it ignores its context. Idempotent: a task that has ended (even on a
   * closed tracker) is answered with its final status, never refused.
   */
  Future<TaskStatus> cancel(String name);

  /** Runs the task now, skipping its pending backoff or start delay (409 while it runs). */
  Future<TaskStatus> restart(String name);

  /** Pauses a {@code run} task: its current run goes on, no restart until resumed. */
  Future<TaskStatus> pause(String name);

  /** Ends a pause. */
  Future<TaskStatus> resume(String name);

  /**
   * Starts a declared task that is not running (for a declared {@code once} task: runs it again).
   */
  Future<TaskStatus> start(String name);

  /**
   * Fires a schedule now, outside its slots, under its overlap policy; replies once the fire is
   * accepted (not when its run ends). Refused with {@link #CONFLICT} for a task that is not a
   * schedule, a finished schedule, a singleton standing by, or a fire the overlap policy refuses
   * ({@code SKIP} while a run is running), and {@link #NOT_FOUND} for an unknown name.
   */
  Future<TaskStatus> trigger(String name);
}
