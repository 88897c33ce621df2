package dev.background;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** TaskHandle: cancel, pause, resume, restartNow, completion. */
@ExtendWith(VertxExtension.class)
class TasksControlTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Backoff LONG = Backoff.fixed(Duration.ofMinutes(10));

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  @Test
  void restartNowSkipsAPendingBackoff() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("skip", ctx -> {
      runs.incrementAndGet();
    }, LONG);
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);
    assertThat(h.status().nextRunAt()).isNotNull();
    assertThat(h.status().currentDelay()).isEqualTo(Duration.ofMinutes(10));

    h.restartNow().await();

    await().atMost(WAIT).until(() -> runs.get() == 2);
    assertThat(h.status().restarts()).isEqualTo(1);
  }

  @Test
  void restartNowIsRefusedWhileRunning() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TaskHandle h = tasks.run("busy", ctx -> release.await(), LONG);
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);

    Throwable refused = h.restartNow().cause();

    assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("is running");
    release.countDown();
  }

  @Test
  void pausedTaskFinishesItsRunAndIsNotRestartedUntilResumed() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("pausable", ctx -> {
      runs.incrementAndGet();
      release.await();
    }, Backoff.fixed(Duration.ofMillis(1)));
    await().atMost(WAIT).until(() -> runs.get() == 1);

    h.pause().await();
    assertThat(h.status().state()).isEqualTo(TaskState.RUNNING);
    assertThat(h.status().paused()).isTrue();
    release.countDown();

    await().atMost(WAIT).until(() -> h.status().state() == TaskState.PAUSED);
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> runs.get() == 1);

    h.resume().await();
    await().atMost(WAIT).until(() -> runs.get() >= 2);
    assertThat(h.status().paused()).isFalse();
  }

  @Test
  void pausingDuringBackoffCancelsTheTimerAndResumeKeepsTheRemainingDelay() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("pause-in-backoff", ctx -> {
      runs.incrementAndGet();
    }, LONG);
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    h.pause().await();
    assertThat(h.status().state()).isEqualTo(TaskState.PAUSED);
    h.resume().await();

    assertThat(h.status().state()).isEqualTo(TaskState.BACKING_OFF);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void cancelIsIdempotentAndCompletesCompletion() {
    TaskHandle h = tasks.run("cancel-twice", ctx -> {
    }, LONG);
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    h.cancel().await();
    h.cancel().await();

    assertThat(h.completion().succeeded()).isTrue();
    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void cancelCompletesWhenTheCurrentRunHasEnded() {
    CountDownLatch release = new CountDownLatch(1);
    TaskHandle h = tasks.run("slow-to-stop", ctx -> release.await(), LONG);
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);

    var cancelled = h.cancel();
    assertThat(cancelled.isComplete()).isFalse();
    release.countDown();

    cancelled.await();
    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void controlOfAFinishedTaskIsRefused() {
    TaskHandle h = tasks.run("done", ctx -> {
    }, LONG);
    h.cancel().await();

    assertThat(h.pause().cause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("CANCELLED");
    assertThat(h.resume().cause()).isInstanceOf(IllegalStateException.class);
    assertThat(h.restartNow().cause()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void onceTaskCannotBePausedOrRestarted() {
    TaskHandle h = tasks.once("one-shot", ctx -> {
    });
    assertThat(h.pause().cause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("once");
    assertThat(h.restartNow().cause()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void cancellationReachesTheRunningTaskThroughItsContext() {
    AtomicInteger observed = new AtomicInteger();
    TaskHandle h = tasks.runAsync("async-wait", ctx -> ctx.onCancel().onSuccess(v -> observed.incrementAndGet()),
        LONG);
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);

    h.cancel().await();

    assertThat(observed.get()).isEqualTo(1);
    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
  }
}
