package dev.background.schedule;

import dev.background.Backoff;
import dev.background.Misfire;
import dev.background.Overlap;
import dev.background.PermanentFailure;
import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.testing.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Schedules in the engine, on the test clock: when they fire, what overlap and misfire do, retry,
 * trigger, pause, and how they end. The clock starts at 2026-01-01T00:00:00Z, a slot of every
 * fixed rate anchored at the epoch.
 */
@ExtendWith(VertxExtension.class)
class ScheduleEngineTest {

  private static final Instant T0 = TestClock.DEFAULT_START;
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private TestClock clock;
  private Tasks tasks;
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    clock = new TestClock();
    tasks = Tasks.create(vertx, new TasksOptions().setClock(clock));
    tasks.addListener(events::add);
  }

  @AfterEach
  void tearDown() throws Exception {
    tasks.close(Duration.ofSeconds(5)).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  /** Advances the clock, then waits until the schedule is back waiting for its next fire. */
  private void advanceAndSettle(TaskHandle h, Duration d) {
    clock.advance(d);
    awaitState(h, TaskState.SCHEDULED);
  }

  private static void awaitState(TaskHandle h, TaskState state) {
    await().atMost(Duration.ofSeconds(10)).until(() -> h.status().state() == state);
  }

  private List<Instant> slotsOf(TaskEvent.Type type) {
    return events.stream().filter(e -> e.type() == type).map(TaskEvent::slot).toList();
  }

  /** A blocking task that waits on a latch the test releases, counting the runs at once. */
  private static final class Gate {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger runs = new AtomicInteger();
    volatile CountDownLatch release = new CountDownLatch(1);

    void run(dev.background.TaskContext ctx) throws InterruptedException {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      runs.incrementAndGet();
      CountDownLatch mine = release;
      ctx.onCancel().onComplete(v -> mine.countDown()); // the tracker's close ends it too
      try {
        mine.await(20, TimeUnit.SECONDS);
      } finally {
        running.decrementAndGet();
      }
    }

    void open() {
      CountDownLatch l = release;
      release = new CountDownLatch(1);
      l.countDown();
    }
  }

  @Test
  void aFirstSlotCenturiesAwayIsWaitedForWithoutOverflow() {
    Instant far = T0.plus(Duration.ofDays(400L * 365)); // past what a long of nanoseconds holds
    TaskHandle h = tasks.scheduleAsync("far", Schedule.fixedRate(MINUTE).startingAt(far),
        ctx -> Future.succeededFuture(), RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    assertThat(h.status().nextFireAt()).isEqualTo(far);
  }

  @Test
  void fixedRateFiresAtEachSlotAndWaitsScheduledBetween() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.schedule("rate", Schedule.fixedRate(MINUTE), ctx -> runs.incrementAndGet(),
        RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    await().until(() -> runs.get() == 1);

    advanceAndSettle(h, MINUTE);
    advanceAndSettle(h, MINUTE);

    TaskStatus s = h.status();
    assertThat(runs).hasValue(3);
    assertThat(s.kind()).isEqualTo(TaskKind.SCHEDULE);
    assertThat(s.fires()).isEqualTo(3);
    assertThat(s.lastFireAt()).isEqualTo(T0.plus(MINUTE.multipliedBy(2)));
    assertThat(s.nextFireAt()).isEqualTo(T0.plus(MINUTE.multipliedBy(3)));
    assertThat(slotsOf(TaskEvent.Type.FIRED)).containsExactly(T0, T0.plus(MINUTE),
        T0.plus(MINUTE.multipliedBy(2)));
  }

  @Test
  void everyFiresAtOnceThenOneIntervalAfterEachRunEnds() {
    Gate gate = new Gate();
    TaskHandle h = tasks.schedule("every", Schedule.every(MINUTE), gate::run, RunOption.exactName());
    await().until(() -> gate.runs.get() == 1);
    clock.advance(Duration.ofSeconds(30)); // the run lasts 30 s
    gate.open();
    awaitState(h, TaskState.SCHEDULED);

    assertThat(h.status().nextFireAt()).isEqualTo(T0.plusSeconds(30).plus(MINUTE));
    clock.advance(Duration.ofSeconds(59));
    assertThat(gate.runs).hasValue(1);
    clock.advance(Duration.ofSeconds(1));
    await().until(() -> gate.runs.get() == 2);
  }

  @Test
  void overlapSkipCountsASlotThatComesDueWhileRunning() {
    Gate gate = new Gate();
    TaskHandle h = tasks.schedule("skip", Schedule.fixedRate(MINUTE), gate::run,
        RunOption.exactName());
    await().until(() -> gate.runs.get() == 1);

    clock.advance(MINUTE);
    await().until(() -> h.status().skippedFires() == 1);
    gate.open();
    awaitState(h, TaskState.SCHEDULED);

    assertThat(gate.runs).hasValue(1);
    assertThat(gate.maxRunning).hasValue(1);
    assertThat(slotsOf(TaskEvent.Type.SKIPPED)).containsExactly(T0.plus(MINUTE));
  }

  @Test
  void overlapQueueRunsOneWaitingFireRightAfterTheCurrentRun() {
    Gate gate = new Gate();
    TaskHandle h = tasks.schedule("queue", Schedule.fixedRate(MINUTE).withOverlap(Overlap.QUEUE),
        gate::run, RunOption.exactName());
    await().until(() -> gate.runs.get() == 1);

    clock.advance(MINUTE.multipliedBy(2)); // two slots come due while running: one waits
    await().until(() -> h.status().skippedFires() == 1);
    gate.open();
    await().until(() -> gate.runs.get() == 2);
    gate.open();
    awaitState(h, TaskState.SCHEDULED);

    assertThat(gate.maxRunning).hasValue(1);
    assertThat(h.status().fires()).isEqualTo(2);
    assertThat(slotsOf(TaskEvent.Type.FIRED)).containsExactly(T0, T0.plus(MINUTE));
    assertThat(slotsOf(TaskEvent.Type.SKIPPED)).containsExactly(T0.plus(MINUTE.multipliedBy(2)));
  }

  @Test
  void overlapReplaceCancelsTheRunningRunAndStartsTheNewFireAfterIt() {
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    TaskHandle h = tasks.schedule("replace",
        Schedule.fixedRate(MINUTE).withOverlap(Overlap.REPLACE), ctx -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          int n = runs.incrementAndGet();
          try {
            while (n == 1 && !ctx.isCancelled()) {
              Thread.onSpinWait(); // the first run ends only when cancelled
            }
          } finally {
            running.decrementAndGet();
          }
        }, RunOption.exactName());
    await().until(() -> runs.get() == 1);

    clock.advance(MINUTE);
    awaitState(h, TaskState.SCHEDULED);

    assertThat(runs).hasValue(2);
    assertThat(maxRunning).hasValue(1);
    assertThat(slotsOf(TaskEvent.Type.FIRED)).containsExactly(T0, T0.plus(MINUTE));
  }

  @Test
  void resumeRunsOnceForTheSlotsMissedDuringAPauseUnderRunOnce() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.schedule("run-once", Schedule.fixedRate(MINUTE), ctx -> runs.incrementAndGet(),
        RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    h.pause();
    assertThat(h.status().state()).isEqualTo(TaskState.PAUSED);

    clock.advance(MINUTE.multipliedBy(5));
    assertThat(runs).hasValue(1);
    h.resume();
    awaitState(h, TaskState.SCHEDULED);

    assertThat(runs).hasValue(2);
    assertThat(h.status().missedFires()).isEqualTo(4);
    assertThat(slotsOf(TaskEvent.Type.FIRED)).last().isEqualTo(T0.plus(MINUTE.multipliedBy(5)));
    assertThat(slotsOf(TaskEvent.Type.MISSED)).containsExactly(T0.plus(MINUTE.multipliedBy(4)));
  }

  @Test
  void resumeWaitsForTheNextSlotUnderMisfireSkip() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.schedule("skip-misfire",
        Schedule.fixedRate(MINUTE).withMisfire(Misfire.SKIP), ctx -> runs.incrementAndGet(),
        RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    h.pause();
    clock.advance(MINUTE.multipliedBy(5).plusSeconds(10));
    h.resume();

    assertThat(h.status().state()).isEqualTo(TaskState.SCHEDULED);
    assertThat(h.status().missedFires()).isEqualTo(5);
    assertThat(h.status().nextFireAt()).isEqualTo(T0.plus(MINUTE.multipliedBy(6)));
    assertThat(runs).hasValue(1);
  }

  @Test
  void resumeRunsEachMissedSlotInOrderUnderCatchUp() {
    List<Instant> starts = new CopyOnWriteArrayList<>();
    TaskHandle h = tasks.schedule("catch-up",
        Schedule.fixedRate(MINUTE).withMisfire(Misfire.CATCH_UP), ctx -> { },
        RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    h.pause();
    clock.advance(MINUTE.multipliedBy(3));
    h.resume();
    await().until(() -> h.status().fires() == 4);
    awaitState(h, TaskState.SCHEDULED);

    assertThat(slotsOf(TaskEvent.Type.FIRED)).containsExactly(T0, T0.plus(MINUTE),
        T0.plus(MINUTE.multipliedBy(2)), T0.plus(MINUTE.multipliedBy(3)));
    assertThat(h.status().missedFires()).isZero();
  }

  @Test
  void aFireLaterThanItsStartingDeadlineIsMissedNotRun() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.schedule("deadline",
        Schedule.fixedRate(MINUTE).withStartingDeadline(Duration.ofSeconds(10)),
        ctx -> runs.incrementAndGet(), RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    h.pause();
    clock.advance(MINUTE.plusSeconds(30));
    h.resume();

    assertThat(h.status().missedFires()).isEqualTo(1);
    assertThat(runs).hasValue(1);
  }

  @Test
  void triggerRunsTheScheduleNowWithoutMovingItsSlots() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.schedule("trigger", Schedule.fixedRate(MINUTE), ctx -> runs.incrementAndGet(),
        RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    clock.advance(Duration.ofSeconds(20));

    assertThat(h.trigger().succeeded()).isTrue();
    await().until(() -> runs.get() == 2);
    awaitState(h, TaskState.SCHEDULED);

    assertThat(h.status().fires()).isEqualTo(2);
    assertThat(h.status().nextFireAt()).isEqualTo(T0.plus(MINUTE));
  }

  @Test
  void triggerIsRefusedWhileRunningUnderOverlapSkip() {
    Gate gate = new Gate();
    TaskHandle h = tasks.schedule("busy", Schedule.fixedRate(MINUTE), gate::run, RunOption.exactName());
    await().until(() -> gate.runs.get() == 1);

    Future<Void> f = h.trigger();
    gate.open();

    assertThat(f.failed()).isTrue();
    assertThat(f.cause()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("busy").hasMessageContaining("SKIP");
  }

  @Test
  void triggerFailsForARunTask() {
    TaskHandle h = tasks.run("plain", ctx -> ctx.onCancel().toCompletionStage().toCompletableFuture().join(),
        Backoff.defaults(), RunOption.exactName());

    Future<Void> f = h.trigger();

    assertThat(f.failed()).isTrue();
    assertThat(f.cause()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("only schedules can be triggered");
  }

  @Test
  void aFailedFireIsRetriedWithItsBackoffUntilItSucceeds() {
    AtomicInteger calls = new AtomicInteger();
    TaskHandle h = tasks.schedule("retry",
        Schedule.fixedRate(Duration.ofHours(1)).withRetry(Backoff.fixed(Duration.ofSeconds(10))),
        ctx -> {
          if (calls.incrementAndGet() < 3) {
            throw new IllegalStateException("not yet");
          }
        }, RunOption.exactName());
    awaitState(h, TaskState.BACKING_OFF);
    clock.advance(Duration.ofSeconds(10));
    awaitState(h, TaskState.BACKING_OFF);
    advanceAndSettle(h, Duration.ofSeconds(10));

    TaskStatus s = h.status();
    assertThat(calls).hasValue(3);
    assertThat(s.fires()).as("retries are attempts of one fire").isEqualTo(1);
    assertThat(s.failures()).isEqualTo(2);
    assertThat(s.nextFireAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
  }

  @Test
  void aRetryThatWouldPassTheNextSlotIsDropped() {
    AtomicInteger calls = new AtomicInteger();
    TaskHandle h = tasks.schedule("no-retry",
        Schedule.fixedRate(MINUTE).withRetry(Backoff.fixed(Duration.ofMinutes(5))),
        ctx -> {
          calls.incrementAndGet();
          throw new IllegalStateException("always");
        }, RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);

    assertThat(h.status().failures()).isEqualTo(1);
    assertThat(h.status().nextFireAt()).isEqualTo(T0.plus(MINUTE));
  }

  @Test
  void aFailedRunIsCountedAndTheScheduleGoesOn() {
    TaskHandle h = tasks.schedule("fails", Schedule.fixedRate(MINUTE), ctx -> {
      throw new IllegalStateException("boom");
    }, RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    advanceAndSettle(h, MINUTE);

    assertThat(h.status().failures()).isEqualTo(2);
    assertThat(h.status().lastError().message()).contains("boom");
  }

  @Test
  void aPermanentFailureEndsTheScheduleFailed() {
    TaskHandle h = tasks.schedule("permanent", Schedule.fixedRate(MINUTE), ctx -> {
      throw new PermanentFailure("bad config");
    }, RunOption.exactName());

    awaitState(h, TaskState.FAILED);
    assertThat(h.completion().isComplete()).isTrue();
  }

  @Test
  void theScheduleCompletesAfterItsUntil() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.schedule("until",
        Schedule.fixedRate(MINUTE).until(T0.plus(MINUTE.multipliedBy(2))),
        ctx -> runs.incrementAndGet(), RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    advanceAndSettle(h, MINUTE);
    clock.advance(MINUTE); // the last slot: until is inclusive

    awaitState(h, TaskState.COMPLETED);
    assertThat(runs).hasValue(3);
    assertThat(h.status().nextFireAt()).isNull();
  }

  @Test
  void cancelEndsTheScheduleAndNoFireFollows() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.schedule("cancel", Schedule.fixedRate(MINUTE), ctx -> runs.incrementAndGet(),
        RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);

    h.cancel();
    clock.advance(MINUTE.multipliedBy(3));

    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(runs).hasValue(1);
    assertThat(clock.pendingTimers()).isZero();
  }

  @Test
  void schedulesDueInTheSameMillisecondShareOneClockTimer() {
    AtomicInteger runs = new AtomicInteger();
    List<TaskHandle> handles = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      handles.add(tasks.scheduleAsync("herd-" + i, Schedule.fixedRate(MINUTE), ctx -> {
        runs.incrementAndGet();
        return Future.succeededFuture();
      }, RunOption.exactName()));
    }
    handles.forEach(h -> awaitState(h, TaskState.SCHEDULED));

    assertThat(clock.pendingTimers()).as("one clock timer for the fifty next fires").isEqualTo(1);
    clock.advance(MINUTE);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(runs).hasValue(100));
    handles.forEach(h -> awaitState(h, TaskState.SCHEDULED));
    assertThat(clock.pendingTimers()).isEqualTo(1);
  }

  @Test
  void startDelayDefersTheFirstFire() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.schedule("delayed", Schedule.every(MINUTE), ctx -> runs.incrementAndGet(),
        RunOption.exactName(), RunOption.startDelay(Duration.ofSeconds(30)));
    assertThat(h.status().state()).isEqualTo(TaskState.PENDING);

    advanceAndSettle(h, Duration.ofSeconds(30));

    assertThat(runs).hasValue(1);
    assertThat(h.status().lastFireAt()).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void optionsAboutRestartsAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> tasks.schedule("x", Schedule.every(MINUTE), ctx -> { },
        RunOption.restartOnFailureOnly()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Tasks.schedule").hasMessageContaining("restartOnFailureOnly");
    assertThatThrownBy(() -> tasks.schedule("x", null, ctx -> { }))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schedule");
  }

  @Test
  void anAsyncScheduleFiresOnAnEventLoop() {
    AtomicInteger onLoop = new AtomicInteger();
    TaskHandle h = tasks.scheduleAsync("async", Schedule.fixedRate(MINUTE), ctx -> {
      if (io.vertx.core.Context.isOnEventLoopThread()) {
        onLoop.incrementAndGet();
      }
      return Future.succeededFuture();
    }, RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    advanceAndSettle(h, MINUTE);

    assertThat(onLoop).hasValue(2);
  }

  @Test
  void aCronScheduleFiresAtItsWallClockTimeInItsZone() {
    AtomicInteger runs = new AtomicInteger();
    ZoneId paris = ZoneId.of("Europe/Paris");
    TaskHandle h = tasks.schedule("cron", Schedule.cron("0 3 * * *").inZone(paris),
        ctx -> runs.incrementAndGet(), RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);
    Instant threeInParis = Instant.parse("2026-01-01T02:00:00Z");

    assertThat(h.status().nextFireAt()).isEqualTo(threeInParis);
    advanceAndSettle(h, Duration.ofHours(2));
    assertThat(runs).hasValue(1);
    assertThat(h.status().nextFireAt()).isEqualTo(threeInParis.plus(Duration.ofDays(1)));
  }

  @Test
  void statusJsonCarriesTheScheduleAndItsCounters() {
    TaskHandle h = tasks.schedule("json", Schedule.every(Duration.ofMinutes(5)), ctx -> { },
        RunOption.exactName());
    awaitState(h, TaskState.SCHEDULED);

    var json = h.status().toJson();

    assertThat(json.getString("kind")).isEqualTo("SCHEDULE");
    assertThat(json.getString("state")).isEqualTo("SCHEDULED");
    assertThat(json.getJsonObject("schedule").getString("description")).isEqualTo("every 5 minutes");
    assertThat(json.getLong("fires")).isEqualTo(1);
    assertThat(json.getString("nextFireAt")).isNotNull();
    assertThat(TaskStatus.fromJson(json)).isEqualTo(h.status());
  }
}
