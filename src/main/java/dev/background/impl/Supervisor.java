package dev.background.impl;

import dev.background.Durations;
import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.PermanentFailure;
import dev.background.RetryAfter;
import dev.background.Task;
import dev.background.TaskError;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Supervises one task: a {@code run} task through all its runs, or one execution of a
 * {@code once} task. Its state is guarded by its monitor; user code (the task, listeners,
 * future callbacks) is never called while holding it. Events are queued under the monitor and
 * delivered after it is released, one thread at a time, so each task's events arrive in order.
 */
final class Supervisor implements TaskHandle {

  private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);
  /** Returned instead of a run when a singleton must first take its lease. */
  private static final RunContext WAIT_FOR_LEASE = new RunContext("", 0, null, null, null, null,
      false, 0);

  private final TasksImpl tracker;
  private final Stats stats;
  private final OnceName onceName;
  private final Task blockingTask;
  private final Executor executor;
  private final AsyncTask asyncTask;
  private final Context taskContext;
  private final Backoff backoff;
  private final RunSettings settings;
  private final Context callerContext;
  private final Promise<Void> completion = Promise.promise();
  private final SingletonLease lease;
  private final long createdAtMillis = System.currentTimeMillis();
  private volatile boolean finished;

  private TaskState state = TaskState.PENDING;
  private boolean paused;
  private boolean cancelRequested;
  private boolean launched;
  private boolean countedPending;
  private boolean holding;
  private long fencingToken;
  private int attempt;
  private int nextAttempt = 1;
  private RunContext current;
  private TimerRef timer;
  private Instant nextRunAt;
  private Duration currentDelay;
  private ArrayDeque<Long> restartTimes;
  private ArrayDeque<TaskEvent> events;
  private boolean delivering;

  private Supervisor(TasksImpl tracker, Stats stats, OnceName onceName, Task blockingTask,
      Executor executor, AsyncTask asyncTask, Context taskContext, Backoff backoff,
      RunSettings settings) {
    this.tracker = tracker;
    this.stats = stats;
    this.onceName = onceName;
    this.blockingTask = blockingTask;
    this.executor = executor;
    this.asyncTask = asyncTask;
    this.taskContext = taskContext;
    this.backoff = backoff;
    this.settings = settings;
    this.callerContext = Vertx.currentContext();
    this.lease = settings.singleton ? new SingletonLease(tracker, tracker.singletonLocks(),
        stats.name, tracker.nodeId(),
        tracker.options().getSingletonRetryInterval().toMillis()) : null;
  }

  static Supervisor blocking(TasksImpl tracker, Stats stats, OnceName onceName, Task task,
      Executor executor, Backoff backoff, RunSettings settings) {
    return new Supervisor(tracker, stats, onceName, task, executor, null, null, backoff, settings);
  }

  static Supervisor async(TasksImpl tracker, Stats stats, OnceName onceName, AsyncTask task,
      Context context, Backoff backoff, RunSettings settings) {
    return new Supervisor(tracker, stats, onceName, null, null, task, context, backoff, settings);
  }

  // ---------------------------------------------------------------- lifecycle

  void start() {
    RunContext next = null;
    synchronized (this) {
      Duration delay = settings.startDelay;
      if (delay != null && !delay.isZero()) {
        state = TaskState.PENDING;
        if (onceName != null) {
          synchronized (stats) {
            stats.pending++;
          }
          countedPending = true;
        }
        long delayMillis = Durations.toMillis(delay);
        nextRunAt = after(Instant.now(), delayMillis);
        currentDelay = delay;
        armTimerLocked(delayMillis);
      } else {
        next = launchOrStandByLocked();
      }
    }
    proceed(next);
  }

  /** Runs now, or, for a singleton this node does not hold, waits for the lease. */
  private RunContext launchOrStandByLocked() {
    if (lease != null && !holding) {
      state = TaskState.STANDBY;
      nextRunAt = null;
      currentDelay = null;
      return WAIT_FOR_LEASE;
    }
    return launchLocked();
  }

  /** After the monitor is released: start the run or the lease acquisition, deliver events. */
  private void proceed(RunContext next) {
    if (next == WAIT_FOR_LEASE) {
      lease.acquire(this::leaseAcquired);
    } else {
      dispatch(next);
    }
    flush();
  }

  // ---------------------------------------------------------------- singletons

  /**
   * This node now holds the singleton: carry on from the last holder's state (its attempt,
   * consecutive failures and pending restart time), or adopt its final state when it finished
   * after this task was submitted.
   */
  private void leaseAcquired(SingletonLease.Acquisition acquisition) {
    RunContext toRun = null;
    boolean release = false;
    synchronized (this) {
      if (finished || cancelRequested) {
        release = true;
      } else {
        holding = true;
        fencingToken = acquisition.token();
        Instant now = Instant.now();
        JsonObject last = acquisition.lastState();
        String finalState = last == null ? null : last.getString("final");
        if (finalState != null && last.getLong("finalAt", 0L) >= createdAtMillis) {
          finishLocked(TaskState.valueOf(finalState), null, now);
        } else {
          toRun = resumeAsHolderLocked(last, finalState == null, now);
          lease.save(leaseStateLocked());
        }
      }
    }
    if (release) {
      lease.release();
    }
    proceed(toRun);
  }

  /** Runs now, waits for the inherited restart time, or stays paused; returns a run to dispatch. */
  private RunContext resumeAsHolderLocked(JsonObject last, boolean carryOn, Instant now) {
    Long dueAt = null;
    if (last != null && carryOn) {
      nextAttempt = last.getInteger("attempt", 1);
      stats.restoreConsecutiveFailures(last.getInteger("consecutiveFailures", 0));
      dueAt = last.getLong("nextRunAt");
    }
    long wait = dueAt == null ? 0 : dueAt - now.toEpochMilli();
    if (paused) {
      state = TaskState.PAUSED;
      nextRunAt = wait > 0 ? Instant.ofEpochMilli(dueAt) : now;
    } else if (wait > 0) {
      state = TaskState.BACKING_OFF;
      nextRunAt = Instant.ofEpochMilli(dueAt);
      currentDelay = Duration.ofMillis(wait);
      armTimerLocked(wait);
    } else {
      return launchLocked();
    }
    return null;
  }

  /** The state a next holder needs; call with the monitor held. */
  private JsonObject leaseStateLocked() {
    return new JsonObject()
        .put("attempt", nextAttempt)
        .put("consecutiveFailures", stats.consecutiveFailures())
        .put("nextRunAt", nextRunAt == null ? null : nextRunAt.toEpochMilli())
        .put("token", fencingToken);
  }

  private RunContext launchLocked() {
    attempt = nextAttempt;
    boolean restart = launched && onceName == null;
    launched = true;
    nextRunAt = null;
    currentDelay = null;
    Instant now = Instant.now();
    RunContext ctx = new RunContext(stats.name, attempt, stats.lastThrowable(), tracker.vertx(),
        settings.config, taskContext, settings.interruptOnCancel, fencingToken);
    current = ctx;
    state = TaskState.RUNNING;
    stats.started(now, restart);
    if (countedPending) {
      countedPending = false;
      synchronized (stats) {
        stats.pending--;
      }
    }
    if (restart) {
      stats.meters.restarted();
    }
    tracker.metrics().started(stats.kind);
    emitLocked(TaskEvent.Type.STARTED, attempt, -1, null, now);
    if (settings.runTimeout != null) {
      ctx.timeoutTimer = tracker.setTimer(Durations.toMillis(settings.runTimeout), ref -> runTimedOut(ctx));
    }
    ctx.startNanos = System.nanoTime();
    ctx.startedAt = now;
    if (LOG.isDebugEnabled()) {
      LOG.debug("{}: run started (attempt {})", stats.name, attempt);
    }
    return ctx;
  }

  /** Starts the run outside the monitor: on a thread of the executor, or on the task's context. */
  private void dispatch(RunContext ctx) {
    if (ctx == null) {
      return;
    }
    if (blockingTask != null) {
      try {
        executor.execute(() -> runBlocking(ctx));
      } catch (RejectedExecutionException e) {
        runEnded(ctx, e);
      }
    } else {
      try {
        taskContext.runOnContext(v -> runAsync(ctx));
      } catch (RejectedExecutionException vertxClosed) {
        runEnded(ctx, vertxClosed);
      }
    }
  }

  private void runBlocking(RunContext ctx) {
    ctx.attach(Thread.currentThread());
    Throwable error = null;
    try {
      blockingTask.run(ctx);
    } catch (Throwable t) {
      error = t;
    }
    ctx.detach();
    runEnded(ctx, error);
  }

  private void runAsync(RunContext ctx) {
    Future<Void> f;
    try {
      f = asyncTask.run(ctx);
    } catch (Throwable t) {
      runEnded(ctx, t);
      return;
    }
    if (f == null) {
      runEnded(ctx, new NullPointerException(stats.name + ": AsyncTask.run returned a null future"));
      return;
    }
    f.onComplete(ar -> runEnded(ctx, ar.failed() ? ar.cause() : null));
  }

  private void runTimedOut(RunContext ctx) {
    synchronized (this) {
      if (ctx.ended) {
        return;
      }
      ctx.timedOut = true;
    }
    LOG.warn("{}: run exceeded runTimeout {} (attempt {}); cancelling its context", stats.name,
        settings.runTimeout, ctx.attempt());
    ctx.cancel();
  }

  /** Records the end of a run and decides what follows: a restart, or the end of the task. */
  void runEnded(RunContext ctx, Throwable error) {
    Throwable failure;
    TaskState end;
    long delay;
    synchronized (this) {
      if (ctx.ended) {
        return;
      }
      ctx.ended = true;
      current = null;
      if (ctx.timeoutTimer != null) {
        ctx.timeoutTimer.cancel();
      }
      long nanos = System.nanoTime() - ctx.startNanos;
      Instant now = Instant.now();
      failure = reported(error);
      if (failure == null && ctx.timedOut) {
        failure = new TimeoutException(stats.name + ": run exceeded runTimeout " + settings.runTimeout);
      }
      stats.ended(now, failure, ctx.startedAt, nanos / 1_000_000);
      tracker.metrics().ended(stats.kind);
      stats.meters.ended(nanos, failure != null);
      emitLocked(failure == null ? TaskEvent.Type.SUCCEEDED : TaskEvent.Type.FAILED, attempt, -1,
          failure, now);
      end = endStateLocked(failure, error instanceof PermanentFailure, now);
      delay = -1;
      if (end != null) {
        finishLocked(end, failure, now);
      } else {
        delay = scheduleRestartLocked(error, nanos, now);
        if (lease != null) {
          lease.save(leaseStateLocked());
        }
      }
    }
    try {
      log(failure, end, delay);
    } catch (RuntimeException unloggable) {
      // The logger renders the failure, whose getMessage() or toString() may throw.
      LOG.warn("{}: failed (attempt {}) with a {} that cannot be logged ({})", stats.name, attempt,
          failure == null ? null : failure.getClass().getName(), unloggable.toString());
    }
    flush();
  }

  private static Throwable reported(Throwable error) {
    if (error instanceof PermanentFailure) {
      return ((PermanentFailure) error).reported();
    }
    if (error instanceof RetryAfter && error.getCause() != null) {
      return error.getCause();
    }
    return error;
  }

  /** The final state after a run, or null when the task is to be restarted. */
  private TaskState endStateLocked(Throwable failure, boolean permanent, Instant now) {
    if (cancelRequested || tracker.isClosed()) {
      return TaskState.CANCELLED;
    }
    if (onceName != null) {
      return failure == null ? TaskState.COMPLETED : TaskState.FAILED;
    }
    if (permanent) {
      return TaskState.FAILED;
    }
    if (failure == null && settings.restartOnFailureOnly) {
      return TaskState.COMPLETED;
    }
    if (failure != null && backoff.maxAttempts() > 0
        && stats.consecutiveFailures() >= backoff.maxAttempts()) {
      return TaskState.GAVE_UP;
    }
    if (settings.maxRestarts >= 0 && restartIntensityExceededLocked(now)) {
      return TaskState.GAVE_UP;
    }
    return null;
  }

  private boolean restartIntensityExceededLocked(Instant now) {
    if (restartTimes == null) {
      restartTimes = new ArrayDeque<>();
    }
    long nowMs = now.toEpochMilli();
    long oldest = nowMs - Math.min(nowMs, Durations.toMillis(settings.maxRestartsWindow));
    while (!restartTimes.isEmpty() && restartTimes.peekFirst() <= oldest) {
      restartTimes.pollFirst();
    }
    if (restartTimes.size() >= settings.maxRestarts) {
      return true;
    }
    restartTimes.addLast(nowMs);
    return false;
  }

  private long scheduleRestartLocked(Throwable error, long runNanos, Instant now) {
    boolean reset = settings.resetAfter != null && runNanos >= Durations.toNanos(settings.resetAfter);
    int n = reset ? 1 : attempt;
    long delay = backoff.delayMillis(n);
    if (error instanceof RetryAfter) {
      delay = Math.max(delay, Durations.toMillis(((RetryAfter) error).minimumDelay(now)));
    }
    nextAttempt = reset ? 1 : attempt + 1;
    currentDelay = Duration.ofMillis(delay);
    nextRunAt = after(now, delay);
    emitLocked(TaskEvent.Type.RESTART_SCHEDULED, nextAttempt, delay, null, now);
    if (paused) {
      state = TaskState.PAUSED;
    } else {
      state = TaskState.BACKING_OFF;
      armTimerLocked(delay);
    }
    return delay;
  }

  /**
   * {@code now} plus {@code delayMs}, at most the last instant whose epoch milliseconds fit in a
   * long: delays are saturated at Long.MAX_VALUE ms, which would overflow {@link Instant#toEpochMilli()}.
   */
  private static Instant after(Instant now, long delayMs) {
    long nowMs = now.toEpochMilli();
    return delayMs >= Long.MAX_VALUE - nowMs ? Instant.ofEpochMilli(Long.MAX_VALUE) : now.plusMillis(delayMs);
  }

  private void armTimerLocked(long delayMs) {
    timer = tracker.setTimer(delayMs, this::timerFired);
  }

  private void timerFired(TimerRef fired) {
    RunContext next = null;
    synchronized (this) {
      if (timer == fired && fired != null) {
        timer = null;
        next = launchOrStandByLocked();
      }
    }
    proceed(next);
  }

  private void cancelTimerLocked() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void finishLocked(TaskState end, Throwable failure, Instant now) {
    if (lease != null) {
      if (holding) {
        JsonObject last = leaseStateLocked();
        if (end != TaskState.CANCELLED) {
          last.put("final", end.name()).put("finalAt", now.toEpochMilli());
        }
        lease.save(last);
        holding = false;
      }
      lease.release();
    }
    state = end;
    cancelTimerLocked();
    nextRunAt = null;
    currentDelay = null;
    if (countedPending) {
      countedPending = false;
      synchronized (stats) {
        stats.pending--;
      }
    }
    if (onceName != null) {
      synchronized (stats) {
        stats.lastOutcome = end;
      }
    }
    if (end == TaskState.CANCELLED) {
      emitLocked(TaskEvent.Type.CANCELLED, attempt, -1, null, now);
    } else if (end == TaskState.GAVE_UP) {
      emitLocked(TaskEvent.Type.GAVE_UP, attempt, -1, failure, now);
    }
    finished = true;
    tracker.finished(this);
  }

  private void log(Throwable failure, TaskState end, long delay) {
    if (failure == null) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("{}: run ended (attempt {}){}", stats.name, attempt, next(end, delay));
      }
      return;
    }
    if (end == TaskState.GAVE_UP) {
      LOG.error("{}: failed (attempt {}, {} consecutive failures); giving up", stats.name, attempt,
          stats.consecutiveFailures(), failure);
    } else {
      LOG.warn("{}: failed (attempt {}){}", stats.name, attempt, next(end, delay), failure);
    }
  }

  private static String next(TaskState end, long delay) {
    return end == null ? "; restarting in " + delay + " ms" : "; now " + end;
  }

  // ---------------------------------------------------------------- control

  @Override
  public String name() {
    return stats.name;
  }

  String shortName() {
    return stats.shortName;
  }

  @Override
  public Future<Void> cancel() {
    RunContext toCancel = null;
    synchronized (this) {
      if (!cancelRequested && !finished) {
        cancelRequested = true;
        cancelTimerLocked();
        if (current != null) {
          toCancel = current;
        } else {
          finishLocked(TaskState.CANCELLED, null, Instant.now());
        }
      }
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
    flush();
    return completion.future();
  }

  @Override
  public Future<Void> restartNow() {
    RunContext toRun;
    synchronized (this) {
      String refused = refusal("restarted");
      if (refused == null && state == TaskState.RUNNING) {
        refused = stats.name + ": is running; restart skips the wait between runs";
      }
      if (refused == null && lease != null && !holding) {
        refused = stats.name + ": is a singleton standing by; restart it on its holder"
            + (lease.holder() == null ? "" : " (" + lease.holder() + ")");
      }
      if (refused != null) {
        return Future.failedFuture(new IllegalStateException(refused));
      }
      if (paused) {
        paused = false;
        emitLocked(TaskEvent.Type.RESUMED, attempt, -1, null, Instant.now());
      }
      cancelTimerLocked();
      toRun = launchLocked();
    }
    proceed(toRun);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> pause() {
    synchronized (this) {
      String refused = refusal("paused");
      if (refused != null) {
        return Future.failedFuture(new IllegalStateException(refused));
      }
      if (!paused) {
        paused = true;
        if (timer != null) {
          cancelTimerLocked();
          state = TaskState.PAUSED;
        }
        emitLocked(TaskEvent.Type.PAUSED, attempt, -1, null, Instant.now());
      }
    }
    flush();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> resume() {
    RunContext toRun = null;
    synchronized (this) {
      String refused = refusal("resumed");
      if (refused != null) {
        return Future.failedFuture(new IllegalStateException(refused));
      }
      if (paused) {
        paused = false;
        Instant now = Instant.now();
        emitLocked(TaskEvent.Type.RESUMED, attempt, -1, null, now);
        if (state == TaskState.PAUSED) {
          long remaining = nextRunAt == null ? 0 : nextRunAt.toEpochMilli() - now.toEpochMilli();
          if (remaining <= 0) {
            toRun = launchOrStandByLocked();
          } else {
            state = launched ? TaskState.BACKING_OFF : TaskState.PENDING;
            armTimerLocked(remaining);
          }
        }
      }
    }
    proceed(toRun);
    return Future.succeededFuture();
  }

  /** Why a control action is refused in the current state, or null when it is allowed. */
  private String refusal(String action) {
    if (onceName != null) {
      return stats.name + ": a once task cannot be " + action;
    }
    if (finished || cancelRequested) {
      return stats.name + ": is " + (finished ? state : "being cancelled") + " and cannot be " + action;
    }
    return null;
  }

  @Override
  public Future<Void> completion() {
    return completion.future();
  }

  @Override
  public TaskStatus status() {
    return onceName != null ? onceName.status() : ownStatus();
  }

  boolean isRunning() {
    synchronized (this) {
      return current != null;
    }
  }

  boolean isFinished() {
    return finished;
  }

  private TaskStatus ownStatus() {
    synchronized (this) {
      synchronized (stats) {
        return new TaskStatus(stats.name, stats.shortName, stats.kind, state, stats.runs,
            stats.successes, stats.failures, stats.restarts, stats.consecutiveFailures,
            stats.running, attempt, paused, stats.lastStartedAt, stats.lastEndedAt,
            stats.lastError, nextRunAt, currentDelay, stats.tags, tracker.nodeId(),
            lease == null ? null : holding ? tracker.nodeId() : lease.holder(), stats.history());
      }
    }
  }

  // ---------------------------------------------------------------- events

  private void emitLocked(TaskEvent.Type type, int eventAttempt, long delayMs, Throwable error,
      Instant at) {
    if (!tracker.hasListeners()) {
      return;
    }
    if (events == null) {
      events = new ArrayDeque<>(4);
    }
    events.add(new TaskEvent(stats.name, type, at, eventAttempt, delayMs,
        error == null ? null : TaskError.of(error, at)));
  }

  /** Delivers queued events in order (one deliverer at a time), then completes completion. */
  private void flush() {
    for (;;) {
      TaskEvent e;
      synchronized (this) {
        if (delivering || events == null || events.isEmpty()) {
          break;
        }
        delivering = true;
        e = events.poll();
      }
      try {
        tracker.deliver(e);
      } finally {
        synchronized (this) {
          delivering = false;
        }
      }
    }
    if (finished && !completion.future().isComplete()) {
      Context ctx = callerContext;
      if (ctx != null && Vertx.currentContext() != ctx) {
        try {
          ctx.runOnContext(v -> completion.tryComplete());
        } catch (RejectedExecutionException vertxClosed) {
          completion.tryComplete();
        }
      } else {
        completion.tryComplete();
      }
    }
  }
}
