package dev.background.impl;

import dev.background.Backoff;
import dev.background.Durations;
import dev.background.Overlap;
import dev.background.PermanentFailure;
import dev.background.RunOption;
import dev.background.Schedule;
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
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The life of one {@code schedule} task: SCHEDULED between fires, RUNNING during one, BACKING_OFF
 * while a failed fire waits for its retry, PAUSED, STANDBY (a singleton another node holds),
 * until CANCELLED, FAILED ({@link PermanentFailure}) or COMPLETED (past {@code until}).
 *
 * <p>One timer (a slot in a {@link SharedTimers} bucket) waits for whichever comes first: the
 * next slot's fire (its jittered instant) or the retry of a failed fire. When it fires,
 * {@link Schedule#dueSlots} says what came due since {@link #cursor} (every slot up to it is
 * handled) under the misfire policy; a slot that comes due while a run is running goes through
 * the {@link Overlap} policy, so two runs never overlap. The
 * monitor discipline is {@link Supervisor}'s: state changes under the monitor say what to do
 * ({@link After}), which is done after it is released, then the events are delivered.
 */
final class ScheduleSupervisor implements TaskHandle, TaskEntry, LiveTask,
    BiConsumer<RunContext, Throwable>, SharedTimers.Target {

  private static final long NO_TIMER = RunContext.NO_TIMER;

  /** One fire: the slot it is for, its attempt (above 1 for a retry), how it came. */
  private record Fire(Instant slot, int attempt, boolean queuedByOverlap) {
  }

  /** What to do once the monitor is released. */
  private static final class After {
    RunContext dispatch;
    Future<Void> gate = Future.succeededFuture();
    RunContext cancel;
    boolean acquire;
    /** In a timer handler of the clock: the run may start right here (see startFromTimer). */
    boolean fromTimer;
  }

  private final TasksImpl tracker;
  private final TasksClock clock;
  private final Stats stats;
  private final Schedule schedule;
  /** The task's code; dropped (null) once the task has finished. */
  private TaskRunner runner;
  private final RunSettings settings;
  private final Completion completion = new Completion();
  private final EventQueue events;
  /** Null but for a singleton. */
  private final SingletonLease lease;

  private volatile TaskState state = TaskState.PENDING;
  private boolean started;
  private boolean begun;
  private boolean paused;
  private boolean cancelRequested;
  private boolean holding;
  private RunContext current;
  private Fire currentFire;
  private int lastAttempt;
  /**
   * Fires to run after the current run, oldest first: catch-up slots, a queued or replacing fire.
   * Null while none waits (almost always: an idle schedule does not pay for an empty queue).
   */
  private ArrayDeque<Fire> waiting;
  /** The ticket of this schedule's one pending timer (a {@link SharedTimers} one), and its millisecond. */
  private long timer = NO_TIMER;
  private long timerDueMs;
  /** Every slot up to this instant is handled (fired, missed or skipped). */
  private Instant cursor;
  /** The slot the timer waits for, and its jittered fire time; null when none is planned. */
  private Instant nextSlot;
  private Instant nextFireAt;
  /** A failed fire waiting for its retry, and when; null when none. */
  private Fire retry;
  private Instant retryAt;
  private Instant lastFireAt;
  private long fires;
  private long missed;
  private long skipped;

  ScheduleSupervisor(TasksImpl tracker, Stats stats, Schedule schedule, TaskRunner runner,
      RunSettings settings, EventQueue events) {
    this.tracker = tracker;
    this.clock = tracker.clock();
    this.stats = stats;
    this.schedule = schedule;
    this.runner = runner;
    this.settings = settings;
    this.events = events;
    this.lease = settings.singleton ? new SingletonLease(tracker, stats.name) : null;
    if (lease != null) {
      lease.onFenced(this::fenced);
    }
  }

  /** A schedule's backoff is the retry of a failed fire, when its schedule has one. */
  @Override
  public Optional<Backoff> backoff() {
    return schedule.retry();
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

  @Override
  public void start() {
    After after = new After();
    synchronized (this) {
      started = true;
      if (cancelRequested || isFinished()) {
        return;
      }
      Duration delay = settings.startDelay;
      if (delay != null && !delay.isZero()) {
        state = TaskState.PENDING;
        nextFireAt = RestartDelay.dueAt(clock.now(), Durations.toMillis(delay));
        armLocked(Durations.toNanos(delay));
      } else {
        beginLocked(after);
      }
    }
    proceed(after);
  }

  /**
   * The schedule starts waiting now: the first fire is {@link Schedule#firstFireAt}. For
   * {@code every} the cursor is one interval back, so that its next slot is now.
   */
  private void beginLocked(After after) {
    Instant now = clock.now();
    initCursorLocked(now);
    if (lease != null && !holding) {
      state = TaskState.STANDBY;
      nextSlot = nextFireAt = null;
      after.acquire = true;
      return;
    }
    wakeLocked(now, after);
  }

  private void initCursorLocked(Instant now) {
    begun = true;
    cancelTimerLocked();
    cursor = schedule.kind() == Schedule.Kind.EVERY
        ? now.minus(schedule.interval().orElseThrow()) : now.minusNanos(1);
  }

  private void proceed(After after) {
    if (after.cancel != null) {
      after.cancel.cancel();
    }
    if (after.dispatch != null) {
      RunContext run = after.dispatch;
      TaskRunner r = runner;
      boolean fromTimer = after.fromTimer;
      // A singleton's fire starts once the lease records its slot: a new holder never runs it
      // again. Any other fire starts here, without a callback made per fire.
      if (after.gate.isComplete()) {
        start(r, run, fromTimer);
      } else {
        after.gate.onComplete(ar -> start(r, run, fromTimer));
      }
    }
    if (after.acquire) {
      lease.acquire(this::leaseAcquired);
    }
    events.flush();
    if (isFinished()) {
      completion.complete();
    }
  }

  private void start(TaskRunner r, RunContext run, boolean fromTimer) {
    if (fromTimer) {
      r.startFromTimer(run, this);
    } else {
      r.start(run, this);
    }
  }

  // ---------------------------------------------------------------- slots and fires

  /** The timer fired: retry a failed fire, begin after the start delay, or handle the due slots. */
  @Override
  public void timerFired(long id) {
    After after = new After();
    after.fromTimer = true;
    synchronized (this) {
      if (timer != id || id == NO_TIMER) {
        return;
      }
      timer = NO_TIMER;
      if (!begun) {
        beginLocked(after);
      } else {
        wakeLocked(clock.now(), after);
      }
    }
    proceed(after);
  }

  /**
   * Handles what came due by {@code now}: the retry (unless a new slot supersedes it), then the
   * slots per the misfire policy, then plans the next wake.
   */
  private void wakeLocked(Instant now, After after) {
    if (!paused) {
      Schedule.Due due = schedule.dueSlots(cursor, dueUpTo(now));
      Optional<Instant> latest = due.latestSlot();
      if (latest.isPresent()) {
        cursor = latest.get();
      }
      if (due.missed() > 0) {
        missed += due.missed();
        stats.meters().scheduleMissed(due.missed());
        Instant slot = due.lastMissed().orElse(null);
        events.add(TaskEvent.Type.MISSED, 0, -1, null, now, slot);
        ScheduleLog.missed(stats.name, due.missed(), due.missedIsLowerBound(), slot,
            schedule.misfire());
      }
      if (!due.run().isEmpty()) {
        retry = null; // the next slot is due: the failed fire is not retried any more
        retryAt = null;
        boolean first = true;
        for (Instant slot : due.run()) {
          if (first) {
            offerLocked(new Fire(slot, 1, false), now, after);
            first = false;
          } else {
            waitLocked(new Fire(slot, 1, false)); // catch-up: each missed slot in turn
          }
        }
      } else if (retry != null && !now.isBefore(retryAt) && current == null) {
        Fire f = retry;
        retry = null;
        retryAt = null;
        launchLocked(f, now, after);
      }
    }
    planLocked(now);
  }

  /**
   * How far to look for due slots: {@code now}, but not into the slot whose jittered fire time has
   * not come yet (a wake for a retry or a resume must not fire it early).
   */
  private Instant dueUpTo(Instant now) {
    if (nextSlot != null && nextFireAt != null && !nextSlot.isAfter(now) && now.isBefore(nextFireAt)) {
      return nextSlot.minusNanos(1);
    }
    return now;
  }

  /** Queues {@code fire} to run after the current run. */
  private void waitLocked(Fire fire) {
    if (waiting == null) {
      waiting = new ArrayDeque<>(2);
    }
    waiting.addLast(fire);
  }

  /** Takes the oldest waiting fire, or null; the queue goes when it is empty. */
  private Fire nextWaitingLocked() {
    if (waiting == null) {
      return null;
    }
    Fire next = waiting.pollFirst();
    if (waiting.isEmpty()) {
      waiting = null;
    }
    return next;
  }

  private boolean queuedByOverlapLocked() {
    return waiting != null && waiting.stream().anyMatch(Fire::queuedByOverlap);
  }

  /** A fire came due: run it now, or apply the overlap policy when a run is running. */
  private void offerLocked(Fire fire, Instant now, After after) {
    if (current == null && waiting == null) {
      launchLocked(fire, now, after);
      return;
    }
    Overlap overlap = schedule.overlap();
    if (overlap == Overlap.QUEUE && !queuedByOverlapLocked()) {
      waitLocked(new Fire(fire.slot(), 1, true));
    } else if (overlap == Overlap.REPLACE) {
      if (waiting != null) {
        for (Fire dropped : waiting) {
          skippedLocked(dropped.slot(), now);
        }
        waiting = null;
      }
      waitLocked(new Fire(fire.slot(), 1, true));
      if (current != null && !current.isCancelled()) {
        after.cancel = current;
      }
    } else {
      skippedLocked(fire.slot(), now);
    }
  }

  private void skippedLocked(Instant slot, Instant now) {
    skipped++;
    stats.meters().scheduleSkipped();
    events.add(TaskEvent.Type.SKIPPED, 0, -1, null, now, slot);
    ScheduleLog.skipped(stats.name, slot, schedule.overlap());
  }

  /**
   * Plans the next wake: the next slot's fire (unless an {@code every} run is running: its next
   * slot counts from the run's end) or the retry, whichever is first; the task completes when its
   * schedule has no slot left and nothing runs or waits.
   */
  private void planLocked(Instant now) {
    cancelTimerLocked();
    if (isFinished()) {
      return;
    }
    boolean everyRunning = current != null && schedule.kind() == Schedule.Kind.EVERY;
    Optional<Instant> slot = everyRunning ? Optional.empty() : schedule.nextFireAfter(cursor);
    if (!slot.isPresent()) {
      nextSlot = nextFireAt = null;
      if (!everyRunning && current == null && waiting == null && retry == null) {
        finishLocked(TaskState.COMPLETED, now);
        return;
      }
    } else if (!slot.get().equals(nextSlot)) {
      nextSlot = slot.get();
      nextFireAt = schedule.jittered(nextSlot); // drawn once per slot
    }
    if (current != null) {
      state = TaskState.RUNNING;
    } else if (paused) {
      state = TaskState.PAUSED;
    } else {
      state = retry != null ? TaskState.BACKING_OFF : TaskState.SCHEDULED;
    }
    if (paused) {
      return;
    }
    Instant due = nextFireAt;
    if (retryAt != null && (due == null || retryAt.isBefore(due))) {
      due = retryAt;
    }
    if (due != null) {
      armLocked(RestartDelay.nanosBetween(now, due));
    }
  }

  /** A shared timer never fires early: a wake before the slot's fire time would find nothing due. */
  private void armLocked(long delayNanos) {
    SharedTimers timers = tracker.sharedTimers();
    timerDueMs = timers.dueMillis(delayNanos);
    timer = timers.arm(timerDueMs, this);
  }

  private void cancelTimerLocked() {
    if (timer != NO_TIMER) {
      tracker.sharedTimers().cancel(timerDueMs, timer);
      timer = NO_TIMER;
    }
  }

  // ---------------------------------------------------------------- runs

  private void launchLocked(Fire fire, Instant now, After after) {
    if (fire.attempt() == 1) {
      fires++;
      lastFireAt = fire.slot();
      events.add(TaskEvent.Type.FIRED, 1, -1, null, now, fire.slot());
      stats.meters().scheduleLateness(Math.max(0, RestartDelay.nanosBetween(fire.slot(), now)));
    }
    RunContext ctx = RunRecorder.open(tracker, stats, settings, runner, fire.attempt(),
        lease == null ? 0 : lease.token());
    ctx.slot = fire.slot();
    current = ctx;
    currentFire = fire;
    lastAttempt = fire.attempt();
    state = TaskState.RUNNING;
    RunRecorder.started(ctx, stats, events, now, fire.attempt() > 1, fire.slot());
    if (settings.runTimeout != null) {
      ctx.timeoutTimer = clock.setTimer(Durations.toMillis(settings.runTimeout),
          id -> runTimedOut(ctx));
    }
    ctx.startNanos = clock.nanoTime();
    if (lease != null) {
      after.gate = lease.save(leaseStateLocked());
    }
    after.dispatch = ctx;
  }

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
      endRun(ctx, null, false);
    }
  }

  /** The runner reports the end of a run (the schedule is its callback: no object per run). */
  @Override
  public void accept(RunContext ctx, Throwable error) {
    endRun(ctx, error, true);
  }

  /** Records the end of a run, then: the next waiting fire, a retry, the next slot, or the end. */
  private void endRun(RunContext ctx, Throwable error, boolean reportedByRunner) {
    if (ctx.interruptedByCancel(error)) {
      error = null; // what our own interrupt made a cancelled run throw is no failure
    }
    Throwable reported = FailureLog.reported(error);
    TaskError unread = reported == null ? null : TaskError.of(reported, Instant.EPOCH);
    String signature = reported == null ? null : RunLog.signature(reported);
    After after = new After();
    Throwable failure;
    Fire fire;
    TaskState end = null;
    long retryDelay = -1;
    synchronized (this) {
      if (ctx.ended) {
        if (reportedByRunner && ctx.timedOut) {
          RunLog.lateCompletion(stats.name, ctx.attempt(), error);
        }
        return;
      }
      Instant now = clock.now();
      failure = RunRecorder.ended(ctx, reported, unread, signature, stats, events, clock,
          settings.runTimeout, now, tracker.isClosed()).failure();
      stats.meters().scheduleFired(failure == null ? "success" : "failure");
      fire = currentFire;
      current = null;
      currentFire = null;
      if (schedule.kind() == Schedule.Kind.EVERY) {
        cursor = now; // the next slot is one interval after this end
      }
      if (cancelRequested || tracker.isClosed()) {
        end = TaskState.CANCELLED;
      } else if (error instanceof PermanentFailure) {
        end = TaskState.FAILED;
      }
      if (end == null && lease != null && !holding) {
        // Fenced while running (see fenced()): stand by and take the lease again; the new
        // holder goes on from the last slot the lease records.
        waiting = null;
        nextSlot = nextFireAt = null;
        state = paused ? TaskState.PAUSED : TaskState.STANDBY;
        after.acquire = true; // on acquisition a paused schedule stays paused
      } else if (end != null) {
        finishLocked(end, now);
      } else {
        if (failure != null && waiting == null) {
          retryDelay = planRetryLocked(fire, failure, now);
        }
        Fire next = paused ? null : nextWaitingLocked();
        if (next != null) {
          launchLocked(next, now, after);
          planLocked(now);
        } else {
          wakeLocked(now, after); // slots that came due during the run, under the misfire policy
        }
        if (lease != null && after.dispatch == null) {
          lease.save(leaseStateLocked());
        }
      }
    }
    try {
      ScheduleLog.ended(stats.name, fire.slot(), ctx.attempt(), failure, end, retryDelay);
    } finally {
      proceed(after);
    }
  }

  /**
   * A failed fire is retried after its backoff's delay, unless the backoff does not retry that
   * failure ({@code retryOn}/{@code abortOn}: the schedule then waits for its next slot), its
   * attempts ran out, or the next slot would come first. Returns the delay, or -1 without a retry.
   */
  private long planRetryLocked(Fire fire, Throwable failure, Instant now) {
    Backoff backoff = schedule.retry().orElse(null);
    if (backoff == null || !backoff.retries(failure)
        || (backoff.maxAttempts() > 0 && fire.attempt() >= backoff.maxAttempts())) {
      return -1;
    }
    long delay = backoff.delayMillis(fire.attempt());
    Instant at = RestartDelay.dueAt(now, delay);
    Optional<Instant> nextSlot = schedule.nextFireAfter(schedule.kind() == Schedule.Kind.EVERY
        ? now : cursor);
    if (nextSlot.isPresent() && !at.isBefore(nextSlot.get())) {
      return -1;
    }
    retry = new Fire(fire.slot(), fire.attempt() + 1, false);
    retryAt = at;
    events.add(TaskEvent.Type.RESTART_SCHEDULED, fire.attempt() + 1, delay, null, now, fire.slot());
    return delay;
  }

  private void finishLocked(TaskState end, Instant now) {
    if (lease != null) {
      if (holding) {
        LeaseState last = leaseStateLocked();
        lease.save(end == TaskState.CANCELLED ? last : last.finished(end, now));
        holding = false;
      }
      lease.release();
    }
    cancelTimerLocked();
    nextSlot = nextFireAt = null;
    retry = null;
    retryAt = null;
    waiting = null;
    if (end == TaskState.CANCELLED) {
      events.add(TaskEvent.Type.CANCELLED, 0, -1, null, now);
    }
    state = end;
    runner = null;
    tracker.finished(this);
  }

  // ---------------------------------------------------------------- singletons

  /** This node holds the singleton: carry on from the last fired slot the lease records. */
  private void leaseAcquired(SingletonLease.Acquisition acquisition) {
    After after = new After();
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
          finishLocked(adopted, now);
        } else {
          if (last != null && last.lastSlot() != null && last.lastSlot().isAfter(cursor)) {
            cursor = last.lastSlot();
          }
          wakeLocked(now, after); // slots missed during the failover follow the misfire policy
          if (after.dispatch == null) {
            lease.save(leaseStateLocked());
          }
        }
      }
    }
    if (release) {
      lease.release();
    }
    proceed(after);
  }

  /**
   * The lock can no longer be confirmed (CP mode, see {@link SingletonLease#onFenced}): stop
   * firing, cancel the run in progress (interrupting it with interruptOnCancel), publish
   * {@code fenced} and stand by; once the run has ended ({@link #endRun}) take the lease again.
   */
  private void fenced() {
    After after = new After();
    RunContext toCancel = null;
    synchronized (this) {
      if (!holding || isFinished() || cancelRequested) {
        return;
      }
      holding = false;
      events.add(TaskEvent.Type.FENCED, 0, -1, null, clock.now());
      cancelTimerLocked();
      nextSlot = nextFireAt = null;
      retry = null;
      retryAt = null;
      waiting = null;
      if (current != null) {
        toCancel = current;
      } else {
        state = paused ? TaskState.PAUSED : TaskState.STANDBY;
        after.acquire = true; // on acquisition a paused schedule stays paused
      }
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
    proceed(after);
  }

  private LeaseState leaseStateLocked() {
    return lease.state(1, stats.consecutiveFailures(), nextFireAt).withLastSlot(cursor);
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
          finishLocked(TaskState.CANCELLED, clock.now());
        }
      }
    }
    if (toCancel != null) {
      toCancel.cancel();
    }
    events.flush();
    if (isFinished()) {
      completion.complete();
    }
    return completion.internal();
  }

  /** For a schedule, a restart is a {@link #trigger()}: it fires now, outside the slots. */
  @Override
  public Future<Void> restartNow() {
    return trigger();
  }

  @Override
  public Future<Void> trigger() {
    After after = new After();
    synchronized (this) {
      String refused = refusal("triggered");
      if (refused == null && current != null) {
        Overlap overlap = schedule.overlap();
        if (overlap == Overlap.SKIP) {
          refused = stats.name + ": is running and its overlap policy is SKIP; trigger refused";
        } else if (overlap == Overlap.QUEUE && queuedByOverlapLocked()) {
          refused = stats.name + ": is running and a fire is already queued (overlap QUEUE); "
              + "trigger refused";
        }
      }
      if (refused != null) {
        return Future.failedFuture(new IllegalStateException(refused));
      }
      Instant now = clock.now();
      if (!begun) {
        initCursorLocked(now); // a trigger ends the start delay
      }
      if (current == null) {
        retry = null;
        retryAt = null;
        launchLocked(new Fire(now, 1, false), now, after);
        planLocked(now);
      } else {
        offerLocked(new Fire(now, 1, false), now, after);
      }
    }
    proceed(after);
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
        if (begun) {
          planLocked(clock.now());
        } else {
          cancelTimerLocked();
          state = TaskState.PAUSED;
        }
        events.add(TaskEvent.Type.PAUSED, 0, -1, null, clock.now());
      }
    }
    if (toPause != null) {
      toPause.requestPause(); // a run that watches ctx.shouldStop() may return early
    }
    events.flush();
    return Future.succeededFuture();
  }

  /** Ends a pause: the slots that fell in it are handled by the misfire policy. */
  @Override
  public Future<Void> resume() {
    After after = new After();
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
        events.add(TaskEvent.Type.RESUMED, 0, -1, null, now);
        if (!begun) {
          beginLocked(after);
        } else if (lease == null || holding) {
          if (current == null && waiting != null) {
            launchLocked(nextWaitingLocked(), now, after);
          }
          wakeLocked(now, after);
        }
      }
    }
    proceed(after);
    return Future.succeededFuture();
  }

  private String refusal(String action) {
    if (isFinished() || cancelRequested) {
      return stats.name + ": is " + (isFinished() ? state : "being cancelled") + " and cannot be "
          + action;
    }
    if (!started) {
      return stats.name + ": is being submitted and cannot be " + action + " yet";
    }
    if (lease != null && !holding && !action.equals("paused") && !action.equals("resumed")) {
      return stats.name + ": is a singleton standing by; " + action.replace("ed", "")
          + " it on its holder" + (lease.holder() == null ? "" : " (" + lease.holder() + ")");
    }
    return null;
  }

  @Override
  public Future<Void> completion() {
    return completion.future();
  }

  @Override
  public TaskStatus status() {
    synchronized (this) {
      Instant nextRunAt = nextFireAt;
      if (retryAt != null && (nextRunAt == null || retryAt.isBefore(nextRunAt))) {
        nextRunAt = retryAt;
      }
      return stats.scheduleStatus(state, lastAttempt, paused,
          paused ? null : nextRunAt, lease == null ? null : holding ? tracker.nodeId() : lease.holder(),
          schedule, paused ? null : nextFireAt, lastFireAt, fires, missed, skipped);
    }
  }

  @Override
  public TaskState state() {
    return state;
  }

  @Override
  public TaskKind kind() {
    return TaskKind.SCHEDULE;
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
