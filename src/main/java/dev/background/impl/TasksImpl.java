package dev.background.impl;

import dev.background.Durations;
import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.SingletonLocks;
import dev.background.Task;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskPage;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksClock;
import dev.background.TasksCloseTimeoutException;
import dev.background.TasksOptions;
import dev.background.TasksSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The tracker. Tasks are found by full name in {@link #byName}: a {@link Supervisor} for a
 * {@code run} task, a {@link ScheduleSupervisor} for a {@code schedule}, a {@link OnceName} for a
 * {@code once} name; {@link #sorted} holds the same
 * names in order, for pages and lists without a sort. A name enters and leaves both only inside a
 * {@code byName} compute for that name, so the two agree. What {@link #close} stops and waits
 * for is every supervisor that may still run: the {@code run} and {@code schedule} tasks of
 * {@code byName}, and
 * {@link #live}, which holds every other supervisor launched (once executions and whatever else
 * is not its name's entry), so that a long-lived task costs one map entry, not two. Every time
 * read and timer goes through {@link #clock()}, but for the close deadline of the default clock,
 * which is kept off the event loops ({@link Deadline}).
 *
 * <p>Idle {@code once} names (every execution finished) wait in {@link #retained}, oldest first,
 * until the retention count or age drops them ({@link #prune}). The summary's totals are the
 * tracker's own ({@link TaskMetrics#addTotals}), so a dropped or replaced name's runs stay in them.
 */
public final class TasksImpl implements Tasks {

  private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);
  private static final Object SHARED_LOCK = new Object();
  private static final String SHARED_MAP = "dev.background.Tasks";

  private final Vertx vertx;
  private final TasksOptions options;
  private final TaskMetrics metrics;
  private final Context home;
  private final TasksClock clock;
  private final SharedTimers sharedTimers;
  private final Map<String, TaskEntry> byName = new ConcurrentHashMap<>();
  /** The names of {@link #byName}, sorted. */
  private final ConcurrentSkipListSet<String> sorted = new ConcurrentSkipListSet<>();
  /** Idle once names, about oldest first; guarded by itself. */
  private final ArrayDeque<OnceName> retained = new ArrayDeque<>();
  private final int retentionCount;
  private final long retentionAgeNanos;
  /** The retention's age timer, or NO_TIMER; guarded by {@link #retained}. */
  private long retentionTimer = RunContext.NO_TIMER;
  /** Once names dropped by the retention. */
  private final LongAdder dropped = new LongAdder();
  private final Set<LiveTask> live = ConcurrentHashMap.newKeySet();
  private final List<Handler<TaskEvent>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile boolean hasListeners;
  private volatile boolean closed;
  private Future<Void> closeFuture;
  private volatile ExecutorService platformPool;
  private final String nodeId;
  private final SingletonLocks singletonLocks;

  public TasksImpl(Vertx vertx, TasksOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "Tasks.create: vertx must not be null");
    this.options = new TasksOptions(Objects.requireNonNull(options, "Tasks.create: options must not be null"));
    this.metrics = TaskMetrics.create(vertx, this.options);
    this.home = unboundContext(vertx);
    this.clock = this.options.getClock() != null ? this.options.getClock() : new VertxClock(vertx, home);
    this.sharedTimers = new SharedTimers(clock);
    this.nodeId = this.options.getNodeId() != null ? this.options.getNodeId() : defaultNodeId(vertx);
    this.singletonLocks = this.options.getSingletonLocks() != null ? this.options.getSingletonLocks()
        : new SharedDataLocks(vertx);
    this.retentionCount = this.options.getOnceRetentionCount();
    long ageMillis = Durations.toMillis(this.options.getOnceRetentionAge());
    this.retentionAgeNanos = ageMillis >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE
        : ageMillis * 1_000_000;
  }

  /** "local" alone, else a name that tells nodes (and trackers of one JVM) apart. */
  private static String defaultNodeId(Vertx vertx) {
    if (!vertx.isClustered()) {
      return "local";
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "node";
    }
    return host + "-" + ProcessHandle.current().pid() + "-"
        + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000));
  }

  /**
   * An event-loop context that belongs to no deployment. Timers made on a verticle's context die
   * when that verticle is undeployed; restart timers must outlive whoever started the task.
   * Vert.x makes such a context for a thread that has none, so one is borrowed when needed.
   */
  private static Context unboundContext(Vertx vertx) {
    if (Vertx.currentContext() == null) {
      return vertx.getOrCreateContext();
    }
    Context[] made = new Context[1];
    Thread t = new Thread(() -> made[0] = vertx.getOrCreateContext(), "vertx-background-init");
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Tasks.create: interrupted", e);
    }
    return made[0];
  }

  // ---------------------------------------------------------------- shared instances

  /** Keeps the shared tracker in the Vert.x instance's local map, so it lives and dies with it. */
  private static final class Holder implements Shareable {
    final TasksImpl tasks;

    Holder(TasksImpl tasks) {
      this.tasks = tasks;
    }
  }

  public static Tasks shared(Vertx vertx) {
    Objects.requireNonNull(vertx, "Tasks.of: vertx must not be null");
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(SHARED_MAP);
    synchronized (SHARED_LOCK) {
      Holder h = map.get("shared");
      if (h == null || h.tasks.isClosed()) {
        h = new Holder(new TasksImpl(vertx, new TasksOptions()));
        map.put("shared", h);
      }
      return h.tasks;
    }
  }

  private static final class DefaultHolder {
    static final TasksImpl INSTANCE = createDefault();

    private static TasksImpl createDefault() {
      Vertx vertx = Vertx.vertx();
      TasksImpl tasks = new TasksImpl(vertx, new TasksOptions());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          tasks.close().toCompletionStage().toCompletableFuture()
              .get(Math.min(Durations.toMillis(tasks.options.getCloseTimeout()), Long.MAX_VALUE - 1000) + 1000,
                  TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          LOG.warn("Tasks.getDefault: close at JVM shutdown: {}", e.toString());
        }
        vertx.close();
      }, "vertx-background-shutdown"));
      return tasks;
    }
  }

  public static Tasks getDefault() {
    return DefaultHolder.INSTANCE;
  }

  // ---------------------------------------------------------------- submitting

  @Override
  public TaskHandle run(String name, Task task, Backoff backoff, RunOption... options) {
    return submitRun("Tasks.run", name, task, null, backoff, options);
  }

  @Override
  public TaskHandle runAsync(String name, AsyncTask task, Backoff backoff, RunOption... options) {
    return submitRun("Tasks.runAsync", name, null, task, backoff, options);
  }

  @Override
  public TaskHandle once(String name, Task task, RunOption... options) {
    return submitOnce("Tasks.once", name, task, null, options);
  }

  @Override
  public TaskHandle onceAsync(String name, AsyncTask task, RunOption... options) {
    return submitOnce("Tasks.onceAsync", name, null, task, options);
  }

  private TaskHandle submitRun(String method, String name, Task task, AsyncTask asyncTask,
      Backoff backoff, RunOption[] options) {
    if (backoff == null) {
      checkName(method, name);
      checkTask(method, task, asyncTask);
      throw new IllegalArgumentException(method + ": backoff must not be null");
    }
    return submitLongLived(method, name, TaskKind.RUN, task, asyncTask, options,
        (stats, runner, settings, events) -> new Supervisor(this, stats, runner, backoff, settings,
            events));
  }

  @Override
  public TaskHandle schedule(String name, Schedule schedule, Task task, RunOption... options) {
    return submitSchedule("Tasks.schedule", name, schedule, task, null, options);
  }

  @Override
  public TaskHandle scheduleAsync(String name, Schedule schedule, AsyncTask task,
      RunOption... options) {
    return submitSchedule("Tasks.scheduleAsync", name, schedule, null, task, options);
  }

  private TaskHandle submitSchedule(String method, String name, Schedule schedule, Task task,
      AsyncTask asyncTask, RunOption[] options) {
    if (schedule == null) {
      checkName(method, name);
      checkTask(method, task, asyncTask);
      throw new IllegalArgumentException(method + ": schedule must not be null");
    }
    return submitLongLived(method, name, TaskKind.SCHEDULE, task, asyncTask, options,
        (stats, runner, settings, events) -> new ScheduleSupervisor(this, stats, schedule, runner,
            settings, events));
  }

  /** Makes the supervisor of a long-lived task (run or schedule). */
  @FunctionalInterface
  private interface SupervisorFactory {
    LiveTask make(Stats stats, TaskRunner runner, RunSettings settings, EventQueue events);
  }

  /**
   * Registers a run or schedule task under its full name (which a finished run or schedule task
   * may hand over, never a live one or a once name) and starts it.
   */
  private TaskHandle submitLongLived(String method, String name, TaskKind kind, Task task,
      AsyncTask asyncTask, RunOption[] options, SupervisorFactory factory) {
    checkName(method, name);
    checkTask(method, task, asyncTask);
    RunSettings settings = RunSettings.of(method, kind, task != null, options);
    String fullName = fullName(method, name, settings, task != null ? task : asyncTask);
    checkOpen(method);
    Stats stats = new Stats(fullName, name, kind, settings, metrics,
        this.options.getHistorySize(), nodeId);
    TaskRunner runner = runner(task, asyncTask, settings);
    LiveTask[] made = new LiveTask[1];
    byName.compute(fullName, (k, old) -> {
      if (old instanceof OnceName once && once.isDropped()) {
        // Dropped by the retention and on its way out: the name is free.
        unregisterLocked(k, once);
        old = null;
      }
      if (old != null && old.kind() == TaskKind.ONCE) {
        throw new IllegalArgumentException(method + ": name '" + k + "' is used by a once task");
      }
      if (old != null && !old.isFinished()) {
        throw new IllegalArgumentException(method + ": name '" + k + "' is used by a live task");
      }
      // A resubmission's events queue behind the last ones of the task it replaces.
      EventQueue events = old != null ? old.events() : new EventQueue(this, k);
      made[0] = factory.make(stats, runner, settings, events);
      if (old == null) {
        sorted.add(k);
      }
      return (TaskEntry) made[0];
    });
    return launch(method, made[0]);
  }

  private static void checkTask(String method, Task task, AsyncTask asyncTask) {
    if (task == null && asyncTask == null) {
      throw new IllegalArgumentException(method + ": task must not be null");
    }
  }

  private TaskHandle submitOnce(String method, String name, Task task, AsyncTask asyncTask,
      RunOption[] options) {
    checkName(method, name);
    checkTask(method, task, asyncTask);
    RunSettings settings = RunSettings.of(method, TaskKind.ONCE, task != null, options);
    String fullName = fullName(method, name, settings, task != null ? task : asyncTask);
    checkOpen(method);
    OnceName once = claimOnce(method, fullName, name, settings);
    Supervisor s;
    try {
      s = new Supervisor(this, once.stats(), runner(task, asyncTask, settings), null, settings,
          once.events());
    } catch (RuntimeException | Error e) {
      onceEnded(once);
      throw e;
    }
    once.latest(s);
    return launch(method, s);
  }

  /**
   * The once name {@code fullName}, made if needed, with one more execution counted in (so the
   * retention keeps it until that execution has finished, see {@link #finished}).
   */
  private OnceName claimOnce(String method, String fullName, String name, RunSettings settings) {
    for (;;) {
      TaskEntry entry = byName.get(fullName);
      if (entry == null) {
        entry = byName.computeIfAbsent(fullName, k -> {
          sorted.add(k);
          return new OnceName(new Stats(k, name, TaskKind.ONCE, settings, metrics,
              this.options.getHistorySize(), nodeId), new EventQueue(this, k));
        });
      }
      if (!(entry instanceof OnceName once)) {
        throw new IllegalArgumentException(method + ": name '" + fullName + "' is used by a run task");
      }
      if (once.claim()) {
        return once;
      }
      // Dropped by the retention a moment ago: finish its removal, then make the name anew.
      unregister(fullName, once);
    }
  }

  /** Runs {@code task} on a thread of its own, or {@code asyncTask} on an event loop. */
  private TaskRunner runner(Task task, AsyncTask asyncTask, RunSettings settings) {
    if (task != null) {
      return new TaskRunner.Blocking(task, settings.virtualThread ? BlockingExecutors.virtual() : platformPool());
    }
    Context current = Vertx.currentContext();
    return new TaskRunner.Async(asyncTask, current != null && current.isEventLoopContext() ? current : home);
  }

  /**
   * Starts {@code s} unless the tracker closed meanwhile: close sees it (in byName for a run or schedule task,
   * registered before this, else in live), or we see closed.
   */
  private TaskHandle launch(String method, LiveTask s) {
    if (((TaskEntry) s).kind() == TaskKind.ONCE) {
      live.add(s);
    }
    if (closed) {
      s.stop();
      throw new IllegalStateException(method + ": the tracker is closed");
    }
    s.start();
    return (TaskHandle) s;
  }

  private static void checkName(String method, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(method + ": name must not be null or blank, was "
          + (name == null ? "null" : "\"" + name + "\""));
    }
  }

  private void checkOpen(String method) {
    if (closed) {
      throw new IllegalStateException(method + ": the tracker is closed");
    }
  }

  /** The name with its caller prefix (unless exactName), found by a stack walk. */
  private static String fullName(String method, String name, RunSettings settings) {
    return fullName(method, name, settings, null);
  }

  /**
   * The name with its caller prefix (unless exactName), at most {@link Tasks#MAX_NAME_LENGTH}
   * long. {@code task} (the {@link Task} or {@link AsyncTask} submitted) lets {@link Callers} take
   * the prefix from its cache when the task's class stands for its call site; null walks the stack.
   */
  private static String fullName(String method, String name, RunSettings settings, Object task) {
    String fullName = settings.exactName ? name : Callers.fullName(task, name);
    if (fullName.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(method + ": the full name must be at most " + MAX_NAME_LENGTH
          + " characters, was " + fullName.length() + " (\"" + fullName.substring(0, 40) + "...\")");
    }
    return fullName;
  }

  private ExecutorService platformPool() {
    ExecutorService pool = platformPool;
    if (pool == null) {
      synchronized (this) {
        pool = platformPool;
        if (pool == null) {
          pool = BlockingExecutors.platformPool();
          platformPool = pool;
        }
      }
    }
    return pool;
  }

  // ---------------------------------------------------------------- close

  @Override
  public Future<Void> close() {
    return close(options.getCloseTimeout());
  }

  @Override
  public Future<Void> close(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("Tasks.close: timeout must be > 0, was " + timeout);
    }
    Promise<Void> promise;
    synchronized (this) {
      if (closeFuture != null) {
        return closeFuture;
      }
      closed = true;
      promise = Promise.promise();
      closeFuture = promise.future();
    }
    synchronized (retained) {
      if (retentionTimer != RunContext.NO_TIMER) {
        clock.cancelTimer(retentionTimer);
        retentionTimer = RunContext.NO_TIMER;
      }
    }
    List<Future<Void>> pending = new ArrayList<>(byName.size() + live.size());
    for (TaskEntry e : byName.values()) {
      if (e instanceof LiveTask s && e.kind() != TaskKind.ONCE && !e.isFinished()) {
        pending.add(s.stop());
      }
    }
    for (LiveTask s : live) {
      pending.add(s.stop());
    }
    Deadline deadline = Deadline.arm(clock, Durations.toMillis(timeout), () -> {
      List<String> running = new ArrayList<>();
      for (TaskEntry e : byName.values()) {
        if (e instanceof LiveTask s && e.kind() != TaskKind.ONCE && s.isRunning()) {
          running.add(s.name());
        }
      }
      for (LiveTask s : live) {
        if (s.isRunning()) {
          running.add(s.name());
        }
      }
      running.sort(null);
      if (settled.compareAndSet(false, true)) {
        LOG.warn("Tasks.close: {} task(s) still running after {}: {}", running.size(), timeout, running);
        closed();
        Callbacks.fail(promise, new TasksCloseTimeoutException(timeout, running));
      }
    });
    Future.join(pending).onComplete(ar -> {
      deadline.cancel();
      if (settled.compareAndSet(false, true)) {
        closed();
        Callbacks.complete(promise);
      }
    });
    return closeFuture;
  }

  /**
   * Runs once, before the close future completes, so that a listener removed when close completes
   * still sees {@link TaskEvent.Type#CLOSED}.
   */
  private void closed() {
    ExecutorService pool = platformPool;
    if (pool != null) {
      pool.shutdown();
    }
    deliver(new TaskEvent("*", TaskEvent.Type.CLOSED, clock.now(), 0, -1, null));
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  // ---------------------------------------------------------------- queries

  @Override
  public List<TaskStatus> list() {
    List<TaskStatus> all = new ArrayList<>(byName.size());
    for (String name : sorted) {
      TaskEntry e = byName.get(name);
      if (e != null) {
        all.add(e.status());
      }
    }
    return all;
  }

  @Override
  public TaskPage list(int limit, String after) {
    if (limit < 1) {
      throw new IllegalArgumentException("Tasks.list: limit must be >= 1, was " + limit);
    }
    List<TaskStatus> page = new ArrayList<>(Math.min(limit, 1024));
    Iterator<String> names = (after == null ? sorted : sorted.tailSet(after, false)).iterator();
    String last = null;
    while (names.hasNext()) {
      String name = names.next();
      TaskEntry e = byName.get(name);
      if (e == null) {
        continue;
      }
      if (page.size() == limit) {
        return new TaskPage(page, last);
      }
      page.add(e.status());
      last = name;
    }
    return new TaskPage(page, null);
  }

  @Override
  public TasksSummary summary() {
    int[] states = new int[TaskState.values().length];
    int[] kinds = new int[TaskKind.values().length];
    long[] totals = new long[4];
    int count = 0;
    for (TaskEntry e : byName.values()) {
      count++;
      states[e.state().ordinal()]++;
      kinds[e.kind().ordinal()]++;
    }
    metrics.addTotals(totals);
    long droppedNames = dropped.sum();
    Map<TaskState, Integer> byState = new EnumMap<>(TaskState.class);
    for (TaskState s : TaskState.values()) {
      byState.put(s, states[s.ordinal()]);
    }
    Map<TaskKind, Integer> byKind = new EnumMap<>(TaskKind.class);
    for (TaskKind k : TaskKind.values()) {
      byKind.put(k, kinds[k.ordinal()]);
    }
    return new TasksSummary(count, byState, byKind, totals[0], totals[1], totals[2], totals[3],
        droppedNames);
  }

  @Override
  public Optional<TaskStatus> status(String name) {
    return find(name).map(TaskEntry::status);
  }

  @Override
  public Optional<TaskHandle> handle(String name) {
    return find(name).map(TaskEntry::handle);
  }

  private Optional<TaskEntry> find(String name) {
    if (name == null) {
      return Optional.empty();
    }
    TaskEntry exact = byName.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    TaskEntry found = null;
    for (TaskEntry e : byName.values()) {
      if (name.equals(e.shortName())) {
        if (found != null) {
          return Optional.empty();
        }
        found = e;
      }
    }
    return Optional.ofNullable(found);
  }

  // ---------------------------------------------------------------- events

  @Override
  public void addListener(Handler<TaskEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "Tasks.addListener: listener must not be null"));
    hasListeners = true;
  }

  @Override
  public void removeListener(Handler<TaskEvent> listener) {
    listeners.remove(listener);
    hasListeners = !listeners.isEmpty();
  }

  boolean hasListeners() {
    return hasListeners;
  }

  void deliver(TaskEvent event) {
    for (Handler<TaskEvent> l : listeners) {
      try {
        l.handle(event);
      } catch (Throwable t) {
        FailureLog.warn(t, "Tasks: a listener failed on {} of {}; ignored", event.type().wireName(),
            event.task());
      }
    }
  }

  // ---------------------------------------------------------------- plumbing

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  SingletonLocks singletonLocks() {
    return singletonLocks;
  }

  TasksOptions options() {
    return options;
  }

  /** Where the engine reads the time and sets its timers: the options' clock, or the default. */
  TasksClock clock() {
    return clock;
  }

  /** The schedules' timers: those due in the same millisecond share one timer of {@link #clock()}. */
  SharedTimers sharedTimers() {
    return sharedTimers;
  }

  /** {@code s} has finished: it leaves the live set; a once name with nothing left to run goes idle. */
  void finished(LiveTask s) {
    live.remove(s);
    if (((TaskEntry) s).kind() == TaskKind.ONCE && byName.get(s.name()) instanceof OnceName once) {
      onceEnded(once);
    }
  }

  // ---------------------------------------------------------------- once retention

  /** An execution of {@code once} has finished (or was never made): idle names join the retention. */
  private void onceEnded(OnceName once) {
    once.idleSince = clock.nanoTime();
    if (!once.release() || once.queued) {
      // Still running, or already waiting in the queue: prune() looks at its new idleSince there.
      return;
    }
    List<OnceName> drop;
    synchronized (retained) {
      if (!once.queued && once.active() == 0) {
        once.queued = true;
        once.queuedStamp = once.idleSince;
        retained.addLast(once);
      }
      drop = pruneLocked();
    }
    unregisterAll(drop);
  }

  /** The retention timer: drops what has grown too old. */
  private void prune(long timerId) {
    List<OnceName> drop;
    synchronized (retained) {
      if (timerId != retentionTimer) {
        return;
      }
      retentionTimer = RunContext.NO_TIMER;
      drop = pruneLocked();
    }
    unregisterAll(drop);
  }

  /**
   * Takes from the head of {@link #retained} the names over the count or older than the age, and
   * marks them dropped; returns them for {@link #unregister}. A name that runs again leaves the
   * queue when it reaches the head (it comes back when idle again), one that went idle again
   * since it was queued goes back to the tail with its new time. Arms the age timer for the rest.
   */
  private List<OnceName> pruneLocked() {
    List<OnceName> drop = null;
    long now = clock.nanoTime();
    int budget = 2 * retained.size() + 2;
    OnceName head;
    while ((head = retained.peekFirst()) != null && budget-- > 0) {
      if (head.active() != 0) {
        retained.pollFirst();
        head.queued = false;
        if (head.active() == 0) {
          // It went idle as we looked; its onceEnded may have seen queued still true.
          requeueLocked(head);
        }
        continue;
      }
      long since = head.idleSince;
      if (since != head.queuedStamp) {
        retained.pollFirst();
        requeueLocked(head);
        continue;
      }
      boolean over = retained.size() > retentionCount;
      boolean expired = now - since >= retentionAgeNanos;
      if (!over && !expired) {
        break;
      }
      retained.pollFirst();
      head.queued = false;
      if (head.tryDrop()) {
        if (drop == null) {
          drop = new ArrayList<>();
        }
        drop.add(head);
      }
    }
    armRetentionTimerLocked(now);
    return drop == null ? List.of() : drop;
  }

  private void requeueLocked(OnceName once) {
    once.queued = true;
    once.queuedStamp = once.idleSince;
    retained.addLast(once);
  }

  private void armRetentionTimerLocked(long now) {
    OnceName head = retained.peekFirst();
    if (head == null || closed || retentionTimer != RunContext.NO_TIMER
        || retentionAgeNanos == Long.MAX_VALUE) {
      return;
    }
    long dueIn = head.queuedStamp + retentionAgeNanos - now;
    long millis = Math.max(1, RestartDelay.ceilMillis(dueIn));
    // Set under the lock that prune() takes first, so the timer cannot fire before its id is known.
    retentionTimer = clock.setTimer(millis, this::prune);
  }

  private void unregisterAll(List<OnceName> drop) {
    for (OnceName once : drop) {
      unregister(once.stats().name, once);
    }
  }

  /** Removes a dropped once name from the registry, if it is still there. */
  private void unregister(String name, OnceName once) {
    byName.computeIfPresent(name, (k, v) -> {
      if (v != once) {
        return v;
      }
      unregisterLocked(k, once);
      return null;
    });
  }

  /**
   * Inside the {@code byName} compute of {@code name}: takes a dropped once name out of the sorted
   * names and removes its meters (its counters stay in the tracker's totals). Under the map's lock for the
   * name, so a new once name of the same name registers its meters only after these are gone.
   */
  private void unregisterLocked(String name, OnceName once) {
    sorted.remove(name);
    once.stats().removeMeters();
    dropped.increment();
  }
}
