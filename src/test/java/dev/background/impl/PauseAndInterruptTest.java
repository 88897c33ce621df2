package dev.background.impl;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskContext;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pause reaches a running task ({@link TaskContext#shouldStop()}, {@code isPauseRequested()},
 * {@code onPause()}), and the interrupt of a cancellation ends a run as cancelled, not failed.
 */
@ExtendWith(VertxExtension.class)
class PauseAndInterruptTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  private static TaskHandle awaitState(TaskHandle h, TaskState state) {
    await().atMost(WAIT).until(() -> h.status().state() == state);
    return h;
  }

  /** Loops until it should stop, a millisecond at a time. */
  private static void loop(TaskContext ctx) {
    while (!ctx.shouldStop()) {
      LockSupport.parkNanos(1_000_000);
    }
  }

  @Test
  void aLoopingTaskSeesThePauseReturnsAndTheTaskWaitsPausedUntilItsResume() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("loop", ctx -> {
      runs.incrementAndGet();
      loop(ctx);
    }, Backoff.fixed(Duration.ofMillis(1)), RunOption.exactName());
    awaitState(h, TaskState.RUNNING);

    h.pause().await();
    awaitState(h, TaskState.PAUSED);

    TaskStatus paused = h.status();
    assertThat(runs).hasValue(1);
    assertThat(paused.successes()).isEqualTo(1);
    assertThat(paused.failures()).isZero();
    h.resume().await();
    await().atMost(WAIT).until(() -> runs.get() == 2 && h.status().state() == TaskState.RUNNING);
  }

  @Test
  void onPauseCompletesWhenAPauseIsAskedDuringTheRun() {
    TaskHandle h = tasks.runAsync("waits-for-pause", TaskContext::onPause,
        Backoff.fixed(Duration.ofMillis(1)), RunOption.exactName());
    awaitState(h, TaskState.RUNNING);

    h.pause().await();

    awaitState(h, TaskState.PAUSED);
    assertThat(h.status().runs()).isEqualTo(1);
  }

  @Test
  void aResumeBeforeTheRunReturnsWithdrawsThePauseRequest() {
    AtomicReference<TaskContext> context = new AtomicReference<>();
    CountDownLatch release = new CountDownLatch(1);
    TaskHandle h = tasks.run("slow", ctx -> {
      context.set(ctx);
      release.await();
    }, Backoff.defaults(), RunOption.exactName());
    await().atMost(WAIT).until(() -> context.get() != null);
    TaskContext ctx = context.get();
    assertThat(ctx.isPauseRequested()).isFalse();

    h.pause().await();
    assertThat(ctx.isPauseRequested()).isTrue();
    assertThat(ctx.shouldStop()).isTrue();
    assertThat(ctx.onPause().isComplete()).isTrue();

    h.resume().await();
    assertThat(ctx.isPauseRequested()).isFalse();
    assertThat(ctx.shouldStop()).isFalse();
    assertThat(h.status().state()).isEqualTo(TaskState.RUNNING);
    release.countDown();
  }

  /**
   * restartOnFailureOnly says a success ends the task: a run that returns normally for a pause
   * completes it, as any success does (the lifecycle model of TaskLifecyclePropertiesTest).
   */
  @Test
  void aRunThatReturnsForAPauseCompletesATaskRestartedOnFailureOnly() {
    TaskHandle h = tasks.run("transient", PauseAndInterruptTest::loop, Backoff.defaults(),
        RunOption.exactName(), RunOption.restartOnFailureOnly());
    awaitState(h, TaskState.RUNNING);

    h.pause().await();

    awaitState(h, TaskState.COMPLETED);
    assertThat(h.status().runs()).isEqualTo(1);
  }

  @Test
  void theInterruptOfACancelIsACancellationNotAFailure() {
    List<String> lines;
    TaskHandle h;
    try (LogCapture log = LogCapture.at(LogCapture.WARN)) {
      h = tasks.run("sleeper", ctx -> Thread.sleep(600_000), Backoff.defaults(),
          RunOption.exactName(), RunOption.interruptOnCancel());
      awaitState(h, TaskState.RUNNING);
      h.cancel().await();
      lines = log.linesOf("sleeper");
    }

    TaskStatus s = h.status();
    assertThat(s.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(s.failures()).isZero();
    assertThat(s.lastError()).isNull();
    assertThat(lines).isEmpty();
  }

  @Test
  void theInterruptOfACloseIsACancellationToo() {
    TaskHandle h = tasks.run("closer", ctx -> Thread.sleep(600_000), Backoff.defaults(),
        RunOption.exactName(), RunOption.interruptOnCancel());
    awaitState(h, TaskState.RUNNING);

    tasks.close().await();

    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(h.status().failures()).isZero();
  }

  @Test
  void aClosedByInterruptExceptionAtCancelIsACancellation() {
    TaskHandle h = tasks.run("channel", ctx -> {
      try {
        Thread.sleep(600_000);
      } catch (InterruptedException e) {
        throw new ClosedByInterruptException();
      }
    }, Backoff.defaults(), RunOption.exactName(), RunOption.interruptOnCancel());
    awaitState(h, TaskState.RUNNING);

    h.cancel().await();

    assertThat(h.status().failures()).isZero();
  }

  @Test
  void anInterruptedExceptionThatNoCancelCausedIsAFailure() {
    TaskHandle h = tasks.run("self-interrupted", ctx -> {
      throw new InterruptedException("by itself");
    }, Backoff.fixed(Duration.ofMinutes(10)), RunOption.exactName(), RunOption.interruptOnCancel());

    awaitState(h, TaskState.BACKING_OFF);

    assertThat(h.status().failures()).isEqualTo(1);
    assertThat(h.status().lastError().type()).isEqualTo(InterruptedException.class.getName());
  }

  @Test
  void theInterruptOfARunTimeoutIsStillATimeoutFailure() {
    TaskHandle h = tasks.run("too-slow", ctx -> Thread.sleep(600_000),
        Backoff.fixed(Duration.ofMinutes(10)), RunOption.exactName(), RunOption.interruptOnCancel(),
        RunOption.runTimeout(Duration.ofMillis(50)));

    awaitState(h, TaskState.BACKING_OFF);

    assertThat(h.status().failures()).isEqualTo(1);
    assertThat(h.status().lastError().type())
        .isEqualTo(java.util.concurrent.TimeoutException.class.getName());
  }
}
