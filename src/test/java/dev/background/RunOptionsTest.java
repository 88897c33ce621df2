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
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
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
        invalid(() -> RunOption.resetAfter(Duration.ofSeconds(-1)), "RunOption.resetAfter", "must be > 0, was -1s"),
        invalid(() -> RunOption.resetAfter(Duration.ZERO), "RunOption.resetAfter", "must be > 0, was 0ms"),
        invalid(() -> RunOption.resetAfter(null), "RunOption.resetAfter", "must not be null"),
        invalid(() -> RunOption.startDelay(Duration.ofMillis(-1)), "RunOption.startDelay", "must be >= 0, was -1ms"),
        invalid(() -> RunOption.startDelay(Duration.ofNanos(-1)), "RunOption.startDelay", "must be >= 0, was PT-0.000000001S"),
        invalid(() -> RunOption.runTimeout(Duration.ZERO), "RunOption.runTimeout", "must be > 0, was 0ms"),
        invalid(() -> RunOption.runTimeout(null), "RunOption.runTimeout", "must not be null"),
        invalid(() -> RunOption.maxRestarts(-1, Duration.ofSeconds(1)), "RunOption.maxRestarts.count", "must be >= 0, was -1"),
        invalid(() -> RunOption.maxRestarts(3, Duration.ZERO), "RunOption.maxRestarts.window", "must be > 0, was 0ms"),
        invalid(() -> RunOption.maxRestarts(3, null), "RunOption.maxRestarts.window", "must not be null"),
        invalid(() -> RunOption.tags("k"), "RunOption.tags", "needs key/value pairs, was 1 strings"),
        invalid(() -> RunOption.tags((String[]) null), "RunOption.tags", "must not be null"),
        invalid(() -> RunOption.tags(" ", "v"), "RunOption.tags", "keys must not be blank, was \" \""),
        invalid(() -> RunOption.tags(null, "v"), "RunOption.tags", "keys must not be blank, was null"),
        invalid(() -> RunOption.tags("team", null), "RunOption.tags.team", "must not be null"),
        invalid(() -> RunOption.tags("task", "x"), "RunOption.tags.task", "is reserved (task, kind and outcome are set by the tracker)"),
        invalid(() -> RunOption.tags("outcome", "x"), "RunOption.tags.outcome", "is reserved (task, kind and outcome are set by the tracker)"),
        invalid(() -> RunOption.config(null), "RunOption.config", "must not be null"));
  }

  private static Arguments invalid(Supplier<RunOption> make, String path, String problem) {
    return Arguments.of(make, path, problem);
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("invalidOptions")
  void anOptionRefusesABadValueNamingItself(Supplier<RunOption> make, String path, String problem) {
    Throwable t = catchThrowable(make::get);

    assertThat(t).isInstanceOf(ConfigException.class).hasMessage(path + ": " + problem);
    assertThat(((ConfigException) t).path()).isEqualTo(path);
    assertThat(((ConfigException) t).problem()).isEqualTo(problem);
  }

  @Test
  void aNullOptionIsRejectedByRun() {
    assertThatThrownBy(() -> tasks.run("bad", ctx -> {
    }, TINY, (RunOption) null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tasks.run: options: must not contain null");
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void optionsAreValuesWithAReadableForm() {
    assertThat(RunOption.resetAfter(Duration.ofMinutes(1))).isEqualTo(RunOption.resetAfter(Duration.ofSeconds(60)))
        .hasToString("RunOption.resetAfter(1m)");
    assertThat(RunOption.maxRestarts(3, Duration.ofSeconds(30))).hasToString("RunOption.maxRestarts(3, 30s)");
    assertThat(RunOption.tags("team", "billing", "tier", "1")).hasToString("RunOption.tags(team=billing, tier=1)");
    assertThat(RunOption.exactName()).isEqualTo(RunOption.exactName()).hasToString("RunOption.exactName()");
    assertThat(RunOption.config(new JsonObject().put("n", 1))).hasToString("RunOption.config({\"n\":1})");
  }

  @Test
  void eachOptionIsNamedAfterItsFactory() {
    assertThat(Stream.of(RunOption.exactName(), RunOption.restartOnFailureOnly(),
        RunOption.resetAfter(Duration.ofSeconds(1)), RunOption.startDelay(Duration.ZERO),
        RunOption.runTimeout(Duration.ofSeconds(1)), RunOption.interruptOnCancel(),
        RunOption.maxRestarts(1, Duration.ofSeconds(1)), RunOption.tags(), RunOption.singleton(),
        RunOption.config(new JsonObject())).map(RunOption::name))
        .containsExactly("exactName", "restartOnFailureOnly", "resetAfter", "startDelay", "runTimeout",
            "interruptOnCancel", "maxRestarts", "tags", "singleton", "config");
  }

  @Test
  void aConfigOptionKeepsItsOwnCopy() {
    JsonObject given = new JsonObject().put("n", 1);
    RunOption.Config option = (RunOption.Config) RunOption.config(given);
    given.put("n", 2);
    option.config().put("n", 3);

    assertThat(option.config().getInteger("n")).isEqualTo(1);
  }

  @Test
  void tagsKeepTheirOrderAndALaterValueWins() {
    RunOption.Tags tags = (RunOption.Tags) RunOption.tags("b", "1", "a", "2", "b", "3");

    assertThat(tags.tags()).containsExactly(Map.entry("b", "3"), Map.entry("a", "2"));
    assertThatThrownBy(() -> tags.tags().put("c", "4")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aLaterOptionOfTheSameTypeReplacesAnEarlierOne() {
    TaskHandle h = tasks.run("twice", ctx -> ctx.onCancel().toCompletionStage().toCompletableFuture().get(),
        TINY, RunOption.tags("team", "a"), RunOption.tags("team", "b"));
    assertThat(h.status().tags()).containsEntry("team", "b");
    h.cancel().await();
  }

  @Test
  void restartOnlyOptionsAreRejectedByOnce() {
    assertThatThrownBy(() -> tasks.once("once", ctx -> {
    }, RunOption.resetAfter(Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tasks.once: RunOption.resetAfter: applies to restarted (run) tasks only");
    assertThatThrownBy(() -> tasks.onceAsync("once", ctx -> ctx.onCancel(), RunOption.maxRestarts(1, Duration.ofSeconds(1))))
        .hasMessage("Tasks.onceAsync: RunOption.maxRestarts: applies to restarted (run) tasks only");
    assertThatThrownBy(() -> tasks.once("once", ctx -> {
    }, RunOption.restartOnFailureOnly()))
        .hasMessage("Tasks.once: RunOption.restartOnFailureOnly: applies to restarted (run) tasks only");
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void blockingOnlyOptionsAreRejectedForAsyncTasks() {
    assertThatThrownBy(() -> tasks.runAsync("async", ctx -> ctx.onCancel(), TINY, RunOption.interruptOnCancel()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tasks.runAsync: RunOption.interruptOnCancel: applies to blocking tasks only");
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void virtualThreadIsAClearErrorWithoutVirtualThreads() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() < 21, "the default test JVM is Java 17");
    assertThatThrownBy(() -> tasks.run("vt", ctx -> {
    }, TINY, RunOption.virtualThread()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("RunOption.virtualThread: this JVM (Java " + Runtime.version().feature()
            + ") has no virtual threads; they need Java 21 or later");
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
