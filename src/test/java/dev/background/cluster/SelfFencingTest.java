package dev.background.cluster;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.SingletonLocks;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine's side of self-fencing ({@link SingletonLocks#onLost}), with locks that a test can
 * make lose: a holder told that its lock is lost cancels its run (interrupting it with
 * {@code interruptOnCancel}), publishes {@code fenced}, stands by, and runs again only once it
 * holds the lock again, with a new fencing token. CpSingletonLocksTest covers the CP locks that
 * report the loss.
 */
@ExtendWith(VertxExtension.class)
class SelfFencingTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Locks of one node that a test can refuse and make lose. */
  static final class LosableLocks implements SingletonLocks {
    final AtomicBoolean available = new AtomicBoolean(true);
    final AtomicLong fences = new AtomicLong();
    final AtomicReference<Runnable> lost = new AtomicReference<>();
    final AtomicInteger releases = new AtomicInteger();

    @Override
    public Future<Long> tryAcquire(String task) {
      return Future.succeededFuture(available.get() ? fences.incrementAndGet() : null);
    }

    @Override
    public Future<Void> release(String task) {
      releases.incrementAndGet();
      return Future.succeededFuture();
    }

    @Override
    public void onLost(String task, Runnable lost) {
      this.lost.set(lost);
    }

    void lose() {
      available.set(false);
      lost.getAndSet(null).run();
    }
  }

  private final LosableLocks locks = new LosableLocks();
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setSingletonLocks(locks)
        .setSingletonRetryInterval(Duration.ofMillis(20)).setCloseTimeout(Duration.ofSeconds(5)));
    tasks.addListener(events::add);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  private List<TaskEvent.Type> types() {
    return events.stream().map(TaskEvent::type).toList();
  }

  @Test
  void aHolderThatLosesItsLockIsInterruptedFencedAndStandsByUntilItHoldsTheLockAgain() {
    List<Long> tokens = new CopyOnWriteArrayList<>();
    AtomicInteger interrupted = new AtomicInteger();
    TaskHandle h = tasks.run("fenced", ctx -> {
      tokens.add(ctx.fencingToken());
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
      }
    }, Backoff.fixed(Duration.ofMillis(10)), RunOption.singleton(), RunOption.interruptOnCancel(),
        RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING && locks.lost.get() != null);

    locks.lose();

    await().atMost(WAIT).until(() -> h.status().state() == TaskState.STANDBY);
    assertThat(interrupted.get()).isEqualTo(1);
    assertThat(types()).containsSubsequence(TaskEvent.Type.STARTED, TaskEvent.Type.FENCED,
        TaskEvent.Type.SUCCEEDED);
    assertThat(locks.releases.get()).isPositive();

    locks.available.set(true);

    await().atMost(WAIT).until(() -> tokens.size() == 2 && h.status().state() == TaskState.RUNNING);
    assertThat(tokens.get(1)).isGreaterThan(tokens.get(0));
    assertThat(types()).filteredOn(t -> t == TaskEvent.Type.RESTART_SCHEDULED).isEmpty();
  }

  @Test
  void aHolderWaitingToRestartThatLosesItsLockStandsByAtOnce() {
    TaskHandle h = tasks.run("fenced-backoff", ctx -> {
      throw new IllegalStateException("down");
    }, Backoff.fixed(Duration.ofHours(1)), RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF && locks.lost.get() != null);

    locks.lose();

    await().atMost(WAIT).until(() -> h.status().state() == TaskState.STANDBY);
    assertThat(types()).endsWith(TaskEvent.Type.FENCED);
  }

  @Test
  void aMessageOnTheFenceAllAddressFencesEveryHeldSingleton(Vertx vertx) {
    TaskHandle first = tasks.runAsync("merged-1", ctx -> ctx.onCancel(), Backoff.defaults(),
        RunOption.singleton(), RunOption.exactName());
    TaskHandle second = tasks.runAsync("merged-2", ctx -> ctx.onCancel(), Backoff.defaults(),
        RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> first.status().state() == TaskState.RUNNING
        && second.status().state() == TaskState.RUNNING);
    locks.available.set(false);

    vertx.eventBus().publish(SingletonLocks.FENCE_ALL_ADDRESS, "merged");

    await().atMost(WAIT).until(() -> first.status().state() == TaskState.STANDBY
        && second.status().state() == TaskState.STANDBY);
    assertThat(types()).filteredOn(t -> t == TaskEvent.Type.FENCED).hasSize(2);
  }

  @Test
  void aLossReportedAfterTheTaskWasCancelledChangesNothing() {
    TaskHandle h = tasks.runAsync("fenced-late", ctx -> ctx.onCancel(), Backoff.defaults(),
        RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING && locks.lost.get() != null);
    h.cancel().await();

    locks.lose();

    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(types()).doesNotContain(TaskEvent.Type.FENCED);
  }
}
