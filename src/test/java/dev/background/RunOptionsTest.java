package dev.background;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Each RunOption: its effect, and its validation. */
@ExtendWith(VertxExtension.class)
class RunOptionsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Backoff TINY = Backoff.fixed(Duration.ofMillis(1));

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  static Stream<Arguments> invalidOptions() {
    return Stream.of(
        Arguments.of(RunOption.resetAfter(Duration.ofSeconds(-1)), "Tasks.run: RunOption.resetAfter: must be >= 0, was PT-1S"),
        Arguments.of(RunOption.resetAfter(Duration.ZERO), "Tasks.run: RunOption.resetAfter: must be > 0, was PT0S"),
        Arguments.of(RunOption.resetAfter(null), "Tasks.run: RunOption.resetAfter: must not be null"),
        Arguments.of(RunOption.startDelay(Duration.ofMillis(-1)), "Tasks.run: RunOption.startDelay: must be >= 0, was PT-0.001S"),
        Arguments.of(RunOption.runTimeout(Duration.ZERO), "Tasks.run: RunOption.runTimeout: must be > 0, was PT0S"),
        Arguments.of(RunOption.maxRestarts(-1, Duration.ofSeconds(1)), "Tasks.run: RunOption.maxRestarts: count must be >= 0, was -1"),
        Arguments.of(RunOption.maxRestarts(3, Duration.ZERO), "Tasks.run: RunOption.maxRestarts: window: must be > 0, was PT0S"),
        Arguments.of(RunOption.tags("k"), "Tasks.run: RunOption.tags: needs key/value pairs, was 1 strings"),
        Arguments.of(RunOption.tags(" ", "v"), "Tasks.run: RunOption.tags: keys must be non-blank and values non-null, was  =v"),
        Arguments.of(RunOption.tags("task", "x"), "Tasks.run: RunOption.tags: key 'task' is reserved"),
        Arguments.of(RunOption.config(null), "Tasks.run: RunOption.config: must not be null"),
        Arguments.of(null, "Tasks.run: options: must not contain null"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalidOptions")
  void invalidOptionIsRejectedWithItsMessage(RunOption option, String message) {
    assertThatThrownBy(() -> tasks.run("bad", ctx -> {
    }, TINY, option)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void restartOnlyOptionsAreRejectedByOnce() {
    assertThatThrownBy(() -> tasks.once("once", ctx -> {
    }, RunOption.resetAfter(Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tasks.once: RunOption.resetAfter: applies to restarted (run) tasks only");
  }

  @Test
  void blockingOnlyOptionsAreRejectedForAsyncTasks() {
    assertThatThrownBy(() -> tasks.runAsync("async", ctx -> ctx.onCancel(), TINY, RunOption.interruptOnCancel()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tasks.runAsync: RunOption.interruptOnCancel: applies to blocking tasks only");
  }

  @Test
  void virtualThreadIsAClearErrorWithoutVirtualThreads() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() < 21, "the default test JVM is Java 17");
    assertThatThrownBy(() -> tasks.run("vt", ctx -> {
    }, TINY, RunOption.virtualThread()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RunOption.virtualThread: this JVM (Java 17) has no virtual threads");
  }

  @Test
  void restartOnFailureOnlyCompletesOnSuccess() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("transient", ctx -> {
      if (runs.incrementAndGet() < 3) {
        throw new IllegalStateException("not yet");
      }
    }, TINY, RunOption.restartOnFailureOnly());

    h.completion().await();

    assertThat(h.status().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(h.status().runs()).isEqualTo(3);
  }

  @Test
  void resetAfterStartsTheBackoffSequenceOverAfterALongRun() {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("resets", ctx -> {
      attempts.add(ctx.attempt());
      if (runs.incrementAndGet() == 3) {
        ctx.onCancel().toCompletionStage().toCompletableFuture()
            .completeOnTimeout(null, 150, java.util.concurrent.TimeUnit.MILLISECONDS).get();
      }
      throw new IllegalStateException("fail");
    }, TINY, RunOption.resetAfter(Duration.ofMillis(100)));
    await().atMost(WAIT).until(() -> attempts.size() >= 5);
    h.cancel().await();

    assertThat(attempts.subList(0, 5)).containsExactly(1, 2, 3, 1, 2);
  }

  @Test
  void startDelayKeepsTheTaskPendingFirst() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("delayed", ctx -> {
      runs.incrementAndGet();
    }, Backoff.fixed(Duration.ofMinutes(1)), RunOption.startDelay(Duration.ofMillis(300)));

    assertThat(h.status().state()).isEqualTo(TaskState.PENDING);
    assertThat(h.status().nextRunAt()).isNotNull();
    await().atMost(WAIT).until(() -> runs.get() == 1);
  }

  @Test
  void runTimeoutCancelsTheContextAndCountsAsFailure() {
    AtomicBoolean sawCancel = new AtomicBoolean();
    TaskHandle h = tasks.run("too-slow", ctx -> {
      ctx.onCancel().toCompletionStage().toCompletableFuture().get();
      sawCancel.set(ctx.isCancelled());
    }, Backoff.fixed(Duration.ofMinutes(1)), RunOption.runTimeout(Duration.ofMillis(100)));

    await().atMost(WAIT).until(() -> h.status().failures() == 1);

    assertThat(sawCancel).isTrue();
    assertThat(h.status().lastError().type()).isEqualTo(TimeoutException.class.getName());
    assertThat(h.status().state()).isEqualTo(TaskState.BACKING_OFF);
  }

  @Test
  void interruptOnCancelInterruptsABlockedTask() {
    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    TaskHandle h = tasks.run("sleeper", ctx -> {
      try {
        never.await();
      } catch (InterruptedException e) {
        interrupted.set(true);
        throw e;
      }
    }, TINY, RunOption.interruptOnCancel());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);

    h.cancel().await();

    assertThat(interrupted).isTrue();
    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void withoutInterruptOnCancelABlockedTaskIsNotInterrupted() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    TaskHandle h = tasks.run("patient", ctx -> {
      while (!release.await(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        if (ctx.isCancelled()) {
          interrupted.set(Thread.currentThread().isInterrupted());
          return;
        }
      }
    }, TINY);
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);

    h.cancel().await();
    assertThat(interrupted).isFalse();
  }

  @Test
  void maxRestartsInsideTheWindowGivesUp() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("intense", ctx -> {
      runs.incrementAndGet();
      throw new IllegalStateException("crash");
    }, TINY, RunOption.maxRestarts(3, Duration.ofMinutes(1)));

    h.completion().await();

    assertThat(h.status().state()).isEqualTo(TaskState.GAVE_UP);
    assertThat(h.status().restarts()).isEqualTo(3);
    assertThat(runs.get()).isEqualTo(4);
  }

  @Test
  void configReachesTheTask() {
    AtomicInteger seen = new AtomicInteger();
    TaskHandle h = tasks.once("configured", ctx -> seen.set(ctx.config().getInteger("n")),
        RunOption.config(new JsonObject().put("n", 42)));
    h.completion().await();
    assertThat(seen.get()).isEqualTo(42);
  }

  @Test
  void tagsAreShownInStatus() {
    TaskHandle h = tasks.run("tagged", ctx -> ctx.onCancel().toCompletionStage().toCompletableFuture().get(),
        TINY, RunOption.tags("team", "billing"));
    assertThat(h.status().tags()).containsEntry("team", "billing");
    h.cancel().await();
  }
}
