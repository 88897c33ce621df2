package dev.background.reliability;

import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.PermanentFailure;
import dev.background.RetryAfter;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.TaskContext;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Random sequences of operations on a tracker (submit run/once tasks, cancel, pause, resume,
 * restartNow, end the current run with success, failure or permanent failure, close) never reach
 * an impossible state. The tasks are probes that the test ends itself (a future it completes), so
 * nothing depends on sleeping. After every operation, for every task:
 * <ul>
 * <li>runs = successes + failures + running, and the other counters agree (restarts, at most one
 * run at a time, consecutive failures);</li>
 * <li>the state agrees with the counters (RUNNING exactly while a run is in progress, nothing
 * pending in a terminal state) and a terminal state never changes;</li>
 * <li>control actions that the state forbids are refused, the others accepted;</li>
 * <li>a probe is never entered twice at once, nor after its cancel or the close completed.</li>
 * </ul>
 * At the end the tracker is closed: close succeeds, every {@code completion()} completes, every
 * state is terminal, and no Vert.x timer remains ({@link TimerLedger}).
 */
class TaskLifecyclePropertiesTest {

  private static Vertx vertx;

  @BeforeContainer
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterContainer
  static void closeVertx() {
    vertx.close().await();
  }

  // ---------------------------------------------------------------- operations

  enum Outcome { SUCCESS, FAILURE, RETRY_AFTER, PERMANENT, ERROR }

  enum Policy { RESTART_AT_ONCE, WAIT_AN_HOUR, GIVE_UP_AFTER_TWO }

  interface Op {
  }

  record Submit(boolean run, boolean blocking, boolean cooperative, Policy policy,
      boolean restartOnFailureOnly, boolean startLater) implements Op {
  }

  record EndRun(int task, Outcome outcome) implements Op {
  }

  record Cancel(int task) implements Op {
  }

  record Pause(int task) implements Op {
  }

  record Resume(int task) implements Op {
  }

  record RestartNow(int task) implements Op {
  }

  record Close() implements Op {
  }

