package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RetryAfter;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.verticle.TasksVerticle;
import dev.background.TestTasks;
import dev.background.ConfigException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Durations longer than a long of milliseconds (about 292 million years), such as
 * {@code ChronoUnit.FOREVER.getDuration()}, the usual way to say "no limit": they mean "never"
 * everywhere, and never surface as an {@link ArithmeticException} that leaves a task or the
 * tracker half-changed.
 */
@ExtendWith(VertxExtension.class)
class HugeDurationsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

  @Test
  void closeWithAForeverDeadlineWaitsForTheRunningTasksAndCompletes(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    CountDownLatch release = new CountDownLatch(1);
    TaskHandle h = tasks.run("slow", ctx -> release.await(), Backoff.defaults(), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);

    Future<Void> closing = tasks.close(FOREVER);
    // The deadline is "never": it must not fire at once because its millisecond count overflowed.
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !closing.isComplete());
    release.countDown();

    closing.await();
    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(tasks.close()).isSameAs(closing);
  }

  @Test
  void theDefaultCloseTimeoutMayBeForever(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(FOREVER));
    tasks.runAsync("waits", ctx -> ctx.onCancel(), Backoff.defaults(), RunOption.exactName());

    tasks.close().await();

    assertThat(new TasksOptions().setCloseTimeout(FOREVER).toJson().getString("closeTimeout"))
        .isEqualTo(FOREVER.toString());
  }

  @Test
  void aRetryAfterOfForeverLeavesTheTaskBackingOffAndControllable(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    TaskHandle h = tasks.runAsync("never-again", ctx -> ctx.attempt() == 1
        ? Future.failedFuture(new RetryAfter(FOREVER)) : ctx.onCancel(), Backoff.defaults(),
        RunOption.exactName());

    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);
    TaskStatus s = h.status();
    assertThat(s.runs()).isEqualTo(s.successes() + s.failures() + s.running()).isEqualTo(1);
    assertThat(s.currentDelay()).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
    assertThat(s.nextRunAt()).isAfter(Instant.now().plus(Duration.ofDays(365L * 1_000_000)));
    assertThat(s.toJson().getLong("currentDelayMs")).isEqualTo(Long.MAX_VALUE);

    h.pause().await();
    h.resume().await();
    assertThat(h.status().state()).isEqualTo(TaskState.BACKING_OFF);
    h.restartNow().await();
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);
    assertThat(h.status().attempt()).isEqualTo(2);
    tasks.close().await();
  }

  @Test
  void aRetryAfterAtTheEndOfTimeLeavesTheTaskBackingOff(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    TaskHandle h = tasks.runAsync("at-the-end-of-time", ctx -> Future.failedFuture(
        new RetryAfter(Instant.MAX)), Backoff.defaults(), RunOption.exactName());

    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);
    assertThat(h.status().running()).isZero();
    tasks.close().await();
    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void aStartDelayOfForeverIsPendingAndCanBePausedResumedAndStarted(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    TaskHandle h = tasks.runAsync("later", ctx -> ctx.onCancel(), Backoff.defaults(),
        RunOption.exactName(), RunOption.startDelay(FOREVER));

    assertThat(h.status().state()).isEqualTo(TaskState.PENDING);
    assertThat(h.status().toJson().getLong("currentDelayMs")).isEqualTo(Long.MAX_VALUE);
    h.pause().await();
    assertThat(h.status().state()).isEqualTo(TaskState.PAUSED);
    h.resume().await();
    assertThat(h.status().state()).isEqualTo(TaskState.PENDING);
    h.restartNow().await();
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);
    tasks.close().await();
  }

  @Test
  void resetAfterRunTimeoutAndMaxRestartsWindowsOfForeverAreAccepted(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    TaskHandle h = tasks.runAsync("bounded", ctx -> ctx.attempt() < 3 ? Future.succeededFuture()
        : ctx.onCancel(), Backoff.fixed(Duration.ofMillis(1)), RunOption.exactName(),
        RunOption.resetAfter(FOREVER), RunOption.runTimeout(FOREVER), RunOption.maxRestarts(5, FOREVER));

    await().atMost(WAIT).until(() -> h.status().attempt() == 3 && h.status().state() == TaskState.RUNNING);
    assertThat(h.status().successes()).isEqualTo(2);
    tasks.close().await();
  }

  @Test
  void backoffIntervalsOfForeverSaturateAndRoundTripThroughJson() {
    Backoff b = Backoff.builder().initialInterval(Duration.ofSeconds(1)).maxInterval(FOREVER).build();

    assertThat(b.intervalMillis(1)).isEqualTo(1000);
    assertThat(b.intervalMillis(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(b.delayMillis(Integer.MAX_VALUE)).isPositive();
    assertThat(Backoff.fromJson(b.toJson(), Backoff.defaults())).isEqualTo(b);
    assertThat(Backoff.fixed(FOREVER).delayMillis(3)).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"9999999999999999h", "999999999999999d", "999999999999999999m",
      "9999999999999999999s"})
  void aConfigDurationTooLargeToRepresentFailsTheDeploymentNamingTheKey(String value, Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    JsonObject config = new JsonObject().put("tasks", new JsonArray().add(new JsonObject()
        .put("name", "t").put("class", TestTasks.Waits.class.getName())
        .put("options", new JsonObject().put("startDelay", value))));

    Throwable t = catchThrowable(() -> vertx.deployVerticle(new TasksVerticle(tasks),
        new DeploymentOptions().setConfig(config)).await());

    assertThat(t).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tasks[0].options.startDelay: ");
    assertThat(tasks.list()).isEmpty();
    tasks.close().await();
  }
}
