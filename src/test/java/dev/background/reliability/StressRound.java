package dev.background.reliability;

import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.PermanentFailure;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.TaskContext;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * One round of {@link StressTest}: a fresh tracker on the shared Vert.x, {@link #WORKERS} threads
 * that race random operations on a few names (run, runAsync, once, onceAsync, cancel, restartNow,
 * pause and resume, through held handles and through {@code tasks.handle(name)}, status reads,
 * close), some of them hopped onto event loops, and {@code close(timeout)} at a random point while
 * the others keep going. Tasks record when their runs start and end. Then the checks of
 * {@link Check}. Everything random is drawn from the round's seed, so the same seed replays the
 * same operations and task behaviours (the interleaving is up to the scheduler).
 */
final class StressRound {

  /** What a round checks; each failure is counted under one of these. */
  enum Check {
    OVERLAP("two runs of one run name at once"),
    STARTED_AFTER_CLOSE("a run started after close() completed"),
    RUNNING_AT_CLOSE("a run still in progress when close() completed"),
    STARTED_AFTER_COMPLETION("a run started after its handle's completion() completed"),
    COUNTERS("a status with runs != successes + failures + running, or not final after close"),
    RUNS_COUNTED("the runs a status counts differ from the runs that happened"),
    COMPLETION("a completion() that did not complete"),
    CLOSE("close() failed, did not complete, or returned another future"),
    THREADS("a vertx-background-* thread alive after close"),
    TIMERS("a tracker timer alive after close"),
    EVENTS("events of one run name out of order (started while a run is open, ...)"),
    UNEXPECTED("an operation threw what its contract does not say");

    final String what;

    Check(String what) {
      this.what = what;
    }
  }

  static final int WORKERS = 8;
  /** Operations done by all workers together after close() completed. */
  static final int OPS_AFTER_CLOSE = 400;
  /** At most this many once executions live at a time (a blocking one holds a thread). */
  static final int MAX_LIVE_ONCE = 24;
  /** The longest time a task ignores its cancel; the close timeout is far longer. */
  static final long MAX_IGNORE_MS = 60;
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  static final int EXAMPLES = 4;

  enum Op {
    RUN, RUN_ASYNC, ONCE, ONCE_ASYNC, CANCEL_HELD, CANCEL_BY_NAME, CANCEL_NEXT, RESTART_HELD,
    RESTART_BY_NAME, RESTART_NEXT, PAUSE, RESUME, STATUS, CLOSE_AGAIN
  }

  /** How one run behaves; drawn per submission and attempt. */
  enum Behaviour { SUCCEED, FAIL, THROW, PERMANENT, COOPERATIVE, IGNORES_CANCEL }

  /** One submission and what its runs did. */
  static final class Sub {
    final long id;
    final String name;
    final boolean run;
    final boolean blocking;
    final long seed;
    final AtomicLong starts = new AtomicLong();
    volatile TaskHandle handle;
    /** Set when run/once threw: such a submission must never run. */
    volatile boolean refused;

    Sub(long id, String name, boolean run, boolean blocking, long seed) {
      this.id = id;
      this.name = name;
      this.run = run;
      this.blocking = blocking;
      this.seed = seed;
    }

    @Override
    public String toString() {
      return name + "#" + id + (run ? " run" : " once") + (blocking ? "" : "Async");
    }
  }

  /** The recent events of one run name, for the order check. */
  static final class Track {
    boolean open;
    final ArrayDeque<String> last = new ArrayDeque<>();

    void remember(TaskEvent e) {
      if (last.size() == 8) {
        last.pollFirst();
      }
      last.addLast(e.type().wireName() + "#" + e.attempt());
    }
  }

  /** A failure without a stack trace: the round measures the supervisor, not fillInStackTrace. */
  static final class StressFailure extends RuntimeException {
    StressFailure(String message) {
      super(message, null, false, false);
    }
  }

  private final long seed;
  private final Vertx vertx;
  private final ExecutorService workers;
  private final List<Context> loops;

  private final List<String> runNames = new ArrayList<>();
  private final List<String> onceNames = new ArrayList<>();
  private final List<String> allNames = new ArrayList<>();
  private final int[] weights = new int[Op.values().length];
  private final int weightSum;
  private final long closeAt;
  private final boolean closeOnEventLoop;

  private final TimerLedger ledger;
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final Tasks tasks;

  // What happened.
  private final Map<Check, AtomicLong> counts = new EnumMap<>(Check.class);
  private final Map<Check, List<String>> examples = new EnumMap<>(Check.class);
  private final AtomicLong ops = new AtomicLong();
  private final AtomicLong afterClose = new AtomicLong();
  private final AtomicLong subIds = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong cancels = new AtomicLong();
  private final AtomicLong runsStarted = new AtomicLong();
  private final AtomicInteger maxOverlap = new AtomicInteger();
  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicInteger liveOnce = new AtomicInteger();
  private final AtomicInteger hops = new AtomicInteger();
  private final Map<String, AtomicInteger> runningByName = new ConcurrentHashMap<>();
  /** The runs of each run name in progress, as "sub attempt n". */
  private final Map<String, Set<String>> runsByName = new ConcurrentHashMap<>();
  private final Set<String> poolThreads = ConcurrentHashMap.newKeySet();
  private final Map<String, Track> tracks = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Sub> subs = new ConcurrentLinkedQueue<>();
  private final Set<TaskHandle> handles = ConcurrentHashMap.newKeySet();
  private final AtomicReferenceArray<TaskHandle> recent = new AtomicReferenceArray<>(32);
  private final AtomicReference<Future<Void>> closeFuture = new AtomicReference<>();
  private volatile long closeCalledAt;
  private volatile boolean closeDone;

  StressRound(Vertx vertx, ExecutorService workers, List<Context> loops, long seed) {
    this.vertx = vertx;
    this.workers = workers;
    this.loops = loops;
    this.seed = seed;
    for (Check c : Check.values()) {
      counts.put(c, new AtomicLong());
      examples.put(c, Collections.synchronizedList(new ArrayList<>()));
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int runCount = 2 + rng.nextInt(4);
    int onceCount = 1 + rng.nextInt(3);
    for (int i = 0; i < runCount; i++) {
      runNames.add("stress-r" + i);
    }
    for (int i = 0; i < onceCount; i++) {
      onceNames.add("stress-o" + i);
    }
    allNames.addAll(runNames);
    allNames.addAll(onceNames);
    for (String n : runNames) {
      tracks.put(n, new Track());
    }
    // Weights of the operations, jittered per round: some rounds are cancel storms, others
    // submit storms.
    int sum = 0;
    int[] base = {6, 6, 3, 3, 4, 6, 4, 2, 2, 1, 2, 2, 3, 1};
    for (Op op : Op.values()) {
      weights[op.ordinal()] = base[op.ordinal()] * (1 + rng.nextInt(4));
      sum += weights[op.ordinal()];
    }
    weightSum = sum;
    closeAt = 200 + rng.nextInt(12_000);
    closeOnEventLoop = rng.nextInt(4) == 0;

    ledger = new TimerLedger(vertx);
    tasks = Tasks.create(ledger.vertx(), new TasksOptions().setMeterRegistry(registry));
    tasks.addListener(this::onEvent);
  }

  // ------------------------------------------------------------------ the result

  /** What one round found. */
  static final class Result {
    final long seed;
    final Map<Check, Long> counts = new EnumMap<>(Check.class);
    final Map<Check, List<String>> examples = new EnumMap<>(Check.class);
    long ops;
    long accepted;
    long refused;
    long cancels;
    long runs;
    int maxOverlap;
    long timersSet;
    int poolThreads;

    Result(long seed) {
      this.seed = seed;
    }

    boolean failed() {
      return counts.values().stream().anyMatch(n -> n > 0);
    }

    String describe() {
      StringBuilder b = new StringBuilder();
      b.append("seed ").append(seed).append(": ").append(ops).append(" operations, ").append(accepted)
          .append(" submissions accepted (").append(refused).append(" refused), ").append(runs).append(" runs, most runs of one name at once: ")
          .append(maxOverlap).append('\n');
      counts.forEach((check, n) -> {
        if (n > 0) {
          b.append("  ").append(check).append(" x").append(n).append(" (").append(check.what).append(")\n");
          for (String e : examples.get(check)) {
            b.append("    - ").append(e).append('\n');
          }
        }
      });
      return b.toString();
    }
  }

  // ------------------------------------------------------------------ the round

  Result run() {
    Set<String> threadsBefore = backgroundThreads();
    List<java.util.concurrent.Future<?>> running = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      running.add(workers.submit(() -> work(worker)));
    }
    for (java.util.concurrent.Future<?> f : running) {
      try {
        f.get(Waiting.WAIT.toMillis() * 6, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        problem(Check.UNEXPECTED, "worker: " + e);
      }
    }
    await("event-loop operations to end", () -> hops.get() == 0);
    checkAfterClose(threadsBefore);
    Result r = new Result(seed);
    counts.forEach((c, n) -> r.counts.put(c, n.get()));
    examples.forEach((c, l) -> r.examples.put(c, new ArrayList<>(l)));
    r.ops = ops.get();
    r.accepted = accepted.get();
    r.refused = refused.get();
    r.cancels = cancels.get();
    r.runs = runsStarted.get();
    r.maxOverlap = maxOverlap.get();
    r.timersSet = ledger.set();
    r.poolThreads = poolThreads.size();
    return r;
  }

  private void work(int worker) {
    SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (worker + 1)));
    try {
      for (;;) {
        long n = ops.incrementAndGet();
        if (n == closeAt) {
          if (closeOnEventLoop) {
            hop(rng, r -> closeNow());
          } else {
            closeNow();
          }
        }
        Future<Void> closing = closeFuture.get();
        if (closing != null && closing.isComplete() && afterClose.incrementAndGet() > OPS_AFTER_CLOSE) {
          return;
        }
        if (closing != null && !closing.isComplete()
            && System.nanoTime() - closeCalledAt > Waiting.WAIT.toNanos()) {
          problem(Check.CLOSE, "close() did not complete within " + Waiting.WAIT + " (" + tasks.list().stream()
              .filter(s -> s.running() > 0).map(TaskStatus::name).collect(Collectors.toList()) + " running)");
          return;
        }
        Op op = pick(rng);
        if (rng.nextInt(10) == 0 && hops.get() < 64) {
          hop(rng, r -> operate(op, r));
        } else {
          operate(op, rng);
        }
      }
    } catch (Throwable t) {
      problem(Check.UNEXPECTED, "worker " + worker + ": " + t);
    }
  }

  private void hop(SplittableRandom rng, java.util.function.Consumer<SplittableRandom> op) {
    Context context = loops.get(rng.nextInt(loops.size()));
    SplittableRandom own = rng.split();
    hops.incrementAndGet();
    context.runOnContext(v -> {
      try {
        op.accept(own);
      } catch (Throwable t) {
        problem(Check.UNEXPECTED, "on an event loop: " + t);
      } finally {
        hops.decrementAndGet();
      }
    });
  }

  private Op pick(SplittableRandom rng) {
    int x = rng.nextInt(weightSum);
    for (Op op : Op.values()) {
      x -= weights[op.ordinal()];
      if (x < 0) {
        return op;
      }
    }
    throw new AssertionError();
  }

  private void closeNow() {
    closeCalledAt = System.nanoTime();
    Future<Void> f = tasks.close(CLOSE_TIMEOUT);
    closeFuture.compareAndSet(null, f);
    f.onComplete(ar -> {
      closeDone = true;
      if (inProgress.get() > 0) {
        problem(Check.RUNNING_AT_CLOSE, "close() completed while " + inProgress.get() + " run(s) were in progress: "
            + inProgressNames());
      }
      if (ar.failed()) {
        problem(Check.CLOSE, "close() failed: " + ar.cause());
      }
    });
  }

  private String inProgressNames() {
    return runningByName.entrySet().stream().filter(e -> e.getValue().get() > 0)
        .map(e -> e.getKey() + " x" + e.getValue().get()).sorted().collect(Collectors.toList()).toString();
  }

  // ------------------------------------------------------------------ operations

  private void operate(Op op, SplittableRandom rng) {
    switch (op) {
      case RUN:
      case RUN_ASYNC:
        submitRun(rng, op == Op.RUN);
        break;
      case ONCE:
      case ONCE_ASYNC:
        submitOnce(rng, op == Op.ONCE);
        break;
      case CANCEL_HELD:
        held(rng, h -> {
          cancels.incrementAndGet();
          h.cancel();
        });
        break;
      case CANCEL_BY_NAME:
        byName(rng, h -> {
          cancels.incrementAndGet();
          h.cancel();
        });
        break;
      case CANCEL_NEXT:
        next(rng, h -> {
          cancels.incrementAndGet();
          h.cancel();
        });
        break;
      case RESTART_NEXT:
        next(rng, TaskHandle::restartNow);
        break;
      case RESTART_HELD:
        held(rng, TaskHandle::restartNow);
        break;
      case RESTART_BY_NAME:
        byName(rng, TaskHandle::restartNow);
        break;
      case PAUSE:
        if (rng.nextBoolean()) {
          held(rng, TaskHandle::pause);
        } else {
          byName(rng, TaskHandle::pause);
        }
        break;
      case RESUME:
        if (rng.nextBoolean()) {
          held(rng, TaskHandle::resume);
        } else {
          byName(rng, TaskHandle::resume);
        }
        break;
      case STATUS:
        for (TaskStatus s : tasks.list()) {
          checkCounters(s, false, "list()");
        }
        held(rng, h -> checkCounters(h.status(), false, "handle.status()"));
        break;
      default:
        Future<Void> first = closeFuture.get();
        if (first != null) {
          Future<Void> again = rng.nextBoolean() ? tasks.close() : tasks.close(Duration.ofMillis(1 + rng.nextInt(100)));
          if (again != first) {
            problem(Check.CLOSE, "a later close() returned another future than the first");
          }
        }
        break;
    }
  }

  private void held(SplittableRandom rng, java.util.function.Consumer<TaskHandle> action) {
    TaskHandle h = recent.get(rng.nextInt(recent.length()));
    if (h != null) {
      action.accept(h);
    }
  }

  private void byName(SplittableRandom rng, java.util.function.Consumer<TaskHandle> action) {
    tasks.handle(allNames.get(rng.nextInt(allNames.size()))).ifPresent(h -> {
      handles.add(h);
      action.accept(h);
    });
  }

  /**
   * Waits (a thousand look-ups at most) for a new handle under a name, and acts on it at once:
   * as close to the task's registration as this thread can get.
   */
  private void next(SplittableRandom rng, java.util.function.Consumer<TaskHandle> action) {
    String name = allNames.get(rng.nextInt(allNames.size()));
    TaskHandle seen = tasks.handle(name).orElse(null);
    for (int i = 0; i < 1_000; i++) {
      TaskHandle h = tasks.handle(name).orElse(null);
      if (h != null && h != seen) {
        action.accept(h);
        handles.add(h);
        return;
      }
    }
  }

  private void submitRun(SplittableRandom rng, boolean blocking) {
    // Now and then a run on a once name: refused, or it takes the name for the round.
    String name = rng.nextInt(20) == 0 ? onceNames.get(rng.nextInt(onceNames.size()))
        : runNames.get(rng.nextInt(runNames.size()));
    Sub sub = new Sub(subIds.incrementAndGet(), name, true, blocking, rng.nextLong());
    Backoff backoff = Backoff.builder().initialInterval(Duration.ofMillis(1))
        .maxInterval(Duration.ofMillis(1 + rng.nextInt(5)))
        .maxAttempts(rng.nextInt(4) == 0 ? 2 + rng.nextInt(3) : 0).build();
    List<RunOption> options = new ArrayList<>();
    options.add(RunOption.exactName());
    if (rng.nextInt(6) == 0) {
      options.add(RunOption.restartOnFailureOnly());
    }
    if (rng.nextInt(6) == 0) {
      options.add(RunOption.startDelay(Duration.ofMillis(rng.nextInt(4))));
    }
    if (blocking && rng.nextInt(4) == 0) {
      options.add(RunOption.interruptOnCancel());
    }
    RunOption[] opts = options.toArray(new RunOption[0]);
    TaskHandle h;
    try {
      h = blocking ? tasks.run(name, blockingTask(sub), backoff, opts)
          : tasks.runAsync(name, asyncTask(sub), backoff, opts);
    } catch (IllegalArgumentException | IllegalStateException e) {
      refusal(e, sub);
      return;
    }
    accepted(sub, h);
  }

  private void submitOnce(SplittableRandom rng, boolean blocking) {
    if (liveOnce.get() >= MAX_LIVE_ONCE) {
      return;
    }
    String name = onceNames.get(rng.nextInt(onceNames.size()));
    Sub sub = new Sub(subIds.incrementAndGet(), name, false, blocking, rng.nextLong());
    List<RunOption> options = new ArrayList<>();
    options.add(RunOption.exactName());
    if (rng.nextInt(6) == 0) {
      options.add(RunOption.startDelay(Duration.ofMillis(rng.nextInt(4))));
    }
    if (blocking && rng.nextInt(4) == 0) {
      options.add(RunOption.interruptOnCancel());
    }
    RunOption[] opts = options.toArray(new RunOption[0]);
    TaskHandle h;
    liveOnce.incrementAndGet();
    try {
      h = blocking ? tasks.once(name, blockingTask(sub), opts) : tasks.onceAsync(name, asyncTask(sub), opts);
    } catch (IllegalArgumentException | IllegalStateException e) {
      liveOnce.decrementAndGet();
      refusal(e, sub);
      return;
    }
    h.completion().onComplete(ar -> liveOnce.decrementAndGet());
    accepted(sub, h);
  }

  private void accepted(Sub sub, TaskHandle h) {
    sub.handle = h;
    subs.add(sub);
    handles.add(h);
    recent.set((int) (sub.id % recent.length()), h);
    accepted.incrementAndGet();
  }

  /** A refused submission: a busy name before close, the closed tracker after. */
  private void refusal(RuntimeException e, Sub sub) {
    refused.incrementAndGet();
    sub.refused = true;
    String m = String.valueOf(e.getMessage());
    boolean expected = e instanceof IllegalStateException ? tasks.isClosed() && m.contains("closed")
        : m.contains("is used by");
    if (!expected) {
      problem(Check.UNEXPECTED, sub + ": refused with " + e);
    }
    if (sub.starts.get() > 0) {
      problem(Check.RUNS_COUNTED, sub + ": refused with " + e + ", yet it ran");
    }
  }

  // ------------------------------------------------------------------ the tasks

  private Behaviour behaviour(SplittableRandom r) {
    int x = r.nextInt(20);
    return x < 5 ? Behaviour.SUCCEED : x < 9 ? Behaviour.FAIL : x < 10 ? Behaviour.THROW
        : x < 11 ? Behaviour.PERMANENT : x < 18 ? Behaviour.COOPERATIVE : Behaviour.IGNORES_CANCEL;
  }

  private Task blockingTask(Sub sub) {
    return ctx -> {
      SplittableRandom r = new SplittableRandom(sub.seed + ctx.attempt());
      Behaviour b = behaviour(r);
      long ms = b == Behaviour.IGNORES_CANCEL ? 1 + r.nextInt((int) MAX_IGNORE_MS) : 1 + r.nextInt(20);
      String run = enter(sub, ctx);
      try {
        switch (b) {
          case SUCCEED:
            return;
          case FAIL:
          case THROW:
            throw new StressFailure(sub + " attempt " + ctx.attempt());
          case PERMANENT:
            throw new PermanentFailure(sub + " attempt " + ctx.attempt());
          case COOPERATIVE:
            // The task's own work: a bounded wait that its cancel cuts short.
            CountDownLatch cancelled = new CountDownLatch(1);
            ctx.onCancel().onComplete(ar -> cancelled.countDown());
            cancelled.await(ms, TimeUnit.MILLISECONDS);
            return;
          default:
            ignoreCancelFor(ms);
        }
      } finally {
        exit(sub, run);
      }
    };
  }

  /** Works for {@code ms}, ignoring cancel and interrupts (the interrupt is kept for the end). */
  private static void ignoreCancelFor(long ms) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    boolean interrupted = false;
    for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private AsyncTask asyncTask(Sub sub) {
    return ctx -> {
      SplittableRandom r = new SplittableRandom(sub.seed + ctx.attempt());
      Behaviour b = behaviour(r);
      long ms = b == Behaviour.IGNORES_CANCEL ? 1 + r.nextInt((int) MAX_IGNORE_MS) : 1 + r.nextInt(20);
      String run = enter(sub, ctx);
      switch (b) {
        case SUCCEED:
          exit(sub, run);
          return Future.succeededFuture();
        case FAIL:
          exit(sub, run);
          return Future.failedFuture(new StressFailure(sub + " attempt " + ctx.attempt()));
        case THROW:
          exit(sub, run);
          throw new StressFailure(sub + " attempt " + ctx.attempt());
        case PERMANENT:
          exit(sub, run);
          return Future.failedFuture(new PermanentFailure(sub + " attempt " + ctx.attempt()));
        case COOPERATIVE: {
          Promise<Void> p = Promise.promise();
          AtomicBoolean ended = new AtomicBoolean();
          Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
              exit(sub, run);
              p.complete();
            }
          };
          // The test's own Vert.x, not the ledger's view: these timers are the task's, not the tracker's.
          long timer = vertx.setTimer(ms, id -> end.run());
          ctx.onCancel().onComplete(ar -> {
            vertx.cancelTimer(timer);
            end.run();
          });
          return p.future();
        }
        default: {
          Promise<Void> p = Promise.promise();
          vertx.setTimer(ms, id -> {
            exit(sub, run);
            p.complete();
          });
          return p.future();
        }
      }
    };
  }

  /** A run begins: the checks that need the moment it starts. Returns the run's name for {@link #exit}. */
  private String enter(Sub sub, TaskContext ctx) {
    String run = sub + " attempt " + ctx.attempt() + " (run " + runsStarted.incrementAndGet() + ")";
    sub.starts.incrementAndGet();
    if (sub.refused) {
      problem(Check.RUNS_COUNTED, sub + ": refused, yet it ran (attempt " + ctx.attempt() + ")");
    }
    if (sub.blocking) {
      poolThreads.add(Thread.currentThread().getName());
    }
    inProgress.incrementAndGet();
    runningByName.computeIfAbsent(sub.name, k -> new AtomicInteger()).incrementAndGet();
    if (closeDone) {
      problem(Check.STARTED_AFTER_CLOSE, run + " started after close() completed");
    }
    TaskHandle h = sub.handle;
    if (h != null && h.completion().isComplete()) {
      problem(Check.STARTED_AFTER_COMPLETION, run + " started after its completion() completed (state "
          + h.status().state() + ")");
    }
    if (sub.run) {
      Set<String> runs = runsByName.computeIfAbsent(sub.name, k -> ConcurrentHashMap.newKeySet());
      String others = runs.toString();
      runs.add(run);
      int n = runs.size();
      maxOverlap.accumulateAndGet(n, Math::max);
      if (n > 1) {
        problem(Check.OVERLAP, run + " started while other runs of " + sub.name + " were in progress: " + others
            + (h == null ? "" : "; its state: " + h.status().state()));
      }
    }
    return run;
  }

  private void exit(Sub sub, String run) {
    if (sub.run) {
      runsByName.get(sub.name).remove(run);
    }
    runningByName.get(sub.name).decrementAndGet();
    inProgress.decrementAndGet();
  }

  // ------------------------------------------------------------------ events

  private void onEvent(TaskEvent e) {
    Track t = tracks.get(e.task());
    if (t == null) {
      return;
    }
    synchronized (t) {
      String before = String.join(" ", t.last);
      t.remember(e);
      switch (e.type()) {
        case STARTED:
          if (t.open) {
            problem(Check.EVENTS, e.task() + ": started#" + e.attempt() + " while a run is open; events: " + before);
          }
          t.open = true;
          break;
        case SUCCEEDED:
        case FAILED:
          if (!t.open) {
            problem(Check.EVENTS, e.task() + ": " + e.type().wireName() + "#" + e.attempt()
                + " with no run open; events: " + before);
          }
          t.open = false;
          break;
        case CANCELLED:
        case GAVE_UP:
          if (t.open) {
            problem(Check.EVENTS, e.task() + ": " + e.type().wireName() + "#" + e.attempt()
                + " while a run is open; events: " + before);
          }
          break;
        default:
          break;
      }
    }
  }

  // ------------------------------------------------------------------ after close

  private void checkAfterClose(Set<String> threadsBefore) {
    Future<Void> closing = closeFuture.get();
    if (closing == null) {
      problem(Check.CLOSE, "close() was never called (" + ops.get() + " operations)");
      closing = tasks.close(CLOSE_TIMEOUT);
    }
    Future<Void> closed = closing;
    await("close() to complete", closed::isComplete);

    // Every completion completes.
    List<TaskHandle> all = new ArrayList<>(handles);
    try {
      Waiting.quickly().until(() -> all.stream().allMatch(h -> h.completion().isComplete()));
    } catch (ConditionTimeoutException e) {
      for (TaskHandle h : all) {
        if (!h.completion().isComplete()) {
          problem(Check.COMPLETION, h.name() + ": completion() not complete " + Waiting.WAIT + " after close; "
              + brief(h.status()));
        }
      }
    }
    // Runs that should not exist (started after close) are let end before the rest is checked.
    await("runs to end", () -> inProgress.get() == 0);

    // Counters, and every status final.
    for (TaskStatus s : tasks.list()) {
      checkCounters(s, true, "list()");
    }
    for (TaskHandle h : all) {
      checkCounters(h.status(), true, "handle.status()");
    }
    // The runs counted are the runs that happened.
    Map<String, Long> onceStarts = new ConcurrentHashMap<>();
    for (Sub sub : subs) {
      TaskStatus s = sub.handle.status();
      if (s.kind() == TaskKind.RUN) {
        if (s.runs() != sub.starts.get()) {
          problem(Check.RUNS_COUNTED, sub + ": status counts " + s.runs() + " runs, " + sub.starts.get()
              + " happened; " + brief(s));
        }
      } else {
        onceStarts.merge(sub.name, sub.starts.get(), Long::sum);
      }
    }
    onceStarts.forEach((name, starts) -> tasks.status(name).ifPresent(s -> {
      if (s.runs() != starts) {
        problem(Check.RUNS_COUNTED, name + ": once status counts " + s.runs() + " runs, " + starts + " happened");
      }
    }));
    double runGauge = registry.get("background.tasks.running").gauge().value();
    double onceGauge = registry.get("once.tasks.running").gauge().value();
    if (runGauge != 0 || onceGauge != 0) {
      problem(Check.COUNTERS, "running gauges after close: run " + runGauge + ", once " + onceGauge);
    }

    // No thread of the tracker, no timer.
    try {
      Waiting.quickly().until(() -> newThreads(threadsBefore).isEmpty());
    } catch (ConditionTimeoutException e) {
      problem(Check.THREADS, "alive " + Waiting.WAIT + " after close: " + newThreads(threadsBefore));
    }
    try {
      Waiting.quickly().until(() -> ledger.live() == 0);
    } catch (ConditionTimeoutException e) {
      problem(Check.TIMERS, ledger + ", live ids " + ledger.liveIds());
    }
  }

  private void checkCounters(TaskStatus s, boolean closed, String where) {
    if (s.runs() != s.successes() + s.failures() + s.running() || s.running() < 0
        || (s.kind() == TaskKind.RUN && s.running() > 1)) {
      problem(Check.COUNTERS, where + ": " + brief(s));
    }
    if (closed && (s.running() != 0 || !s.state().isTerminal())) {
      problem(Check.COUNTERS, where + " after close: not final: " + brief(s));
    }
  }

  private static String brief(TaskStatus s) {
    return s.name() + " " + s.kind() + " " + s.state() + " runs=" + s.runs() + " successes=" + s.successes()
        + " failures=" + s.failures() + " running=" + s.running();
  }

  private Set<String> newThreads(Set<String> before) {
    Set<String> now = backgroundThreads();
    now.removeAll(before);
    return now;
  }

  static Set<String> backgroundThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("vertx-background-")).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  private void await(String what, java.util.concurrent.Callable<Boolean> condition) {
    try {
      Waiting.quickly().until(condition);
    } catch (ConditionTimeoutException e) {
      problem(Check.UNEXPECTED, "waited " + Waiting.WAIT + " for " + what);
    }
  }

  private void problem(Check check, String message) {
    counts.get(check).incrementAndGet();
    List<String> l = examples.get(check);
    synchronized (l) {
      if (l.size() < EXAMPLES && !l.contains(message)) {
        l.add(message);
      }
    }
  }
}
