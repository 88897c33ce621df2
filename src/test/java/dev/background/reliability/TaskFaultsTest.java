package dev.background.reliability;

import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tasks that misbehave in every way a task can: Errors (a real StackOverflowError, an
 * OutOfMemoryError and an AssertionError thrown by the task), null futures, futures completed
 * twice, exceptions whose message cannot be read, blocking forever or spinning without yielding
 * while ignoring cancellation, interrupting their own thread. Each is contained (the tracker
 * restarts it on its schedule, or reports it RUNNING when it never returns), reported in its
 * status and in the metrics, and two metronome tasks (async and blocking, every 20 ms) keep their
 * schedule meanwhile. Then the tracker still closes.
 */
@ExtendWith(VertxExtension.class)
class TaskFaultsTest {

  private static final Backoff EVERY_20_MS = Backoff.fixed(Duration.ofMillis(20));
  private static final int BEATS = 20;

  /** What a fault looks like in the status once it has shown itself. */
  enum Shows { FAILURES, SUCCESSES, STUCK }

  /** A misbehaving task, what it shows, and the error type it reports (for FAILURES). */
  static final class Fault {
    final String what;
    final Shows shows;
    final String errorType;
    final Object task;
    final Runnable release;
    final List<Boolean> interruptedAtStart = new CopyOnWriteArrayList<>();
    final AtomicInteger refusedSecondCompletions = new AtomicInteger();

    Fault(String what, Shows shows, String errorType, java.util.function.Function<Fault, Object> task,
        Runnable release) {
      this.what = what;
      this.shows = shows;
      this.errorType = errorType;
      this.task = task.apply(this);
      this.release = release;
    }

    boolean blocking() {
      return task instanceof Task;
    }

    @Override
    public String toString() {
      return what;
    }
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  static List<Fault> faults() {
    List<Fault> all = new ArrayList<>();
    all.add(new Fault("a blocking task overflows its stack", Shows.FAILURES, StackOverflowError.class.getName(),
        f -> (Task) ctx -> recurse(0), () -> { }));
    all.add(new Fault("an async task overflows the event loop's stack", Shows.FAILURES,
        StackOverflowError.class.getName(), f -> (AsyncTask) ctx -> Future.succeededFuture(recurse(0)).mapEmpty(),
        () -> { }));
    all.add(new Fault("a blocking task throws OutOfMemoryError", Shows.FAILURES, OutOfMemoryError.class.getName(),
        f -> (Task) ctx -> {
          throw new OutOfMemoryError("thrown by the task");
        }, () -> { }));
    all.add(new Fault("an async task throws OutOfMemoryError", Shows.FAILURES, OutOfMemoryError.class.getName(),
        f -> (AsyncTask) ctx -> {
          throw new OutOfMemoryError("thrown by the task");
        }, () -> { }));
    all.add(new Fault("a blocking task throws AssertionError", Shows.FAILURES, AssertionError.class.getName(),
        f -> (Task) ctx -> {
          throw new AssertionError("an assertion in the task failed");
        }, () -> { }));
    all.add(new Fault("an async task fails its future with AssertionError", Shows.FAILURES,
        AssertionError.class.getName(), f -> (AsyncTask) ctx -> Future.failedFuture(new AssertionError("no")),
        () -> { }));
    all.add(new Fault("an async task returns a null future", Shows.FAILURES, NullPointerException.class.getName(),
        f -> (AsyncTask) ctx -> null, () -> { }));
    all.add(new Fault("an async task completes its future, then fails and completes it again", Shows.SUCCESSES,
        null, f -> (AsyncTask) ctx -> {
          Promise<Void> p = Promise.promise();
          ctx.vertx().runOnContext(v -> {
            p.complete();
            p.tryFail("a second outcome");
            try {
              p.complete();
            } catch (IllegalStateException refused) {
              f.refusedSecondCompletions.incrementAndGet();
            }
          });
          return p.future();
        }, () -> { }));
    all.add(new Fault("an async task fails its future, then completes it", Shows.FAILURES,
        IllegalStateException.class.getName(), f -> (AsyncTask) ctx -> {
          Promise<Void> p = Promise.promise();
          ctx.vertx().runOnContext(v -> {
            p.fail(new IllegalStateException("first outcome"));
            p.tryComplete();
          });
          return p.future();
        }, () -> { }));
    all.add(new Fault("a blocking task throws an exception whose message cannot be read", Shows.FAILURES,
        UnreadableException.class.getName(), f -> (Task) ctx -> {
          throw new UnreadableException();
        }, () -> { }));
    all.add(new Fault("an async task fails with an exception whose message cannot be read", Shows.FAILURES,
        UnreadableException.class.getName(), f -> (AsyncTask) ctx -> Future.failedFuture(new UnreadableException()),
        () -> { }));
    CountDownLatch forever = new CountDownLatch(1);
    all.add(new Fault("a blocking task blocks forever and ignores cancellation", Shows.STUCK, null,
        f -> (Task) ctx -> {
          while (forever.getCount() > 0) {
            try {
              forever.await();
            } catch (InterruptedException ignored) {
              // ignores interrupts too
            }
          }
        }, forever::countDown));
    AtomicBoolean stopSpinning = new AtomicBoolean();
    all.add(new Fault("a blocking task spins without yielding and ignores cancellation", Shows.STUCK, null,
        f -> (Task) ctx -> {
          long spins = 0;
          while (!stopSpinning.get()) {
            spins++;
          }
          assertThat(spins).isPositive();
        }, () -> stopSpinning.set(true)));
    Promise<Void> never = Promise.promise();
    all.add(new Fault("an async task never completes its future and ignores cancellation", Shows.STUCK, null,
        f -> (AsyncTask) ctx -> never.future(), never::tryComplete));
    all.add(new Fault("a blocking task interrupts its own thread and returns", Shows.SUCCESSES, null,
        f -> (Task) ctx -> {
          f.interruptedAtStart.add(Thread.currentThread().isInterrupted());
          Thread.currentThread().interrupt();
        }, () -> { }));
    all.add(new Fault("a blocking task interrupts its own thread, then waits", Shows.FAILURES,
        InterruptedException.class.getName(), f -> (Task) ctx -> {
          f.interruptedAtStart.add(Thread.currentThread().isInterrupted());
          Thread.currentThread().interrupt();
          new CountDownLatch(1).await();
        }, () -> { }));
    return all;
  }