  @Provide
  Arbitrary<List<Op>> sequences() {
    Arbitrary<Integer> task = Arbitraries.integers().between(0, 3);
    Arbitrary<Op> submit = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
        Arbitraries.of(true, false), Arbitraries.of(Policy.class), Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 5).map(i -> i == 0))
        .as(Submit::new);
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        Tuple.of(14, submit),
        Tuple.of(36, Combinators.combine(task, Arbitraries.of(Outcome.class)).as(EndRun::new)),
        Tuple.of(7, task.map(Cancel::new)),
        Tuple.of(10, task.map(Pause::new)),
        Tuple.of(10, task.map(Resume::new)),
        Tuple.of(12, task.map(RestartNow::new)),
        Tuple.of(2, Arbitraries.just(new Close())));
    return op.list().ofMinSize(1).ofMaxSize(24);
  }

  @Property(tries = 120)
  void noSequenceOfOperationsReachesAnImpossibleState(@ForAll("sequences") List<Op> ops) {
    TimerLedger ledger = new TimerLedger(vertx);
    Tasks tasks = Tasks.create(ledger.vertx(), new TasksOptions().setCloseTimeout(Duration.ofSeconds(10)));
    World world = new World(tasks);
    try {
      for (Op op : ops) {
        world.apply(op);
        world.checkInvariants(op);
      }
      world.closeAndDrain();
      world.checkFinal(ledger);
    } finally {
      world.releaseEverything();
      if (!tasks.isClosed()) {
        tasks.close(Duration.ofSeconds(1));
      }
    }
  }

  // ---------------------------------------------------------------- the world under test

  /** The tracker, its probes, and what the test did to each (the model). */
  static final class World {
    final Tasks tasks;
    final List<Probe> probes = new ArrayList<>();
    final Map<String, List<TaskEvent>> events = new ConcurrentHashMap<>();
    boolean closeCalled;
    Future<Void> closing;

    World(Tasks tasks) {
      this.tasks = tasks;
      tasks.addListener(e -> events.computeIfAbsent(e.task(), k -> new CopyOnWriteArrayList<>()).add(e));
    }

    Probe probe(int index) {
      return probes.isEmpty() ? null : probes.get(index % probes.size());
    }

    void apply(Op op) {
      if (op instanceof Submit) {
        submit((Submit) op);
      } else if (op instanceof Close) {
        if (closing == null) {
          closeCalled = true;
          closing = tasks.close();
          closing.onComplete(ar -> probes.forEach(p -> p.closeDone = true));
        }
      } else if (op instanceof EndRun) {
        Probe p = probe(((EndRun) op).task());
        if (p != null) {
          p.endCurrentRun(((EndRun) op).outcome(), this);
        }
      } else {
        int index = op instanceof Cancel ? ((Cancel) op).task() : op instanceof Pause ? ((Pause) op).task()
            : op instanceof Resume ? ((Resume) op).task() : ((RestartNow) op).task();
        Probe p = probe(index);
        if (p != null) {
          control(op, p);
        }
      }
    }

    private void submit(Submit s) {
      if (probes.size() >= 4 && !closeCalled) {
        return;
      }
      Probe p = new Probe("t" + probes.size(), s);
      List<RunOption> options = new ArrayList<>(List.of(RunOption.exactName()));
      if (s.startLater()) {
        options.add(RunOption.startDelay(Duration.ofHours(1)));
      }
      if (s.run() && s.restartOnFailureOnly()) {
        options.add(RunOption.restartOnFailureOnly());
      }
      RunOption[] opts = options.toArray(new RunOption[0]);
      Throwable refused = catchThrowable(() -> {
        if (s.run()) {
          p.handle = s.blocking() ? tasks.run(p.name, p.blockingTask(), p.backoff(), opts)
              : tasks.runAsync(p.name, p.asyncTask(), p.backoff(), opts);
        } else {
          p.handle = s.blocking() ? tasks.once(p.name, p.blockingTask(), opts)
              : tasks.onceAsync(p.name, p.asyncTask(), opts);
        }
      });
      if (closeCalled) {
        assertThat(refused).as("submit after close").isInstanceOf(IllegalStateException.class);
        return;
      }
      assertThat(refused).as("submit").isNull();
      p.handle.completion().onComplete(ar -> p.completionDone = true);
      probes.add(p);
    }

    private void control(Op op, Probe p) {
      TaskStatus before = p.handle.status();
      boolean forbidden = !p.submit.run() || p.cancelCalled || closeCalled || before.state().isTerminal();
      Future<Void> result;
      if (op instanceof Cancel) {
        p.cancelCalled = true;
        Future<Void> cancelled = p.handle.cancel();
        cancelled.onComplete(ar -> p.cancelDone = true);
        return;
      }
      if (op instanceof Pause) {
        result = p.handle.pause();
      } else if (op instanceof Resume) {
        result = p.handle.resume();
      } else {
        result = p.handle.restartNow();
        // A run in progress ends only when the test ends it: restarting it must be refused.
        forbidden |= before.state() == TaskState.RUNNING;
      }
      assertThat(result.isComplete()).as("%s answers at once", op).isTrue();
      if (forbidden) {
        assertThat(result.cause()).as("%s on %s", op, before.state()).isInstanceOf(IllegalStateException.class);
        if (before.state().isTerminal()) {
          assertThat(p.handle.status()).as("a refused %s changes nothing", op).isEqualTo(before);
        }
      } else if (!(op instanceof RestartNow) || before.state() == TaskState.PAUSED
          || p.submit.policy() == Policy.WAIT_AN_HOUR || before.state() == TaskState.PENDING) {
        // (restartNow of a task restarting at once may meet the run its timer just launched)
        assertThat(result.succeeded()).as("%s on %s: %s", op, before.state(), result.cause()).isTrue();
      }
    }

    void checkInvariants(Op after) {
      for (Probe p : probes) {
        // Flags and probe counts read before the snapshot may only be behind it, and after it
        // only ahead of it.
        boolean completionDone = p.completionDone;
        boolean cancelDone = p.cancelDone;
        int entriesBefore = p.entries.get();
        TaskStatus s = p.handle.status();
        int entriesAfter = p.entries.get();
        String where = p.name + " after " + after + ": " + s.toJson().put("history", "...").encode();
        assertThat(p.violations).as(where).isEmpty();
        assertThat(s.runs()).as(where).isEqualTo(s.successes() + s.failures() + s.running());
        assertThat(s.running()).as(where).isBetween(0, 1);
        assertThat(s.restarts()).as(where).isEqualTo(p.submit.run() ? Math.max(0, s.runs() - 1) : 0);
        assertThat(s.consecutiveFailures()).as(where).isBetween(0, (int) s.failures());
        assertThat(s.state() == TaskState.RUNNING).as(where).isEqualTo(s.running() == 1);
        assertThat(entriesBefore).as(where + " (probe entries vs runs)").isLessThanOrEqualTo((int) s.runs());
        assertThat(entriesAfter).as(where + " (probe entries vs runs)").isGreaterThanOrEqualTo((int) s.runs() - 1);
        if (s.state().isTerminal()) {
          assertThat(s.nextRunAt()).as(where).isNull();
          assertThat(s.currentDelay()).as(where).isNull();
        }
        if (p.submit.run()) {
          if (s.state() == TaskState.BACKING_OFF || s.state() == TaskState.PENDING) {
            assertThat(s.nextRunAt()).as(where).isNotNull();
          }
          if (s.state() == TaskState.PAUSED) {
            assertThat(s.paused()).as(where).isTrue();
          }
          if (s.paused() && !s.state().isTerminal() && s.state() != TaskState.RUNNING) {
            assertThat(s.state()).as(where).isEqualTo(TaskState.PAUSED);
          }
          if (p.submit.policy() == Policy.GIVE_UP_AFTER_TWO) {
            assertThat(s.consecutiveFailures()).as(where).isLessThanOrEqualTo(2);
          }
        }
        if (p.last != null) {
          assertThat(s.runs()).as(where).isGreaterThanOrEqualTo(p.last.runs());
          assertThat(s.successes()).as(where).isGreaterThanOrEqualTo(p.last.successes());
          assertThat(s.failures()).as(where).isGreaterThanOrEqualTo(p.last.failures());
          if (p.last.state().isTerminal()) {
            assertThat(s.state()).as(where + " (terminal states are final)").isEqualTo(p.last.state());
            assertThat(s.runs()).as(where).isEqualTo(p.last.runs());
          }
        }
        if (completionDone) {
          assertThat(s.state().isTerminal()).as(where + " (completion done)").isTrue();
        }
        if (cancelDone) {
          assertThat(s.state().isTerminal()).as(where + " (cancel done)").isTrue();
        }
        p.last = s;
      }
    }

    /** Closes the tracker (if the sequence did not), ending every run that waits for the test. */
    void closeAndDrain() {
      if (closing == null) {
        closeCalled = true;
        closing = tasks.close();
        closing.onComplete(ar -> probes.forEach(p -> p.closeDone = true));
      }
      Waiting.quickly().until(() -> {
        probes.forEach(Probe::endEverything);
        return closing.isComplete();
      });
      assertThat(closing.succeeded()).as("close: %s", closing.cause()).isTrue();
    }

    void checkFinal(TimerLedger ledger) {
      for (Probe p : probes) {
        Waiting.quickly().until(() -> p.completionDone);
        TaskStatus s = p.handle.status();
        String where = p.name + " at the end: " + s.toJson().put("history", "...").encode();
        assertThat(s.state().isTerminal()).as(where).isTrue();
        assertThat(s.running()).as(where).isZero();
        assertThat(s.runs()).as(where).isEqualTo(s.successes() + s.failures());
        assertThat(p.entries.get()).as(where + " (probe entries)").isEqualTo((int) s.runs());
        assertThat(p.active.get()).as(where).isZero();
        List<TaskEvent> mine = events.getOrDefault(p.name, List.of());
        assertThat(mine.stream().filter(e -> e.type() == TaskEvent.Type.STARTED).count()).as(where)
            .isEqualTo(s.runs());
        assertThat(mine.stream().filter(e -> e.type() == TaskEvent.Type.SUCCEEDED
            || e.type() == TaskEvent.Type.FAILED).count()).as(where).isEqualTo(s.runs());
      }
      Waiting.quickly().until(() -> ledger.live() == 0);
      // Nothing may run once close has completed (a probe records any entry as a violation).
      Waiting.quickly().during(Duration.ofMillis(15)).until(() -> ledger.live() == 0);
      for (Probe p : probes) {
        assertThat(p.violations).as(p.name).isEmpty();
      }
      assertThat(ledger.periodic()).isZero();
    }

    void releaseEverything() {
      probes.forEach(Probe::endEverything);
    }
  }

  /** One submitted task: runs that the test ends, and what they observed. */
  static final class Probe {
    final String name;
    final Submit submit;
    final AtomicInteger entries = new AtomicInteger();
    final AtomicInteger active = new AtomicInteger();
    final ConcurrentLinkedDeque<CompletableFuture<Outcome>> pending = new ConcurrentLinkedDeque<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    TaskHandle handle;
    TaskStatus last;
    volatile boolean cancelCalled;
    volatile boolean cancelDone;
    volatile boolean closeDone;
    volatile boolean completionDone;
    int consecutiveFailures;

    Probe(String name, Submit submit) {
      this.name = name;
      this.submit = submit;
    }

    Backoff backoff() {
      switch (submit.policy()) {
        case RESTART_AT_ONCE:
          return Backoff.fixed(Duration.ofMillis(1));
        case WAIT_AN_HOUR:
          return Backoff.fixed(Duration.ofHours(1));
        default:
          return Backoff.fixed(Duration.ofMillis(1)).toBuilder().maxAttempts(2).build();
      }
    }

    private CompletableFuture<Outcome> enter(TaskContext ctx) {
      entries.incrementAndGet();
      if (active.incrementAndGet() > 1) {
        violations.add("entered while another run was in progress (attempt " + ctx.attempt() + ")");
      }
      if (cancelDone || closeDone) {
        violations.add("entered after " + (cancelDone ? "cancel" : "close") + " completed");
      }
      CompletableFuture<Outcome> outcome = new CompletableFuture<>();
      if (submit.cooperative()) {
        ctx.onCancel().onComplete(v -> outcome.complete(Outcome.SUCCESS));
      }
      pending.add(outcome);
      return outcome;
    }

    private void leave(CompletableFuture<Outcome> outcome) {
      pending.remove(outcome);
      active.decrementAndGet();
    }

    private static Throwable failure(Outcome o) {
      switch (o) {
        case FAILURE:
          return new IllegalStateException("failed on purpose");
        case RETRY_AFTER:
          return new RetryAfter(Duration.ofMillis(1));
        case PERMANENT:
          return new PermanentFailure("failed for good");
        case ERROR:
          return new AssertionError("an Error on purpose");
        default:
          return null;
      }
    }

    Task blockingTask() {
      return ctx -> {
        CompletableFuture<Outcome> outcome = enter(ctx);
        Outcome o = outcome.join();
        leave(outcome);
        Throwable t = failure(o);
        if (t instanceof Error) {
          throw (Error) t;
        }
        if (t != null) {
          throw (RuntimeException) t;
        }
      };
    }

    AsyncTask asyncTask() {
      return ctx -> {
        CompletableFuture<Outcome> outcome = enter(ctx);
        Promise<Void> p = Promise.promise();
        outcome.thenAccept(o -> {
          leave(outcome);
          Throwable t = failure(o);
          if (t == null) {
            p.complete();
          } else {
            p.fail(t);
          }
        });
        return p.future();
      };
    }

    /**
     * Ends the run in progress, if any, and waits until the tracker has recorded its end; then
     * checks the state the model predicts.
     */
    void endCurrentRun(Outcome o, World world) {
      TaskStatus before = handle.status();
      if (before.state() != TaskState.RUNNING) {
        return;
      }
      // An async run is dispatched to its event loop a moment after it is counted.
      Waiting.quickly().until(() -> !pending.isEmpty() || handle.status().running() == 0);
      CompletableFuture<Outcome> run = pending.peekLast();
      if (run == null) {
        return;
      }
      long endedBefore = before.successes() + before.failures();
      if (!run.complete(o)) {
        return;
      }
      Waiting.quickly().until(() -> {
        TaskStatus s = handle.status();
        return s.successes() + s.failures() > endedBefore;
      });
      consecutiveFailures = o == Outcome.SUCCESS ? 0 : consecutiveFailures + 1;
      TaskState expected = expectedStateAfter(o, world);
      if (expected != null) {
        assertThat(handle.status().state()).as("%s after %s", name, o).isEqualTo(expected);
      } else if (!world.closeCalled && !cancelCalled) {
        assertThat(handle.status().state()).as("%s after %s", name, o).isNotIn(TaskState.COMPLETED,
            TaskState.FAILED, TaskState.GAVE_UP, TaskState.CANCELLED);
      }
    }

    /** The final state a run ending with {@code o} leads to, or null when the task goes on. */
    private TaskState expectedStateAfter(Outcome o, World world) {
      if (cancelCalled || world.closeCalled) {
        return TaskState.CANCELLED;
      }
      if (!submit.run()) {
        return o == Outcome.SUCCESS ? TaskState.COMPLETED : TaskState.FAILED;
      }
      if (o == Outcome.PERMANENT) {
        return TaskState.FAILED;
      }
      if (o == Outcome.SUCCESS && submit.restartOnFailureOnly()) {
        return TaskState.COMPLETED;
      }
      if (o != Outcome.SUCCESS && submit.policy() == Policy.GIVE_UP_AFTER_TWO && consecutiveFailures >= 2) {
        return TaskState.GAVE_UP;
      }
      return null;
    }

    void endEverything() {
      for (CompletableFuture<Outcome> run : pending) {
        run.complete(Outcome.SUCCESS);
      }
    }

    @Override
    public String toString() {
      return name + submit;
    }
  }
}
