package dev.background;

import dev.background.impl.TasksImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tasks tracks background tasks that live outside the request/response cycle: the
 * {@code Tasks} of the Go package {@code background} (gostdlib/base). {@link #run} keeps a task alive, restarting it after an exponential backoff
 * whenever it ends; {@link #once} runs a task one time; {@link #close()} stops every restart,
 * cancels every task's context and waits for running tasks, with a deadline.
 *
 * <p>Task errors are logged (WARN, with the stack trace) and counted, never thrown at the caller.
 * Metrics go to Micrometer when a registry is available (see {@link TasksOptions#setMeterRegistry}).
 *
 * <p>Restart delays are Vert.x timers (or the timers of {@link TasksOptions#setClock the clock}
 * given in the options), with one exception: a blocking task whose restart delay is at most
 * 250 ms waits for it parked on the thread its run just ended on, and runs again there (with the
 * default clock only), which spares a wake-up of an event loop and a hand-off to another thread
 * per restart; a cancel, pause, restart or close ends such a wait at once. Blocking tasks
 * ({@link Task}) each run on a dedicated thread, so they never starve the event loops nor the
 * application's {@code executeBlocking} pool; async tasks ({@link AsyncTask}) run on an
 * event-loop context.
 *
 * <p>Thread-safe: every method may be called from any thread, including event loops (none blocks).
 */
public interface Tasks {

  /**
   * The longest full task name, in characters: 512. {@code run} and {@code once} refuse longer
   * names, so that every task can be named in a control request (event bus or HTTP).
   */
  int MAX_NAME_LENGTH = 512;

  /**
   * Creates a tracker on {@code vertx} with default options (the Go package's {@code New}). An
   * application usually needs one; {@link #of(Vertx)} shares one per Vert.x instance.
   */
  static Tasks create(Vertx vertx) {
    return create(vertx, new TasksOptions());
  }

  /** Creates a tracker on {@code vertx}; the options are copied. */
  static Tasks create(Vertx vertx, TasksOptions options) {
    return new TasksImpl(vertx, options);
  }

  /**
   * The tracker shared by everything on {@code vertx}, created on first use (what the Go package
   * reaches through {@code context.Tasks()}). After it has been closed, the next call creates a new
   * one.
   */
  static Tasks of(Vertx vertx) {
    return TasksImpl.shared(vertx);
  }

  /**
   * The process-wide default tracker (the Go package's {@code Default()}): created on first use,
   * safely from any number of threads. It lives on a Vert.x instance of its own, created with
   * default options at the same time, whose threads do not keep the JVM alive (a JVM shutdown hook
   * closes the tracker, then that Vert.x). Applications that have a Vert.x instance should prefer
   * {@link #of(Vertx)}.
   */
  static Tasks getDefault() {
    return TasksImpl.getDefault();
  }

  /**
   * Runs {@code task} now on a dedicated thread and keeps it alive: whenever it ends (returns or
   * throws) it is started again after the next {@code backoff} delay, until it is cancelled, the
   * tracker is closed, it throws {@link PermanentFailure}, or {@code backoff.maxAttempts()}
   * consecutive failures are reached ({@link TaskState#GAVE_UP}).
   *
   * <p>The full name is the calling class and method, then {@code .}, then {@code name}
   * ({@code com.acme.Billing.start.poller}), unless {@link RunOption#exactName()} is given. It
   * must be unique among live {@code run} tasks.
   *
   * @throws IllegalArgumentException for a null or blank name, a null task or backoff, an invalid
   *     option, or a full name used by a live task
   * @throws IllegalStateException after {@link #close()}
   */
  TaskHandle run(String name, Task task, Backoff backoff, RunOption... options);

  /** Like {@link #run}, for non-blocking code run on an event-loop context. */
  TaskHandle runAsync(String name, AsyncTask task, Backoff backoff, RunOption... options);

  /**
   * Runs {@code task} one time on a dedicated thread; it is never restarted. {@code name} may be
   * reused: the statistics of every execution under one full name add up.
   *
   * @throws IllegalArgumentException for a null or blank name, a null task, an invalid option,
   *     or a name used by a {@code run} task
   * @throws IllegalStateException after {@link #close()}
   */
  TaskHandle once(String name, Task task, RunOption... options);

  /** Like {@link #once}, for non-blocking code run on an event-loop context. */
  TaskHandle onceAsync(String name, AsyncTask task, RunOption... options);

  /**
   * Runs {@code task} at the slots of {@code schedule}, on a thread of its own like {@link #run},
   * until it is cancelled, the tracker closes, the schedule passes its {@link Schedule#until}, or
   * a run throws {@link PermanentFailure} (state {@code FAILED}). Between fires the task is
   * {@link TaskState#SCHEDULED}. A failed run is logged and counted, and the schedule goes on;
   * with {@link Schedule#withRetry(Backoff)} a failed fire is retried after the backoff's delays
   * until it succeeds, its attempts run out or the next slot is due. Two runs of one schedule
   * never overlap: a slot that comes due while a run is running is handled by the schedule's
   * {@link Overlap} policy, slots missed during a pause, a stall or a failover by its
   * {@link Misfire} policy. Names follow the rules of {@link #run}.
   *
   * @param name the task's name (the caller prefix is added unless {@link RunOption#exactName()})
   * @param schedule when it fires
   * @param task the code of each fire
   * @param options {@code exactName}, {@code runTimeout}, {@code interruptOnCancel},
   *     {@code virtualThread}, {@code singleton}, {@code tags}, {@code config},
   *     {@code startDelay}; the options about restarts are refused with a message naming them
   * @return the task's handle; {@link TaskHandle#trigger()} fires it now
   * @throws IllegalArgumentException for a blank name, a null schedule or task, an option that
   *     does not apply, or a name taken by a live task
   * @throws IllegalStateException when the tracker is closed
   */
  TaskHandle schedule(String name, Schedule schedule, Task task, RunOption... options);

  /**
   * Like {@link #schedule}, for non-blocking code run on an event-loop context.
   *
   * @param name the task's name
   * @param schedule when it fires
   * @param task the code of each fire
   * @param options as for {@link #schedule}
   * @return the task's handle
   */
  TaskHandle scheduleAsync(String name, Schedule schedule, AsyncTask task, RunOption... options);

  /** {@link #close(Duration)} with the options' close timeout (30 s by default). */
  Future<Void> close();

  /**
   * Closes the tracker: accepts no new task, schedules no restart, cancels every pending restart
   * timer and every task's context, then waits for running tasks. This does not stop a task that
   * ignores its context: such a task makes the returned future fail with
   * {@link TasksCloseTimeoutException} (naming it) once {@code timeout} has passed. The deadline
   * holds whatever the tasks do, also when an async task blocks its event loop: with the default
   * clock it is kept off the event loops (with a clock given in the options, it is one of that
   * clock's timers). A callback on the returned future that throws is logged and ignored.
   * Idempotent: later calls return the first call's future.
   */
  Future<Void> close(Duration timeout);

  /** Whether {@link #close} has been called. */
  boolean isClosed();

  /** A snapshot of every task, sorted by full name. */
  List<TaskStatus> list();

  /**
   * One page of {@link #list()}: at most {@code limit} tasks whose full names sort after
   * {@code after} ({@link String#compareTo}), sorted by full name. Its cost is that of the page,
   * not of the whole list: the tracker keeps its names sorted. Pass the page's
   * {@link TaskPage#next()} as {@code after} to read the next page; a task added or removed
   * between two pages shows up or not depending on where its name sorts, and none is listed twice.
   *
   * @param limit the most tasks on the page, at least 1
   * @param after a cursor: the page starts after this full name (which need not be a task's);
   *     {@code null} starts at the first task
   * @return the page; its {@code next} is {@code null} when no task follows it
   * @throws IllegalArgumentException when {@code limit} is less than 1
   */
  TaskPage list(int limit, String after);

  /**
   * How many tasks there are in each state and of each kind, and the summed counters of every
   * task the tracker has had (see {@link TasksSummary}); much cheaper than {@link #list()}.
   */
  TasksSummary summary();

  /** The status of the task with this full name, or with this short name when only one has it. */
  Optional<TaskStatus> status(String name);

  /**
   * The handle of the task with this full name, or with this short name when only one has it.
   * For a {@code once} name, the handle of its latest execution.
   */
  Optional<TaskHandle> handle(String name);

  /**
   * Adds a listener called for every lifecycle transition. Events of one name arrive in order,
   * also across resubmissions (the {@code started} of a new task never comes before the last event
   * of the one it replaced), on the thread where the transition happened or on one that was
   * delivering that name's earlier events; the listener must not block. A listener that throws
   * (even an {@code Error}) is logged and ignored.
   */
  void addListener(Handler<TaskEvent> listener);

  /** Removes a listener added with {@link #addListener}. */
  void removeListener(Handler<TaskEvent> listener);

  /**
   * The id this tracker reports as {@code node} in statuses: {@link TasksOptions#getNodeId()},
   * else {@code "local"} when Vert.x is not clustered, else {@code <host>-<pid>-<random>}.
   */
  String nodeId();

  /** The Vert.x instance this tracker runs on. */
  Vertx vertx();

  /**
   * The Micrometer registry the task metrics go to (the one in {@link TasksOptions}, else the
   * registry of vertx-micrometer-metrics under its default name), or {@code null} when metrics
   * are off.
   */
  MeterRegistry meterRegistry();
}
