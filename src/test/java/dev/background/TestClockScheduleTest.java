package dev.background;

import dev.background.testing.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The time-dependent behaviours of the engine, driven by a {@link TestClock}: each test moves
 * time with {@code clock.advance(...)} and awaits the run that follows, instead of waiting for
 * real delays. Ported from TasksRunTest, TasksControlTest, TasksCloseTest, RunOptionsTest and
 * SingletonTest (which keep their real-clock versions); the delays here are minutes and hours.
 */
@ExtendWith(VertxExtension.class)
class TestClockScheduleTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Backoff TEN_MINUTES = Backoff.fixed(Duration.ofMinutes(10));
  private static final Duration MS = Duration.ofMillis(1);

  private TestClock clock;
  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    clock = new TestClock();
    tasks = Tasks.create(vertx, options());
  }

  private TasksOptions options() {
    return new TasksOptions().setClock(clock).setCloseTimeout(Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  // Ported from TasksRunTest.longBackoffIsHonouredBeforeTheRestart.
  @Test
  void aFixedBackoffRestartsWhenTheClockReachesTheDelay() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("fixed", ctx -> {
      runs.incrementAndGet();
    }, Backoff.fixed(Duration.ofMinutes(5)));
    waiting().until(() -> h.status().state() == TaskState.BACKING_OFF);
    assertThat(h.status().currentDelay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(h.status().nextRunAt()).isEqualTo(clock.now().plus(Duration.ofMinutes(5)));

    clock.advance(Duration.ofMinutes(5).minus(MS));
    assertThat(runs.get()).isEqualTo(1);
    assertThat(h.status().state()).isEqualTo(TaskState.BACKING_OFF);

    clock.advance(MS);
    waiting().until(() -> runs.get() == 2);
  }

  @Test
  void anExponentialBackoffSchedulesEachRestartTwiceAsFarAway() {
    Backoff doubling = Backoff.builder().initialInterval(Duration.ofSeconds(1)).multiplier(2)
        .randomizationFactor(0).maxInterval(Duration.ofMinutes(1)).build();
    TaskHandle h = tasks.run("doubling", ctx -> {
      throw new IllegalStateException("down");
    }, doubling);

    for (int n = 1; n <= 5; n++) {
      long failures = n;
      waiting().until(() -> h.status().failures() == failures
          && h.status().state() == TaskState.BACKING_OFF);
      Duration expected = Duration.ofSeconds(1L << (n - 1));
      TaskStatus s = h.status();
      assertThat(s.currentDelay()).as("delay after failure %d", n).isEqualTo(expected);
      assertThat(s.nextRunAt()).isEqualTo(clock.now().plus(expected));
      assertThat(s.attempt()).isEqualTo(n);
      clock.advance(expected);
    }
    waiting().until(() -> h.status().runs() == 6);
  }

  // Ported from RunOptionsTest.resetAfterStartsTheBackoffSequenceOverAfterALongRun.
  @Test
  void aRunThatLastsResetAfterOnTheClockStartsTheSequenceOver() {
    Backoff doubling = Backoff.builder().initialInterval(Duration.ofSeconds(1)).multiplier(2)
        .randomizationFactor(0).maxInterval(Duration.ofMinutes(1)).build();
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    CountDownLatch longRunEnds = new CountDownLatch(1);
    TaskHandle h = tasks.run("resets", ctx -> {
      attempts.add(ctx.attempt());
      if (attempts.size() == 3) {
        longRunEnds.await();
      }
      throw new IllegalStateException("fail");
    }, doubling, RunOption.resetAfter(Duration.ofMinutes(1)));
    awaitBackingOffAfter(h, 1);
    clock.advance(Duration.ofSeconds(1));
    awaitBackingOffAfter(h, 2);
    clock.advance(Duration.ofSeconds(2));
    waiting().until(() -> attempts.size() == 3);

    clock.advance(Duration.ofMinutes(1));
    longRunEnds.countDown();

    awaitBackingOffAfter(h, 3);
    assertThat(h.status().currentDelay()).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    waiting().until(() -> attempts.size() == 4);
    assertThat(attempts).containsExactly(1, 2, 3, 1);
  }

  // Ported from RunOptionsTest.maxRestartsInsideTheWindowGivesUp.
  @Test
  void maxRestartsGivesUpWhenTheRestartsFallInsideTheWindow() {
    TaskHandle h = tasks.run("intense", ctx -> {
      throw new IllegalStateException("crash");
    }, Backoff.fixed(Duration.ofSeconds(10)), RunOption.maxRestarts(2, Duration.ofMinutes(1)));

    awaitBackingOffAfter(h, 1);
    clock.advance(Duration.ofSeconds(10));
    awaitBackingOffAfter(h, 2);
    clock.advance(Duration.ofSeconds(10));

    h.completion().await();
    assertThat(h.status().state()).isEqualTo(TaskState.GAVE_UP);
    assertThat(h.status().runs()).isEqualTo(3);
    assertThat(h.status().restarts()).isEqualTo(2);
  }

  @Test
  void maxRestartsKeepsRestartingWhenTheRestartsAreSpreadBeyondTheWindow() {
    TaskHandle h = tasks.run("spread", ctx -> {
      throw new IllegalStateException("crash");
    }, Backoff.fixed(Duration.ofSeconds(40)), RunOption.maxRestarts(2, Duration.ofMinutes(1)));

    for (int n = 1; n <= 6; n++) {
      awaitBackingOffAfter(h, n);
      clock.advance(Duration.ofSeconds(40));
    }

    awaitBackingOffAfter(h, 7);
    assertThat(h.status().restarts()).isEqualTo(6);
  }

  // Ported from RunOptionsTest.startDelayKeepsTheTaskPendingFirst.
  @Test
  void startDelayKeepsTheTaskPendingUntilTheClockReachesIt() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("delayed", ctx -> {
      runs.incrementAndGet();
    }, TEN_MINUTES, RunOption.startDelay(Duration.ofHours(2)));

    assertThat(h.status().state()).isEqualTo(TaskState.PENDING);
    assertThat(h.status().nextRunAt()).isEqualTo(TestClock.DEFAULT_START.plus(Duration.ofHours(2)));
    clock.advance(Duration.ofHours(2).minus(MS));
    assertThat(runs.get()).isZero();
    assertThat(h.status().state()).isEqualTo(TaskState.PENDING);

    clock.advance(MS);
    waiting().until(() -> runs.get() == 1);
  }

  // Ported from RunOptionsTest.runTimeoutCancelsTheContextAndCountsAsFailure.
  @Test
  void runTimeoutCancelsARunThatOutlastsItOnTheClock() {
    AtomicReference<TaskContext> running = new AtomicReference<>();
    TaskHandle h = tasks.run("too-slow", ctx -> {
      running.set(ctx);
      ctx.onCancel().toCompletionStage().toCompletableFuture().get();
    }, TEN_MINUTES, RunOption.runTimeout(Duration.ofMinutes(1)));
    waiting().until(() -> running.get() != null);

    clock.advance(Duration.ofMinutes(1).minus(MS));
    assertThat(running.get().isCancelled()).isFalse();

    clock.advance(MS);
    waiting().until(() -> h.status().failures() == 1);
    assertThat(running.get().isCancelled()).isTrue();
    assertThat(h.status().lastError().type()).isEqualTo(TimeoutException.class.getName());
    assertThat(h.status().state()).isEqualTo(TaskState.BACKING_OFF);
  }

  // Ported from TasksRunTest.retryAfterHintIsHonouredWhenLongerThanTheBackoff.
  @Test
  void retryAfterLongerThanTheBackoffSetsTheRestartTime() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("rate-limited", ctx -> {
      if (runs.incrementAndGet() == 1) {
        throw new RetryAfter(Duration.ofMinutes(10));
      }
    }, Backoff.fixed(Duration.ofSeconds(1)));
    waiting().until(() -> h.status().state() == TaskState.BACKING_OFF);
    assertThat(h.status().currentDelay()).isEqualTo(Duration.ofMinutes(10));

    clock.advance(Duration.ofMinutes(9));
    assertThat(runs.get()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(1));
    waiting().until(() -> runs.get() == 2);
    assertThat(h.status().failures()).isEqualTo(1);
  }

  // Ported from TasksRunTest.retryAfterAnInstantIsHonoured.
  @Test
  void retryAfterAnInstantIsMeasuredOnTheClock() {
    AtomicInteger runs = new AtomicInteger();
    Instant notBefore = clock.now().plus(Duration.ofHours(1));
    TaskHandle h = tasks.run("rate-limited-until", ctx -> {
      if (runs.incrementAndGet() == 1) {
        throw new RetryAfter(notBefore, new IllegalStateException("429"));
      }
    }, Backoff.fixed(Duration.ofSeconds(1)));
    waiting().until(() -> h.status().state() == TaskState.BACKING_OFF);
    assertThat(h.status().nextRunAt()).isEqualTo(notBefore);

    clock.advance(Duration.ofHours(1));

    waiting().until(() -> runs.get() == 2);
    assertThat(h.status().lastError().message()).isEqualTo("429");
  }

  // Ported from TasksControlTest.pausingDuringBackoffCancelsTheTimerAndResumeKeepsTheRemainingDelay.
  @Test
  void pauseDuringBackoffKeepsTheDueTimeAndResumeWaitsOnlyWhatRemains() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("pause-in-backoff", ctx -> {
      runs.incrementAndGet();
    }, TEN_MINUTES);
    waiting().until(() -> h.status().state() == TaskState.BACKING_OFF);
    Instant due = h.status().nextRunAt();
    clock.advance(Duration.ofMinutes(4));

    h.pause().await();
    assertThat(h.status().state()).isEqualTo(TaskState.PAUSED);
    assertThat(clock.pendingTimers()).as("the restart timer is cancelled").isZero();
    clock.advance(Duration.ofMinutes(2));
    h.resume().await();

    assertThat(h.status().state()).isEqualTo(TaskState.BACKING_OFF);
    assertThat(h.status().nextRunAt()).isEqualTo(due);
    clock.advance(Duration.ofMinutes(4).minus(MS));
    assertThat(runs.get()).isEqualTo(1);
    clock.advance(MS);
    waiting().until(() -> runs.get() == 2);
  }

  // Ported from TasksControlTest.pausedTaskFinishesItsRunAndIsNotRestartedUntilResumed.
  @Test
  void aTaskPausedPastItsRestartTimeRunsOnlyWhenResumed() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("paused-long", ctx -> {
      runs.incrementAndGet();
    }, TEN_MINUTES);
    waiting().until(() -> h.status().state() == TaskState.BACKING_OFF);
    h.pause().await();

    clock.advance(Duration.ofHours(1));
    assertThat(runs.get()).isEqualTo(1);
    assertThat(h.status().state()).isEqualTo(TaskState.PAUSED);

    h.resume().await();
    waiting().until(() -> runs.get() == 2);
    assertThat(h.status().paused()).isFalse();
  }

  // Ported from TasksControlTest.restartNowSkipsAPendingBackoff.
  @Test
  void restartNowSkipsTheWaitAndCancelsItsTimer() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("skip", ctx -> {
      runs.incrementAndGet();
    }, TEN_MINUTES);
    waiting().until(() -> h.status().state() == TaskState.BACKING_OFF);

    h.restartNow().await();

    waiting().until(() -> runs.get() == 2 && h.status().state() == TaskState.BACKING_OFF);
    assertThat(h.status().restarts()).isEqualTo(1);
    assertThat(clock.pendingTimers()).as("only the second restart's timer").isEqualTo(1);
    assertThat(h.status().nextRunAt()).isEqualTo(clock.now().plus(Duration.ofMinutes(10)));
  }

  // Ported from TasksCloseTest.closeCancelsPendingRestartTimers.
  @Test
  void closeCancelsPendingRestartTimers() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("backing-off", ctx -> {
      runs.incrementAndGet();
      throw new IllegalStateException("fail");
    }, TEN_MINUTES);
    waiting().until(() -> h.status().state() == TaskState.BACKING_OFF);

    tasks.close().await();

    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(clock.pendingTimers()).isZero();
    clock.advance(Duration.ofHours(1));
    assertThat(runs.get()).isEqualTo(1);
  }

  // Ported from TasksCloseTest.closeWithAStuckTaskFailsAfterItsDeadlineNamingTheTask.
  @Test
  void closeFailsWhenItsDeadlineComesOnTheClock(Vertx vertx) {
    Tasks stuckTracker = Tasks.create(vertx, options());
    CountDownLatch never = new CountDownLatch(1);
    TaskHandle stuck = stuckTracker.run("stuck", ctx -> never.await(), TEN_MINUTES, RunOption.exactName());
    waiting().until(() -> stuck.status().state() == TaskState.RUNNING);

    Future<Void> closing = stuckTracker.close(Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(1).minus(MS));
    assertThat(closing.isComplete()).isFalse();
    clock.advance(MS);

    waiting().until(closing::isComplete);
    assertThat(closing.cause()).isInstanceOf(TasksCloseTimeoutException.class);
    assertThat(((TasksCloseTimeoutException) closing.cause()).stillRunning()).containsExactly("stuck");
    assertThat(((TasksCloseTimeoutException) closing.cause()).timeout()).isEqualTo(Duration.ofMinutes(1));
    never.countDown();
  }

  // Ported from SingletonTest.closingTheHolderHandsTheSingletonOverWithAHigherFencingToken.
  @Test
  void aStandbySingletonRetriesTheLeaseOnlyWhenTheClockSaysSo(Vertx vertx) {
    Tasks nodeA = Tasks.create(vertx, options().setNodeId("a").setSingletonRetryInterval(Duration.ofSeconds(1)));
    Tasks nodeB = Tasks.create(vertx, options().setNodeId("b").setSingletonRetryInterval(Duration.ofSeconds(1)));
    try {
      List<Long> tokens = new CopyOnWriteArrayList<>();
      Task task = ctx -> {
        tokens.add(ctx.fencingToken());
        ctx.onCancel().toCompletionStage().toCompletableFuture().get();
      };
      TaskHandle a = nodeA.run("clock-feed", task, TEN_MINUTES, RunOption.singleton(), RunOption.exactName());
      // The shared-data lock is tried with a 1 ms timeout, which a loaded machine can miss: then
      // the next try waits for the retry interval, on the clock.
      awaitAdvancingBy(Duration.ofSeconds(1), () -> tokens.size() == 1);
      TaskHandle b = nodeB.run("clock-feed", task, TEN_MINUTES, RunOption.singleton(), RunOption.exactName());
      // B's first try has failed once it names the holder: its next try waits for the clock.
      waiting().until(() -> b.status().state() == TaskState.STANDBY && "a".equals(b.status().holder()));

      a.cancel().await();
      waiting().during(Duration.ofMillis(300)).until(() -> b.status().state() == TaskState.STANDBY);

      awaitAdvancingBy(Duration.ofSeconds(1), () -> b.status().state() == TaskState.RUNNING);
      assertThat(b.status().holder()).isEqualTo("b");
      assertThat(tokens).hasSize(2);
      assertThat(tokens.get(1)).isGreaterThan(tokens.get(0));
    } finally {
      nodeA.close().await();
      nodeB.close().await();
    }
  }

  @Test
  void timestampsComeFromTheClock() {
    List<TaskEvent> started = new CopyOnWriteArrayList<>();
    tasks.addListener(e -> {
      if (e.type() == TaskEvent.Type.STARTED) {
        started.add(e);
      }
    });
    TaskHandle h = tasks.run("stamped", ctx -> {
    }, TEN_MINUTES);
    waiting().until(() -> h.status().state() == TaskState.BACKING_OFF);

    clock.advance(Duration.ofMinutes(10));

    waiting().until(() -> started.size() == 2 && h.status().state() == TaskState.BACKING_OFF);
    Instant restartedAt = TestClock.DEFAULT_START.plus(Duration.ofMinutes(10));
    assertThat(started.get(0).at()).isEqualTo(TestClock.DEFAULT_START);
    assertThat(started.get(1).at()).isEqualTo(restartedAt);
    assertThat(h.status().lastStartedAt()).isEqualTo(restartedAt);
    assertThat(h.status().lastEndedAt()).isEqualTo(restartedAt);
    assertThat(h.status().history()).extracting(RunRecord::startedAt)
        .containsExactly(TestClock.DEFAULT_START, restartedAt);
  }

  /** Awaits what a timer's handler started: a run on another thread. */
  private static ConditionFactory waiting() {
    return await().atMost(WAIT).pollInterval(Duration.ofMillis(10));
  }

  /** Advances the clock by {@code step} at each poll until {@code done}. */
  private void awaitAdvancingBy(Duration step, java.util.concurrent.Callable<Boolean> done) {
    waiting().until(() -> {
      clock.advance(step);
      return done.call();
    });
  }

  private static void awaitBackingOffAfter(TaskHandle h, long failures) {
    waiting().until(() -> {
      TaskStatus s = h.status();
      return s.failures() == failures && s.state() == TaskState.BACKING_OFF;
    });
  }
}
