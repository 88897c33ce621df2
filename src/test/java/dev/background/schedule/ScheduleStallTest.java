package dev.background.schedule;

import dev.background.Misfire;
import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksClock;
import dev.background.TasksOptions;
import dev.background.testing.TestClock;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stalled JVM (a long GC, a laptop asleep): the schedule's timer fires long after its slot.
 * The misfire policy decides what runs; a fixed rate never fires a burst unless CATCH_UP.
 */
@ExtendWith(VertxExtension.class)
class ScheduleStallTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  /** A test clock whose timers can be held back while time moves on, then fire late. */
  static final class StallingClock implements TasksClock {
    final TestClock time = new TestClock();
    private final List<Runnable> held = new ArrayList<>();
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    private boolean stalled;

    @Override
    public Instant now() {
      return time.now();
    }

    @Override
    public long nanoTime() {
      return time.nanoTime();
    }

    @Override
    public long setTimer(long delayMillis, Handler<Long> handler) {
      return time.setTimer(delayMillis, id -> {
        synchronized (this) {
          if (stalled) {
            held.add(() -> handler.handle(id));
            return;
          }
        }
        handler.handle(id);
      });
    }

    @Override
    public boolean cancelTimer(long id) {
      cancelled.add(id);
      return time.cancelTimer(id);
    }

    /** Moves time by {@code d} with every timer held, then fires them, late. */
    void stallFor(Duration d) {
      synchronized (this) {
        stalled = true;
      }
      time.advance(d);
      List<Runnable> late;
      synchronized (this) {
        stalled = false;
        late = new ArrayList<>(held);
        held.clear();
      }
      late.forEach(Runnable::run);
    }
  }

  private final StallingClock clock = new StallingClock();
  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setClock(clock));
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  private TaskHandle scheduleCounting(String name, Misfire misfire, AtomicInteger runs) {
    TaskHandle h = tasks.schedule(name, Schedule.fixedRate(MINUTE).withMisfire(misfire),
        ctx -> runs.incrementAndGet(), RunOption.exactName());
    await().until(() -> h.status().state() == TaskState.SCHEDULED && runs.get() == 1);
    return h;
  }

  @Test
  void afterAStallRunOnceRunsOneRunForTheMissedSlots() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = scheduleCounting("run-once", Misfire.RUN_ONCE, runs);

    clock.stallFor(MINUTE.multipliedBy(10).plusSeconds(30));

    await().until(() -> h.status().state() == TaskState.SCHEDULED && runs.get() == 2);
    assertThat(h.status().missedFires()).isEqualTo(9);
    assertThat(h.status().lastFireAt()).isEqualTo(TestClock.DEFAULT_START.plus(MINUTE.multipliedBy(10)));
  }

  @Test
  void afterAStallSkipRunsNothingUntilTheNextSlot() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = scheduleCounting("skip", Misfire.SKIP, runs);

    clock.stallFor(MINUTE.multipliedBy(10).plusSeconds(30));

    assertThat(h.status().state()).isEqualTo(TaskState.SCHEDULED);
    assertThat(runs).hasValue(1);
    assertThat(h.status().missedFires()).isEqualTo(10);
    assertThat(h.status().nextFireAt()).isEqualTo(TestClock.DEFAULT_START.plus(MINUTE.multipliedBy(11)));
  }

  @Test
  void afterAStallCatchUpRunsEachMissedSlotInOrder() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = scheduleCounting("catch-up", Misfire.CATCH_UP, runs);

    clock.stallFor(MINUTE.multipliedBy(10).plusSeconds(30));

    await().until(() -> h.status().state() == TaskState.SCHEDULED && runs.get() == 11);
    assertThat(h.status().missedFires()).isZero();
    assertThat(h.status().fires()).isEqualTo(11);
  }
}