  /** An exception whose getMessage() throws, as a badly written exception class might. */
  static final class UnreadableException extends RuntimeException {
    @Override
    public String getMessage() {
      throw new IllegalStateException("getMessage() failed");
    }
  }

  /** A task that ticks every 20 ms and records the gaps between its runs. */
  static final class Metronome {
    final AtomicInteger ticks = new AtomicInteger();
    volatile long last;
    volatile long maxGapNanos;

    void tick() {
      long now = System.nanoTime();
      if (last != 0) {
        maxGapNanos = Math.max(maxGapNanos, now - last);
      }
      last = now;
      ticks.incrementAndGet();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void aFaultyTaskIsContainedAndReportedWhileTheOthersKeepTheirSchedule(Fault fault, Vertx vertx) {
    runFaults(vertx, List.of(fault));
  }

  @Test
  void allTheFaultsAtOnceAreContainedWhileTheOthersKeepTheirSchedule(Vertx vertx) {
    runFaults(vertx, faults());
  }

  private static void runFaults(Vertx vertx, List<Fault> faults) {
    MeterRegistry registry = new SimpleMeterRegistry();
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setMeterRegistry(registry)
        .setCloseTimeout(Duration.ofSeconds(5)));
    Metronome async = new Metronome();
    Metronome blocking = new Metronome();
    tasks.runAsync("beat-async", ctx -> {
      async.tick();
      return Future.succeededFuture();
    }, EVERY_20_MS, RunOption.exactName());
    tasks.run("beat-blocking", ctx -> blocking.tick(), EVERY_20_MS, RunOption.exactName());
    List<TaskHandle> handles = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      String name = "faulty-" + i;
      handles.add(f.blocking() ? tasks.run(name, (Task) f.task, EVERY_20_MS, RunOption.exactName())
          : tasks.runAsync(name, (AsyncTask) f.task, EVERY_20_MS, RunOption.exactName()));
    }
    try {
      // Each fault shows itself: three failures, three successes, or a run that never ends.
      for (int i = 0; i < faults.size(); i++) {
        TaskHandle h = handles.get(i);
        Waiting.quickly().until(() -> shown(faults.get(handles.indexOf(h)), h.status()));
      }
      List<TaskStatus> before = statuses(handles);

      // Meanwhile the metronomes keep ticking every 20 ms, and every restarted fault goes on.
      long t0 = System.nanoTime();
      int a0 = async.ticks.get();
      int b0 = blocking.ticks.get();
      async.maxGapNanos = 0;
      blocking.maxGapNanos = 0;
      Waiting.quickly().until(() -> async.ticks.get() >= a0 + BEATS && blocking.ticks.get() >= b0 + BEATS);
      long tookMillis = (System.nanoTime() - t0) / 1_000_000;
      for (int i = 0; i < faults.size(); i++) {
        if (faults.get(i).shows != Shows.STUCK) {
          long runsBefore = before.get(i).runs();
          TaskHandle h = handles.get(i);
          Waiting.quickly().until(() -> h.status().runs() >= runsBefore + 3);
        }
      }
      System.out.printf("TaskFaultsTest: %s: %d beats in %d ms, longest gap %d ms (async) / %d ms (blocking)%n",
          faults.size() == 1 ? faults.get(0) : faults.size() + " faults at once", BEATS, tookMillis,
          async.maxGapNanos / 1_000_000, blocking.maxGapNanos / 1_000_000);
      assertThat(tookMillis).as("%d beats 20 ms apart", BEATS).isLessThan(BEATS * 20 * 5);
      assertThat(async.maxGapNanos / 1_000_000).as("longest gap between async beats").isLessThan(1_000);
      assertThat(blocking.maxGapNanos / 1_000_000).as("longest gap between blocking beats").isLessThan(1_000);

      // Reported in status...
      for (int i = 0; i < faults.size(); i++) {
        Fault f = faults.get(i);
        TaskStatus s = handles.get(i).status();
        String where = f.what + ": " + s.toJson().put("history", "...").encode();
        assertThat(s.runs()).as(where).isEqualTo(s.successes() + s.failures() + s.running());
        switch (f.shows) {
          case FAILURES:
            assertThat(s.failures()).as(where).isGreaterThanOrEqualTo(3);
            assertThat(s.lastError()).as(where).isNotNull();
            assertThat(s.lastError().type()).as(where).isEqualTo(f.errorType);
            assertThat(s.history()).as(where).isNotEmpty();
            break;
          case SUCCESSES:
            assertThat(s.successes()).as(where).isGreaterThanOrEqualTo(3);
            assertThat(s.failures()).as(where).isZero();
            break;
          default:
            assertThat(s.state()).as(where).isEqualTo(TaskState.RUNNING);
            assertThat(s.runs()).as(where).isEqualTo(1);
            assertThat(s.running()).as(where).isEqualTo(1);
            break;
        }
        assertThat(f.interruptedAtStart).as("%s: runs that started on an interrupted thread", f.what)
            .doesNotContain(true);
      }

      // ...and in the metrics, which agree with the statuses once the restarted ones stopped.
      for (int i = 0; i < faults.size(); i++) {
        if (faults.get(i).shows != Shows.STUCK) {
          handles.get(i).cancel().await();
        }
      }
      for (int i = 0; i < faults.size(); i++) {
        Fault f = faults.get(i);
        TaskStatus s = handles.get(i).status();
        String task = "faulty-" + i;
        assertThat(timerCount(registry, task, "failure")).as(f.what).isEqualTo(s.failures());
        assertThat(timerCount(registry, task, "success")).as(f.what).isEqualTo(s.successes());
        assertThat(registry.get("background.task.restarts").tag("task", task).counter().count()).as(f.what)
            .isEqualTo(s.restarts());
        if (f.shows == Shows.STUCK) {
          assertThat(s.state()).as(f.what).isEqualTo(TaskState.RUNNING);
        } else {
          assertThat(s.state()).as(f.what).isEqualTo(TaskState.CANCELLED);
        }
      }
      long stuck = faults.stream().filter(f -> f.shows == Shows.STUCK).count();
      assertThat(registry.get("background.tasks.running").gauge().value()).isGreaterThanOrEqualTo(stuck);
    } finally {
      faults.forEach(f -> f.release.run());
    }
    tasks.close().await();
    assertThat(tasks.list()).allMatch(s -> s.state() == TaskState.CANCELLED && s.running() == 0);
    assertThat(registry.get("background.tasks.running").gauge().value()).isZero();
    assertThat(registry.get("background.tasks.total").counter().count())
        .isEqualTo(tasks.list().stream().mapToLong(TaskStatus::runs).sum());
  }

  private static boolean shown(Fault f, TaskStatus s) {
    switch (f.shows) {
      case FAILURES:
        return s.failures() >= 3;
      case SUCCESSES:
        return s.successes() >= 3;
      default:
        return s.state() == TaskState.RUNNING;
    }
  }

  private static List<TaskStatus> statuses(List<TaskHandle> handles) {
    List<TaskStatus> all = new ArrayList<>();
    handles.forEach(h -> all.add(h.status()));
    return all;
  }

  /** Runs timed with this outcome; 0 before the first (the timer is registered on first use). */
  private static long timerCount(MeterRegistry registry, String task, String outcome) {
    Timer timer = registry.find("background.task.duration").tag("task", task).tag("outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }
}
