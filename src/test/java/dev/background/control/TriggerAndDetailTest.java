package dev.background.control;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The {@code trigger} and {@code detail} actions of {@link TasksControl} on a real tracker. The
 * schedule cases need the schedule engine ({@link Tasks#schedule}).
 */
@ExtendWith(VertxExtension.class)
class TriggerAndDetailTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Backoff HOUR = Backoff.fixed(Duration.ofHours(1));

  private Tasks tasks;
  private TasksControl control;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    control = new TasksControl(vertx, tasks, TaskStarter.NONE, Duration.ofMillis(200));
  }

  @AfterEach
  void tearDown() {
    tasks.close().otherwiseEmpty().await();
  }

  private TaskHandle waits(String name, RunOption... options) {
    RunOption[] all = new RunOption[options.length + 1];
    all[0] = RunOption.exactName();
    System.arraycopy(options, 0, all, 1, options.length);
    TaskHandle h = tasks.runAsync(name, ctx -> ctx.onCancel(), HOUR, all);
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);
    return h;
  }

  /** A schedule whose first slot is a day away: it fires only when triggered. */
  private TaskHandle dailyFromTomorrow(String name) {
    return tasks.schedule(name, Schedule.every(Duration.ofDays(1))
        .startingAt(Instant.now().plus(Duration.ofDays(1))), ctx -> { }, RunOption.exactName());
  }

  private JsonObject ok(ControlAction action, String name) {
    return control.execute(new ControlRequest(action, name)).await();
  }

  private ControlException refused(ControlAction action, String name) {
    Throwable t = catchThrowable(() -> ok(action, name));
    assertThat(t).isInstanceOf(ControlException.class);
    return (ControlException) t;
  }

  // ---------------------------------------------------------------- trigger

  @Test
  void triggerOnARunTaskIs409AndChangesNothing() {
    TaskHandle h = waits("worker");

    ControlException e = refused(ControlAction.TRIGGER, "worker");

    assertThat(e.code()).isEqualTo(ControlException.CONFLICT);
    assertThat(h.status().state()).isEqualTo(TaskState.RUNNING);
    assertThat(h.status().runs()).isEqualTo(1);
  }

  @Test
  void triggerOnAOnceTaskIs409() {
    TaskHandle h = tasks.once("warm-up", ctx -> { }, RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.COMPLETED);

    assertThat(refused(ControlAction.TRIGGER, "warm-up").code()).isEqualTo(ControlException.CONFLICT);
  }

  @Test
  void triggerOnAnUnknownTaskIs404() {
    ControlException e = refused(ControlAction.TRIGGER, "nope");

    assertThat(e.code()).isEqualTo(ControlException.NOT_FOUND);
    assertThat(e.getMessage()).isEqualTo("no task named \"nope\"");
  }

  @Test
  void triggerOnAScheduleFiresItNowAndRepliesItsStatus() {
    TaskHandle h = dailyFromTomorrow("nightly");

    JsonObject reply = ok(ControlAction.TRIGGER, "nightly");

    assertThat(reply.getString("name")).isEqualTo("nightly");
    assertThat(reply.getString("kind")).isEqualTo(TaskKind.SCHEDULE.name());
    await().atMost(WAIT).until(() -> h.status().fires() == 1 && h.status().successes() == 1);
  }

  // ---------------------------------------------------------------- detail

  @Test
  void detailAddsTheBackoffAndTheOptionsToTheStatus() {
    waits("worker", RunOption.runTimeout(Duration.ofSeconds(30)),
        RunOption.maxRestarts(5, Duration.ofMinutes(1)), RunOption.tags("team", "ops"));

    JsonObject detail = ok(ControlAction.DETAIL, "worker");

    assertThat(detail.getString("state")).isEqualTo("RUNNING");
    assertThat(detail.getJsonObject("backoff")).isEqualTo(HOUR.toJson());
    JsonObject options = detail.getJsonObject("options");
    assertThat(options.fieldNames()).containsExactlyInAnyOrder("exactName", "runTimeout",
        "maxRestarts", "tags");
    assertThat(options.getBoolean("exactName")).isTrue();
    assertThat(options.getString("runTimeout")).isEqualTo("30s");
    assertThat(options.getJsonObject("maxRestarts"))
        .isEqualTo(new JsonObject().put("count", 5).put("window", "1m"));
    assertThat(options.getJsonObject("tags")).isEqualTo(new JsonObject().put("team", "ops"));
    assertThat(detail.getValue("stackTrace")).isNull();
  }

  @Test
  void detailShowsOnlyTheKeysOfTheTasksConfig() {
    waits("worker", RunOption.config(new JsonObject().put("url", "db://x").put("password", "hunter2")));

    JsonObject detail = ok(ControlAction.DETAIL, "worker");

    assertThat(detail.getJsonObject("options").getJsonObject("config"))
        .isEqualTo(new JsonObject().put("keys", new JsonArray().add("password").add("url")));
    assertThat(detail.encode()).doesNotContain("hunter2");
  }

  @Test
  void detailOfAOnceTaskHasNoBackoff() {
    TaskHandle h = tasks.once("warm-up", ctx -> { }, RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.COMPLETED);

    JsonObject detail = ok(ControlAction.DETAIL, "warm-up");

    assertThat(detail.containsKey("backoff")).isTrue();
    assertThat(detail.getValue("backoff")).isNull();
  }

  @Test
  void detailCarriesTheStackTraceOfTheLastFailureWithItsCause() {
    TaskHandle h = tasks.run("flaky", ctx -> {
      throw new IllegalStateException("upstream answered 503",
          new IOException("connection reset"));
    }, HOUR, RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    String stack = ok(ControlAction.DETAIL, "flaky").getString("stackTrace");

    assertThat(stack).startsWith("java.lang.IllegalStateException: upstream answered 503")
        .contains("\tat dev.background.control.TriggerAndDetailTest")
        .contains("Caused by: java.io.IOException: connection reset");
  }

  @Test
  void aSuccessAfterTheFailureDropsTheStackTraceButNotTheLastError() {
    AtomicInteger run = new AtomicInteger();
    TaskHandle h = tasks.runAsync("recovers", ctx -> {
      switch (run.incrementAndGet()) {
        case 1: return Future.failedFuture(new IllegalStateException("first run fails"));
        case 2: return Future.succeededFuture();
        default: return ctx.onCancel();
      }
    }, Backoff.fixed(Duration.ofMillis(10)), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().runs() == 3 && h.status().successes() == 1);

    JsonObject detail = ok(ControlAction.DETAIL, "recovers");

    assertThat(detail.getValue("stackTrace")).isNull();
    assertThat(detail.getJsonObject("lastError").getString("message")).isEqualTo("first run fails");
  }

  @Test
  void aHugeStackTraceIsCutAndSaysSo() {
    TaskHandle h = tasks.run("deep", ctx -> {
      throw new IllegalStateException("x".repeat(40_000));
    }, HOUR, RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    String stack = ok(ControlAction.DETAIL, "deep").getString("stackTrace");

    assertThat(stack).hasSize(TaskDetail.MAX_STACK_TRACE_LENGTH).matches("(?s).*… \\(cut, \\d+ characters\\)");
  }

  @Test
  void anExceptionThatCannotBePrintedGivesALineThatSaysSo() {
    TaskHandle h = tasks.run("odd", ctx -> {
      throw new IllegalStateException() {
        @Override
        public String toString() {
          throw new UnsupportedOperationException("no text");
        }
      };
    }, HOUR, RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    String stack = ok(ControlAction.DETAIL, "odd").getString("stackTrace");

    assertThat(stack).contains("could not be printed").contains(UnsupportedOperationException.class.getName());
  }

  @Test
  void detailOfAnUnknownTaskIs404() {
    assertThat(refused(ControlAction.DETAIL, "nope").code()).isEqualTo(ControlException.NOT_FOUND);
  }
}
