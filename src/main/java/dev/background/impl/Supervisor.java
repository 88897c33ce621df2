package dev.background.impl;

import dev.background.Backoff;
import dev.background.Durations;
import dev.background.RunOption;
import dev.background.TaskError;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.TasksClock;
import dev.background.impl.SingletonLease.LeaseState;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The life of one task: a {@code run} task through all its runs, or one execution of a
 * {@code once} task. PENDING (start delay) or STANDBY (a singleton waiting for its lease), then
 * RUNNING, then BACKING_OFF or PAUSED until the next run, until a terminal state.
 *
 * <p>Its state is guarded by its monitor; user code (the task, listeners, future callbacks) is
 * never called while holding it. A change of state happens under the monitor and says what
 * {@link Next} to do; that is done after the monitor is released, then the task's events are
 * delivered ({@link EventQueue}). Time and timers come from the tracker's {@link TasksClock}.
 * What user code can throw back at it (a failure that cannot be rendered, a callback that throws)
 * is contained by {@link FailureLog} and {@link Callbacks}; once finished, it drops the task's
 * code ({@link #runner}).
 */
final class Supervisor implements TaskHandle, TaskEntry, LiveTask, TaskRunner.OnRunThread {

  private static final long NO_TIMER = RunContext.NO_TIMER;
  /**
   * In {@link #timer}: the restart delay is waited for on the thread of the run that ended (see
   * {@link #waitHere}) instead of on a clock timer.
   */
  private static final long WAIT_HERE = Long.MIN_VALUE;
  /** The longest restart delay a blocking task's thread waits for itself: 250 ms. */
  static final long WAIT_HERE_MAX_MS = 250;
  /** Returned by {@link #endRun} when the restart is not waited for on the run's thread. */
  private static final long NO_WAIT = Long.MIN_VALUE;

  private final TasksImpl tracker;
  private final TasksClock clock;
  private final Stats stats;
  /** {@code stats.kind}, here so that a pass over the registry does not read the statistics. */
  private final TaskKind kind;
  /** The task's code; dropped (null) once the task has finished, with all it captured. */
  private TaskRunner runner;
  private final RunSettings settings;
  private final Completion completion = new Completion();
  private final EventQueue events;
  /** Null but for a singleton. */
  private final SingletonLease lease;
  private final RestartPolicy policy;

  /** Written under the monitor; volatile for {@link #isFinished()}. */
  private volatile TaskState state = TaskState.PENDING;
  private boolean paused;
  /** Whether {@link #start()} has run: until then the tracker may still refuse the submission. */
  private boolean started;
  private boolean cancelRequested;
  private boolean launched;
  /** Whether this once execution is counted as pending in its name's stats. */
  private boolean countedPending;
  /** Whether this singleton runs here: it took the lease and carries its state. */
  private boolean holding;
  private int attempt;
  private int nextAttempt = 1;
  private RunContext current;
  private long timer = NO_TIMER;
  /** While {@link #timer} is {@link #WAIT_HERE}: the thread that waits, and until when (nanoTime). */
  private Thread waiter;
  private long waitDueNanos;
  private Instant nextRunAt;
  private Duration currentDelay;

  /** {@code events}: the queue of the name, shared with the task's earlier incarnations. */
  Supervisor(TasksImpl tracker, Stats stats, TaskRunner runner, Backoff backoff,
      RunSettings settings, EventQueue events) {
    this.tracker = tracker;
    this.clock = tracker.clock();
    this.stats = stats;
    this.kind = stats.kind;
    this.runner = runner;
    this.settings = settings;
    this.events = events;
    this.lease = settings.singleton ? new SingletonLease(tracker, stats.name) : null;
    this.policy = new RestartPolicy(stats.kind, backoff, settings, stats);
    if (lease != null) {
      lease.onFenced(this::fenced);
    }
  }

  @Override
  public Optional<Backoff> backoff() {
    return Optional.ofNullable(policy.backoff());
  }

  @Override
  public List<RunOption> options() {
    return settings.options();
  }

  @Override
  public Optional<Throwable> lastFailure() {
    return Optional.ofNullable(stats.lastThrowable());
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Starts the task the tracker just registered. Its handle is reachable from then on, so a cancel
   * (or close, restartNow, pause) from another thread may come first: a cancelled task never
   * starts, one restarted already is not started twice, a paused one waits for its resume.
   */
  @Override
  public void start() {
    Next next = Next.NOTHING;
    synchronized (this) {
      started = true;
      Duration delay = settings.startDelay;
      boolean delayed = delay != null && !delay.isZero();
      long delayMillis = delayed ? Durations.toMillis(delay) : 0;
      if (cancelRequested || isFinished()) {
        // nothing to start
      } else if (paused) {
        state = TaskState.PAUSED;
        nextRunAt = RestartDelay.dueAt(clock.now(), delayMillis);
      } else if (delayed) {
        state = TaskState.PENDING;
        if (kind() == TaskKind.ONCE) {
          stats.pending(+1);
          countedPending = true;
        }
        nextRunAt = RestartDelay.dueAt(clock.now(), delayMillis);
        currentDelay = delay;
        armTimerLocked(delayMillis);
      } else {
        next = launchOrStandByLocked();
      }
    }
    proceed(next);
  }

  /** Runs now, or, for a singleton this node does not hold, waits for the lease. */
  private Next launchOrStandByLocked() {
    if (lease != null && !holding) {
      state = TaskState.STANDBY;
      nextRunAt = null;
      currentDelay = null;
      return Next.AWAIT_LEASE;
    }
    return launchLocked();
  }

  /** After the monitor is released: start the run or the lease acquisition, deliver events. */
  private void proceed(Next next) {
    proceed(next, false);
  }

  /** {@code fromTimer}: called by a handler of the clock's timer (see TaskRunner#startFromTimer). */
  private void proceed(Next next, boolean fromTimer) {
    if (next instanceof Next.Dispatch dispatch) {
      if (fromTimer) {
        dispatch.runner().startFromTimer(dispatch.run(), this);
      } else {
        dispatch.runner().start(dispatch.run(), this);
      }
    } else if (next == Next.AWAIT_LEASE) {
      lease.acquire(this::leaseAcquired);
    }
    flush();
  }

  /** Delivers the queued events; once the task has finished, completes its completion. */
  private void flush() {
    events.flush();
    if (isFinished()) {
      completion.complete();
    }
  }

  // ---------------------------------------------------------------- singletons

  /**
   * This node now holds the singleton: carry on from the last holder's state (its attempt,
   * consecutive failures and pending restart time), or adopt its final state when it finished
   * after this task was submitted.
   */
  private void leaseAcquired(SingletonLease.Acquisition acquisition) {
    Next next = Next.NOTHING;
    boolean release = false;
    synchronized (this) {
      if (isFinished() || cancelRequested) {
        release = true;
      } else {
        holding = true;
        Instant now = clock.now();
        LeaseState last = acquisition.lastState();
        TaskState adopted = lease.adoptedEnd(last);
        if (adopted != null) {
          finishLocked(adopted, null, now);
        } else {
          next = resumeAsHolderLocked(last, now);
          lease.save(leaseStateLocked());
        }
      }
    }
    if (release) {
      lease.release();
    }
    proceed(next);
  }

  /**
   * The lease reports that this node's lock can no longer be confirmed (CP mode, cut off from the
   * CP group; or this member merged after a partition healed): stop holding, publish
   * {@code fenced}, cancel the current run (interrupting it with
   * {@code interruptOnCancel}) and stand by. A run in progress goes on until it returns; when it
   * ends, {@link #endRun} stands by and tries to take the lease again. Without a run, a pending
   * restart is dropped (the lease state the next holder reads has its time) and the lease is
   * tried at once; a paused task tries again when resumed.
   */
  private void fenced() {
    Next next = Next.NOTHING;
    RunContext toCancel = null;
    synchronized (this) {
      if (!holding || isFinished() || cancelRequested) {
        return;
      }
      holding = false;
      events.add(TaskEvent.Type.FENCED, attempt, -1, null, clock.now());
      cancelTimerLocked();
      if (current != null) {
        toCancel = current;
      } else if (paused) {
        state = TaskState.PAUSED;
      } else {
        next = launchOrStandByLocked();
      }
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
    proceed(next);
  }

  /** Runs now, waits for the inherited restart time, or stays paused. */
  private Next resumeAsHolderLocked(LeaseState last, Instant now) {
    Long dueAt = null;
    if (last != null && last.finalState() == null) {
      nextAttempt = last.attempt();
      stats.restoreConsecutiveFailures(last.consecutiveFailures());
      dueAt = last.nextRunAtMillis();
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
    return Next.NOTHING;
  }

  /** The state a next holder needs; call with the monitor held. */
  private LeaseState leaseStateLocked() {
    return lease.state(nextAttempt, stats.consecutiveFailures(), nextRunAt);
  }

  private Next launchLocked() {
    attempt = nextAttempt;
    boolean restart = launched; // a once execution launches one time only
    launched = true;
    nextRunAt = null;
    currentDelay = null;
    Instant now = clock.now();
    RunContext ctx = RunRecorder.open(tracker, stats, settings, runner, attempt,
        lease == null ? 0 : lease.token());
    current = ctx;
    state = TaskState.RUNNING;
    if (countedPending) {
      countedPending = false;
      stats.pending(-1);
    }
    RunRecorder.started(ctx, stats, events, now, restart, null);
    if (settings.runTimeout != null) {
      ctx.timeoutTimer = clock.setTimer(Durations.toMillis(settings.runTimeout), id -> runTimedOut(ctx));
    }
    ctx.startNanos = clock.nanoTime();
    return new Next.Dispatch(ctx, runner);
  }

  /**
   * At the run's timeout: its context is cancelled. An async run holds no thread, so it also ends
   * here, failed with a TimeoutException, and what its future does later is ignored. A blocking
   * run ends when it returns: ending it earlier would let the next run overlap it.
   */
  private void runTimedOut(RunContext ctx) {
    boolean endNow;
    synchronized (this) {
      if (ctx.ended) {
        return;
      }
      ctx.timedOut = true;
      endNow = runner instanceof TaskRunner.Async;
    }
    RunLog.timedOut(stats.name, settings.runTimeout, ctx.attempt(), endNow);
    ctx.cancel();
    if (endNow) {
      endRun(ctx, null, false, false);
    }
  }

  /** The runner reports the end of a run (the supervisor is its callback: no object per run). */
  @Override
  public void accept(RunContext ctx, Throwable error) {
    endRun(ctx, error, true, false);
  }

  /**
   * A blocking run ended on its own thread. When the restart delay is short (at most
   * {@link #WAIT_HERE_MAX_MS}, with the default clock), this thread waits for it and runs the
   * next run itself: a restart then costs one park of the thread, instead of a timer set on an
   * event loop (a wake-up there), the thread parked in its pool, and the next run handed to a
   * pooled thread (another wake-up). Returns that next run, or null to let the thread go.
   */
  @Override
  public RunContext endedHere(RunContext ctx, Throwable error) {
    long due = endRun(ctx, error, true, true);
    return due == NO_WAIT ? null : waitHere(due);
  }

  /**
   * Waits on this thread until {@code due} (a nanoTime), then launches the next run; returns it
   * when it is to run on this thread, else null (the wait was cancelled by a cancel, pause,
   * restart or close, which took the restart over, or the next step is not a run here: a
   * singleton's lease to take). The monitor is never held while parked.
   */
  private RunContext waitHere(long due) {
    for (;;) {
      long left = due - clock.nanoTime();
      if (left > 0) {
        Thread.interrupted(); // a stale interrupt would make every park return at once
        LockSupport.parkNanos(this, left);
      }
      Next next;
      synchronized (this) {
        if (timer != WAIT_HERE || waiter != Thread.currentThread()) {
          return null;
        }
        if (clock.nanoTime() - due < 0) {
          continue; // woken early: wait for the rest
        }
        timer = NO_TIMER;
        waiter = null;
        next = launchOrStandByLocked();
      }
      if (next instanceof Next.Dispatch dispatch && dispatch.runner() instanceof TaskRunner.Blocking) {
        flush();
        return dispatch.run();
      }
      proceed(next);
      return null;
    }
  }

  /**
   * Records the end of a run and decides what follows: a restart, or the end of the task.
   * {@code reportedByRunner}: false when its timeout ends an async run; {@code onRunThread}: the
   * caller is the thread the run ran on, which may wait for a short restart delay itself. Returns
   * the nanoTime until which that thread is to wait before the next run, or {@link #NO_WAIT}.
   */
  private long endRun(RunContext ctx, Throwable error, boolean reportedByRunner, boolean onRunThread) {
    // What to report of the failure is read before taking the monitor (it runs user code), then
    // dated with the run's end. What our own interrupt made a cancelled run throw is no failure.
    if (ctx.interruptedByCancel(error)) {
      error = null;
    }
    Throwable reported = FailureLog.reported(error);
    TaskError unread = reported == null ? null : TaskError.of(reported, Instant.EPOCH);
    String signature = reported == null ? null : RunLog.signature(reported);
    Throwable failure;
    TaskState end;
    long delay = -1;
    int repeat;
    boolean fencedRun;
    Next next = Next.NOTHING;
    long waitUntil = NO_WAIT;
    synchronized (this) {
      if (ctx.ended) {
        if (reportedByRunner && ctx.timedOut) {
          RunLog.lateCompletion(stats.name, ctx.attempt(), error);
        }
        return NO_WAIT;
      }
      current = null;
      Instant now = clock.now();
      RunRecorder.Ended ended = RunRecorder.ended(ctx, reported, unread, signature, stats, events,
          clock, settings.runTimeout, now, tracker.isClosed());
      failure = ended.failure();
      TaskError failed = ended.error();
      repeat = ended.repeat();
      fencedRun = lease != null && !holding && !cancelRequested && !tracker.isClosed();
      end = fencedRun ? null : cancelRequested || tracker.isClosed() ? TaskState.CANCELLED
          : policy.endState(failure, error, now);
      if (end != null) {
        finishLocked(end, failed, now);
      } else if (fencedRun) {
        // Fenced while running (see fenced()): no restart of its own; stand by for the lease.
        next = paused ? Next.NOTHING : launchOrStandByLocked();
        if (paused) {
          state = TaskState.PAUSED;
        }
      } else {
        delay = scheduleRestartLocked(error, ended.nanos(), now, onRunThread);
        if (lease != null) {
          lease.save(leaseStateLocked());
        }
        if (timer == WAIT_HERE) {
          waitUntil = waitDueNanos;
        }
      }
    }
    try {
      stats.log.ended(ctx.attempt(), failure, fencedRun ? TaskState.STANDBY : end, delay,
          end == TaskState.GAVE_UP ? stats.consecutiveFailures() : 0, repeat);
    } finally {
      proceed(next);
    }
    return waitUntil;
  }

  /**
   * Waits for the next run (or stays paused); returns the delay. {@code onRunThread}: a blocking
   * run's own thread may wait for a short delay itself (see {@link #endedHere}); with a clock other
   * than the default (a test clock), the delay is always a timer of that clock.
   */
  private long scheduleRestartLocked(Throwable error, long runNanos, Instant now, boolean onRunThread) {
    RestartDelay restart = policy.restart(attempt, error, runNanos, now);
    long delay = restart.delayMillis();
    nextAttempt = restart.nextAttempt();
    currentDelay = Duration.ofMillis(delay);
    nextRunAt = RestartDelay.dueAt(now, delay);
    events.add(TaskEvent.Type.RESTART_SCHEDULED, nextAttempt, delay, null, now);
    if (paused) {
      state = TaskState.PAUSED;
    } else {
      state = TaskState.BACKING_OFF;
      if (onRunThread && delay <= WAIT_HERE_MAX_MS && clock instanceof VertxClock) {
        timer = WAIT_HERE;
        waiter = Thread.currentThread();
        waitDueNanos = clock.nanoTime() + delay * 1_000_000L;
      } else {
        armTimerLocked(delay);
      }
    }
    return delay;
  }

  private void armTimerLocked(long delayMs) {
    timer = clock.setTimer(delayMs, this::timerFired);
  }

  private void timerFired(long fired) {
    Next next = Next.NOTHING;
    synchronized (this) {
      if (timer == fired && fired != NO_TIMER) {
        timer = NO_TIMER;
        next = launchOrStandByLocked();
      }
    }
    proceed(next, true);
  }

  private void cancelTimerLocked() {
    if (timer == WAIT_HERE) {
      // The waiting thread wakes, finds its wait taken over, and goes back to its pool.
      LockSupport.unpark(waiter);
      waiter = null;
      timer = NO_TIMER;
    } else if (timer != NO_TIMER) {
      clock.cancelTimer(timer);
      timer = NO_TIMER;
    }
  }

  private void finishLocked(TaskState end, TaskError failure, Instant now) {
    if (lease != null) {
      if (holding) {
        LeaseState last = leaseStateLocked();
        lease.save(end == TaskState.CANCELLED ? last : last.finished(end, now));
        holding = false;
      }
      lease.release();
    }
    cancelTimerLocked();
    nextRunAt = null;
    currentDelay = null;
    if (countedPending) {
      countedPending = false;
      stats.pending(-1);
    }
    if (kind() == TaskKind.ONCE) {
      stats.outcome(end);
    }
    if (end == TaskState.CANCELLED) {
      events.add(TaskEvent.Type.CANCELLED, attempt, -1, null, now);
    } else if (end == TaskState.GAVE_UP) {
      events.add(TaskEvent.Type.GAVE_UP, attempt, -1, failure, now);
    }
    state = end;
    runner = null; // it can never run again: keep its status, not its code
    tracker.finished(this);
  }

  // ---------------------------------------------------------------- control

  @Override
  public String name() {
    return stats.name;
  }

  @Override
  public Stats stats() {
    return stats;
  }

  @Override
  public EventQueue events() {
    return events;
  }

  @Override
  public TaskHandle handle() {
    return this;
  }

  @Override
  public Future<Void> cancel() {
    stop();
    return completion.future();
  }

  /**
   * Cancels the task, as {@link #cancel()} does, for the tracker: the future completes before any
   * user callback on {@code completion()} runs, and none hangs on it.
   */
  @Override
  public Future<Void> stop() {
    RunContext toCancel = null;
    synchronized (this) {
      if (!cancelRequested && !isFinished()) {
        cancelRequested = true;
        cancelTimerLocked();
        if (current != null) {
          toCancel = current;
        } else {
          finishLocked(TaskState.CANCELLED, null, clock.now());
        }
      }
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
    flush();
    return completion.internal();
  }

  @Override
  public Future<Void> restartNow() {
    Next next;
    synchronized (this) {
      String refused = refusal("restarted");
      if (refused == null && !started) {
        // Found by name between its registration and its start: running it now would run a task
        // whose submission may still be refused (the tracker closing), and start() would be late.
        refused = stats.name + ": is being submitted and cannot be restarted yet";
      }
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
        events.add(TaskEvent.Type.RESUMED, attempt, -1, null, clock.now());
      }
      cancelTimerLocked();
      next = launchLocked();
    }
    proceed(next);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> pause() {
    RunContext toPause = null;
    synchronized (this) {
      String refused = refusal("paused");
      if (refused != null) {
        return Future.failedFuture(new IllegalStateException(refused));
      }
      if (!paused) {
        paused = true;
        toPause = current;
        if (timer != NO_TIMER) {
          cancelTimerLocked();
          state = TaskState.PAUSED;
        }
        events.add(TaskEvent.Type.PAUSED, attempt, -1, null, clock.now());
      }
    }
    if (toPause != null) {
      toPause.requestPause();
    }
    flush();
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> resume() {
    Next next = Next.NOTHING;
    synchronized (this) {
      String refused = refusal("resumed");
      if (refused != null) {
        return Future.failedFuture(new IllegalStateException(refused));
      }
      if (paused) {
        paused = false;
        if (current != null) {
          current.withdrawPause();
        }
        Instant now = clock.now();
        events.add(TaskEvent.Type.RESUMED, attempt, -1, null, now);
        if (state == TaskState.PAUSED) {
          long remaining = nextRunAt == null ? 0 : nextRunAt.toEpochMilli() - now.toEpochMilli();
          if (remaining <= 0) {
            next = launchOrStandByLocked();
          } else {
            state = launched ? TaskState.BACKING_OFF : TaskState.PENDING;
            armTimerLocked(remaining);
          }
        }
      }
    }
    proceed(next);
    return Future.succeededFuture();
  }

  /** Why a control action is refused in the current state, or null when it is allowed. */
  private String refusal(String action) {
    if (kind() == TaskKind.ONCE) {
      return stats.name + ": a once task cannot be " + action;
    }
    if (isFinished() || cancelRequested) {
      return stats.name + ": is " + (isFinished() ? state : "being cancelled") + " and cannot be " + action;
    }
    return null;
  }

  @Override
  public Future<Void> completion() {
    return completion.future();
  }

  @Override
  public Future<Void> trigger() {
    return Future.failedFuture(new IllegalStateException(stats.name + ": is a "
        + kind().wireName() + " task; only schedules can be triggered"));
  }

  /** For a once execution, the status of its whole name. */
  @Override
  public TaskStatus status() {
    if (kind() == TaskKind.ONCE) {
      return stats.onceStatus();
    }
    synchronized (this) {
      return stats.status(state, attempt, paused, nextRunAt, currentDelay,
          lease == null ? null : holding ? tracker.nodeId() : lease.holder());
    }
  }

  @Override
  public TaskState state() {
    return kind == TaskKind.ONCE ? stats.onceState() : state;
  }

  @Override
  public TaskKind kind() {
    return kind;
  }

  @Override
  public synchronized boolean isRunning() {
    return current != null;
  }

  @Override
  public boolean isFinished() {
    return state.isTerminal();
  }
}
