package dev.background.control;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@link TasksControl}, the one control service: each action's reply, the bounded cancel wait,
 * and outcomes that are typed {@link ControlException}s with the protocol's codes.
 */
@ExtendWith(VertxExtension.class)
class ControlServiceTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Backoff HOUR = Backoff.fixed(Duration.ofHours(1));

  private Vertx vertx;
  private Tasks tasks;
  private TasksControl control;
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    control = new TasksControl(vertx, tasks, TaskStarter.NONE, Duration.ofMillis(200));
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    tasks.close().otherwiseEmpty().await();
  }

  private TaskHandle waits(String name) {
    TaskHandle h = tasks.runAsync(name, ctx -> ctx.onCancel(), HOUR, RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);
    return h;
  }

  private JsonObject ok(ControlAction action, String name) {
    return control.execute(new ControlRequest(action, name)).await();
  }

  private ControlException refused(ControlAction action, String name) {
    Throwable t = catchThrowable(() -> ok(action, name));
    assertThat(t).isInstanceOf(ControlException.class);
    return (ControlException) t;
  }

  @Test
  void listRepliesEveryStatusSortedByName() {
    waits("b");
    waits("a");

    JsonObject reply = ok(ControlAction.LIST, null);

    assertThat(reply.getJsonArray("tasks").stream().map(o -> ((JsonObject) o).getString("name")))
        .containsExactly("a", "b");
  }

  private JsonObject list(ListQuery query) {
    return control.execute(ControlRequest.list(query, ControlScope.CLUSTER)).await();
  }

  private static List<String> names(JsonObject reply) {
    return reply.getJsonArray("tasks").stream().map(o -> ((JsonObject) o).getString("name"))
        .collect(java.util.stream.Collectors.toList());
  }

  @Test
  void aListWithALimitRepliesOnePageAndTheCursorOfTheNext() {
    waits("a");
    waits("b");
    waits("c");

    JsonObject first = list(new ListQuery(2, null, null, null));
    JsonObject second = list(new ListQuery(2, first.getString("next"), null, null));

    assertThat(names(first)).containsExactly("a", "b");
    assertThat(first.getString("next")).isEqualTo("b");
    assertThat(names(second)).containsExactly("c");
    assertThat(second.containsKey("next")).isTrue();
    assertThat(second.getString("next")).isNull();
  }

  @Test
  void filtersApplyBeforeThePageIsCut() {
    // More once tasks than one chunk of the filtered scan, around and between the two run tasks.
    for (int i = 0; i < 1200; i++) {
      tasks.onceAsync(String.format("%s-once-%04d", i % 2 == 0 ? "a" : "n", i), ctx -> ctx.onCancel(),
          RunOption.exactName());
    }
    waits("m-waits");
    waits("z-waits");
    java.util.Set<dev.background.TaskKind> run = java.util.Set.of(dev.background.TaskKind.RUN);

    JsonObject first = list(new ListQuery(1, null, null, run));
    JsonObject second = list(new ListQuery(1, first.getString("next"), null, run));

    assertThat(names(first)).containsExactly("m-waits");
    assertThat(first.getString("next")).isEqualTo("m-waits");
    assertThat(names(second)).containsExactly("z-waits");
    assertThat(second.getString("next")).isNull();
  }

  @Test
  void summaryRepliesTheTrackersSummary() {
    waits("a");

    JsonObject reply = ok(ControlAction.SUMMARY, null);

    assertThat(reply).isEqualTo(tasks.summary().toJson());
    assertThat(reply.getInteger("tasks")).isEqualTo(1);
  }

  @Test
  void statusRepliesTheTasksStatusJson() {
    TaskHandle h = waits("a");

    assertThat(ok(ControlAction.STATUS, "a")).isEqualTo(h.status().toJson());
  }

  @Test
  void anUnknownTaskIsNotFound() {
    for (ControlAction a : List.of(ControlAction.STATUS, ControlAction.CANCEL, ControlAction.PAUSE,
        ControlAction.START)) {
      ControlException e = refused(a, "nope");
      assertThat(e.code()).as(a.wireName()).isEqualTo(ControlException.NOT_FOUND);
      assertThat(e.getMessage()).isEqualTo("no task named \"nope\"");
    }
  }

  @Test
  void aDeclaredTaskNotStartedIsNotFoundSayingHowToStartIt() {
    control = new TasksControl(vertx, tasks, new TaskStarter() {
      @Override
      public TaskHandle start(String name) {
        throw new IllegalStateException("not now");
      }

      @Override
      public boolean isDeclared(String name) {
        return true;
      }
    });

    assertThat(refused(ControlAction.PAUSE, "later").getMessage()).isEqualTo("task \"later\" is "
        + "declared but has not been started; send {\"action\": \"start\", \"name\": \"later\"}");
  }

  @Test
  void cancelRepliesOnceTheRunHasEnded() {
    waits("a");

    JsonObject reply = ok(ControlAction.CANCEL, "a");

    assertThat(reply.getString("state")).isEqualTo("CANCELLED");
    assertThat(TasksControl.isSettled(ControlAction.CANCEL, reply)).isTrue();
  }

  @Test
  void cancelOfARunIgnoringItRepliesAfterTheWaitWithTheTaskStillRunning() {
    TaskHandle h = tasks.run("stuck", ctx -> release.await(), HOUR, RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);

    JsonObject reply = ok(ControlAction.CANCEL, "stuck");

    assertThat(reply.getString("state")).isEqualTo("RUNNING");
    assertThat(TasksControl.isSettled(ControlAction.CANCEL, reply)).isFalse();
    release.countDown();
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.CANCELLED);
  }

  @Test
  void onlyACancelStillRunningIsUnsettled() {
    JsonObject running = new JsonObject().put("state", "RUNNING");

    assertThat(TasksControl.isSettled(ControlAction.PAUSE, running)).isTrue();
    assertThat(TasksControl.isSettled(ControlAction.CANCEL, new JsonObject().put("state", "COMPLETED")))
        .isTrue();
  }

  @Test
  void pauseAndResumeReplyTheNewStatus() {
    waits("a");

    assertThat(ok(ControlAction.PAUSE, "a").getBoolean("paused")).isTrue();
    assertThat(ok(ControlAction.RESUME, "a").getBoolean("paused")).isFalse();
  }

  @Test
  void restartOfARunningTaskIsAConflict() {
    waits("a");

    ControlException e = refused(ControlAction.RESTART, "a");

    assertThat(e.code()).isEqualTo(ControlException.CONFLICT);
    assertThat(e.getMessage()).isEqualTo("a: is running; restart skips the wait between runs");
  }

  @Test
  void startUsesTheStarter() {
    TaskHandle h = waits("a");
    h.cancel().await();
    control = new TasksControl(vertx, tasks, name -> waits(name + "-again"));

    assertThat(ok(ControlAction.START, "a").getString("name")).isEqualTo("a-again");
  }

  @Test
  void aClosedTrackerRefusesEveryChangeButCancelAndAnswersReads() {
    waits("a");
    tasks.close().await();

    for (ControlAction a : ControlAction.values()) {
      if (a == ControlAction.CANCEL) {
        assertThat(ok(a, "a").getString("state")).isEqualTo("CANCELLED");
      } else if (a.mutates()) {
        ControlException e = refused(a, "a");
        assertThat(e.code()).as(a.wireName()).isEqualTo(ControlException.CONFLICT);
        assertThat(e.getMessage()).isEqualTo("the tracker is closed; " + a.wireName() + " is refused");
      } else {
        assertThat(ok(a, "a")).as(a.wireName()).isNotNull();
      }
    }
  }

  @Test
  void cancelOfAnEndedTaskRepliesItsFinalStatusAndChangesNothing() {
    TaskHandle once = tasks.onceAsync("once", ctx -> Future.succeededFuture(), RunOption.exactName());
    TaskHandle gaveUp = tasks.runAsync("gave-up", ctx -> Future.failedFuture("broken"),
        Backoff.fixed(Duration.ofMillis(1)).toBuilder().maxAttempts(1).build(), RunOption.exactName());
    TaskHandle cancelled = waits("cancelled");
    cancelled.cancel().await();
    await().atMost(WAIT).until(() -> once.status().state() == TaskState.COMPLETED
        && gaveUp.status().state() == TaskState.GAVE_UP);

    for (TaskHandle h : List.of(once, gaveUp, cancelled)) {
      JsonObject before = h.status().toJson();

      JsonObject reply = ok(ControlAction.CANCEL, h.name());

      assertThat(reply).as(h.name()).isEqualTo(before);
      assertThat(TasksControl.isSettled(ControlAction.CANCEL, reply)).isTrue();
      assertThat(h.status().toJson()).as(h.name()).isEqualTo(before);
    }
  }

  @Test
  void cancelOnAClosedTrackerOfARunIgnoringItRepliesAfterTheWaitWithTheTaskStillRunning() {
    TaskHandle h = tasks.run("stuck", ctx -> release.await(), HOUR, RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);
    assertThat(catchThrowable(() -> tasks.close(Duration.ofMillis(100)).await())).isNotNull();

    JsonObject reply = ok(ControlAction.CANCEL, "stuck");

    assertThat(reply.getString("state")).isEqualTo("RUNNING");
    assertThat(TasksControl.isSettled(ControlAction.CANCEL, reply)).isFalse();
    release.countDown();
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.CANCELLED);
    assertThat(ok(ControlAction.CANCEL, "stuck").getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void anUnexpectedErrorIsAnInternalErrorWithItsCause() {
    RuntimeException boom = new UnsupportedOperationException("boom");
    control = new TasksControl(vertx, tasks, name -> {
      throw boom;
    });

    Future<JsonObject> reply = control.execute(new ControlRequest(ControlAction.START, "x"));

    ControlException e = (ControlException) catchThrowable(reply::await);
    assertThat(e.code()).isEqualTo(ControlException.INTERNAL_ERROR);
    assertThat(e.getMessage()).isEqualTo("unexpected error: java.lang.UnsupportedOperationException: boom");
    assertThat(e.getCause()).isSameAs(boom);
  }

  @Test
  void theCancelWaitMustBePositive() {
    assertThat(catchThrowable(() -> new TasksControl(vertx, tasks, TaskStarter.NONE, Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("cancelWait: must be > 0, was PT0S");
    assertThat(TasksControl.DEFAULT_CANCEL_WAIT).isEqualTo(Duration.ofSeconds(5));
  }
}
