package dev.background;

import dev.background.testing.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Idle once names are kept up to a count and an age ({@link TasksOptions#setOnceRetentionCount},
 * {@link TasksOptions#setOnceRetentionAge}); the age runs on the tracker's clock, a
 * {@link TestClock} here. Names that leave the retention leave the registry and the meter registry;
 * their counters stay in the summary's totals.
 */
@ExtendWith(VertxExtension.class)
class OnceRetentionTest {

  private final TestClock clock = new TestClock();
  private Tasks tasks;

  private Tasks tasks(Vertx vertx, TasksOptions options) {
    tasks = Tasks.create(vertx, options.setClock(clock).setCloseTimeout(Duration.ofSeconds(5)));
    return tasks;
  }

  @AfterEach
  void tearDown() {
    if (tasks != null) {
      tasks.close().await();
    }
  }

  private static void onceDone(Tasks tasks, String name) {
    tasks.onceAsync(name, ctx -> Future.succeededFuture(), RunOption.exactName()).completion().await();
  }

  private static List<String> names(Tasks tasks) {
    return tasks.list().stream().map(TaskStatus::name).collect(Collectors.toList());
  }

  @Test
  void theMostRecentlyFinishedNamesAreKeptUpToTheCount(Vertx vertx) {
    Tasks tasks = tasks(vertx, new TasksOptions().setOnceRetentionCount(2));
    onceDone(tasks, "a");
    onceDone(tasks, "b");
    onceDone(tasks, "c");

    assertThat(names(tasks)).containsExactly("b", "c");
    assertThat(tasks.status("a")).isEmpty();
    TasksSummary summary = tasks.summary();
    assertThat(summary.tasks()).isEqualTo(2);
    assertThat(summary.dropped()).isEqualTo(1);
    assertThat(summary.runs()).isEqualTo(3);
    assertThat(summary.successes()).isEqualTo(3);
  }

  @Test
  void aNameIsDroppedOnceItHasBeenIdleForTheAge(Vertx vertx) {
    Tasks tasks = tasks(vertx, new TasksOptions().setOnceRetentionAge(Duration.ofMinutes(1)));
    onceDone(tasks, "a");

    clock.advance(Duration.ofSeconds(59));
    assertThat(names(tasks)).containsExactly("a");

    clock.advance(Duration.ofSeconds(2));
    await().until(() -> tasks.list().isEmpty());
    assertThat(tasks.summary().dropped()).isEqualTo(1);
    assertThat(tasks.summary().runs()).isEqualTo(1);
  }

  @Test
  void theAgeCountsFromTheLastExecutionOfAName(Vertx vertx) {
    Tasks tasks = tasks(vertx, new TasksOptions().setOnceRetentionAge(Duration.ofMinutes(1)));
    onceDone(tasks, "a");
    clock.advance(Duration.ofSeconds(50));
    onceDone(tasks, "a");

    clock.advance(Duration.ofSeconds(50));
    assertThat(names(tasks)).containsExactly("a");
    assertThat(tasks.status("a").orElseThrow().runs()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(11));
    await().until(() -> tasks.list().isEmpty());
  }

  @Test
  void aNameWithAnExecutionRunningIsNeverDropped(Vertx vertx) {
    Tasks tasks = tasks(vertx, new TasksOptions().setOnceRetentionCount(0)
        .setOnceRetentionAge(Duration.ofMinutes(1)));
    Promise<Void> release = Promise.promise();
    TaskHandle slow = tasks.onceAsync("slow", ctx -> release.future(), RunOption.exactName());
    onceDone(tasks, "quick");

    clock.advance(Duration.ofHours(1));
    assertThat(names(tasks)).containsExactly("slow");

    vertx.runOnContext(v -> release.complete());
    slow.completion().await();
    await().until(() -> tasks.list().isEmpty());
    assertThat(tasks.summary().dropped()).isEqualTo(2);
  }

  @Test
  void aHandleOfADroppedNameStillReadsItsStatus(Vertx vertx) {
    Tasks tasks = tasks(vertx, new TasksOptions().setOnceRetentionCount(0));
    TaskHandle h = tasks.onceAsync("gone", ctx -> Future.succeededFuture(), RunOption.exactName());
    h.completion().await();

    await().until(() -> tasks.status("gone").isEmpty());
    assertThat(h.status().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(h.status().runs()).isEqualTo(1);
  }

  @Test
  void aDroppedNameSubmittedAgainStartsAfreshAndTheTotalsStayExact(Vertx vertx) {
    Tasks tasks = tasks(vertx, new TasksOptions().setOnceRetentionCount(1));
    onceDone(tasks, "a");
    onceDone(tasks, "b");
    onceDone(tasks, "a");

    assertThat(names(tasks)).containsExactly("a");
    assertThat(tasks.status("a").orElseThrow().runs()).isEqualTo(1);
    TasksSummary summary = tasks.summary();
    assertThat(summary.dropped()).isEqualTo(2);
    assertThat(summary.runs()).isEqualTo(3);
  }

  @Test
  void theMetersOfADroppedNameAreRemovedAndTheTrackerWideCountersKeepCounting(Vertx vertx) {
    MeterRegistry registry = new SimpleMeterRegistry();
    Tasks tasks = tasks(vertx, new TasksOptions().setOnceRetentionCount(1).setMeterRegistry(registry));
    onceDone(tasks, "a");
    onceDone(tasks, "b");

    assertThat(registry.find("once.task.executed").tag("task", "a").counter()).isNull();
    assertThat(registry.find("background.task.duration").tag("task", "a").timer()).isNull();
    assertThat(registry.get("once.task.executed").tag("task", "b").counter().count()).isEqualTo(1);
    assertThat(registry.get("once.tasks.total").counter().count()).isEqualTo(2);
  }

  @Test
  void aRunTaskMayTakeTheNameOfADroppedOnceName(Vertx vertx) {
    Tasks tasks = tasks(vertx, new TasksOptions().setOnceRetentionCount(0));
    onceDone(tasks, "shared");
    await().until(() -> tasks.status("shared").isEmpty());

    TaskHandle run = tasks.runAsync("shared", TaskContext::onCancel,
        Backoff.fixed(Duration.ofMinutes(1)), RunOption.exactName());

    assertThat(run.status().kind()).isEqualTo(TaskKind.RUN);
    assertThat(names(tasks)).containsExactly("shared");
  }

  @Test
  void theRetentionReadsFromAndWritesToJson() {
    TasksOptions options = new TasksOptions(new JsonObject().put("onceRetentionCount", 10)
        .put("onceRetentionAge", "5m"));

    assertThat(options.getOnceRetentionCount()).isEqualTo(10);
    assertThat(options.getOnceRetentionAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(new TasksOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
    assertThat(new TasksOptions().getOnceRetentionCount())
        .isEqualTo(TasksOptions.DEFAULT_ONCE_RETENTION_COUNT).isEqualTo(1000);
    assertThat(new TasksOptions().getOnceRetentionAge())
        .isEqualTo(TasksOptions.DEFAULT_ONCE_RETENTION_AGE).isEqualTo(Duration.ofHours(24));
  }

  @Test
  void badRetentionValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new TasksOptions(new JsonObject().put("onceRetentionCount", -1)))
        .isInstanceOf(ConfigException.class).hasMessage("onceRetentionCount: must be >= 0, was -1");
    assertThatThrownBy(() -> new TasksOptions().setOnceRetentionAge(Duration.ZERO))
        .isInstanceOf(ConfigException.class).hasMessage("onceRetentionAge: must be at least 1ms, was 0ms");
  }
}
