package dev.background.eventbus;

import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.verticle.TasksVerticle;
import dev.background.TestTasks;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** {@link TasksClient} end to end, from another verticle of the same Vert.x instance. */
@ExtendWith(VertxExtension.class)
class TasksClientTest {

  private Vertx vertx;
  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(2)));
    JsonObject config = new JsonObject().put("address", "ops.tasks").put("tasks", new JsonArray()
        .add(new JsonObject().put("name", "waits").put("class", TestTasks.Waits.class.getName()))
        .add(new JsonObject().put("name", "manual").put("class", TestTasks.Waits.class.getName())
            .put("autoStart", false)));
    vertx.deployVerticle(new TasksVerticle(tasks), new DeploymentOptions().setConfig(config)).await();
  }

  @AfterEach
  void tearDown() {
    tasks.close().otherwiseEmpty().await();
  }

  /** Drives the client from its own event loop, as an application verticle would. */
  static final class Operator extends VerticleBase {
    final List<String> log = new ArrayList<>();

    @Override
    public Future<?> start() {
      TasksClient client = TasksClient.create(vertx, "ops.tasks");
      return client.list()
          .compose(all -> record("list", all.size() + " " + all.get(0).name()))
          .compose(v -> client.status("waits")).compose(s -> record("status", s))
          .compose(v -> client.pause("waits")).compose(s -> record("pause", s))
          .compose(v -> client.resume("waits")).compose(s -> record("resume", s))
          .compose(v -> client.cancel("waits")).compose(s -> record("cancel", s))
          .compose(v -> client.start("waits")).compose(s -> record("start", s))
          .compose(v -> client.start("manual")).compose(s -> record("start", s))
          .compose(v -> client.list()).compose(all -> record("list", all.size() + " " + all.get(0).name()))
          .compose(v -> client.restart("manual"))
          .recover(e -> record("restart", ((ReplyException) e).failureCode() + " " + e.getMessage())
              .mapEmpty());
    }

    private Future<Void> record(String action, Object result) {
      String text = result instanceof TaskStatus
          ? ((TaskStatus) result).name() + " " + ((TaskStatus) result).state()
              + (((TaskStatus) result).paused() ? " paused" : "")
          : String.valueOf(result);
      log.add(action + ": " + text);
      return Future.succeededFuture();
    }
  }

  @Test
  void controlsTasksFromAnotherVerticle() {
    Operator operator = new Operator();

    vertx.deployVerticle(operator).await();

    assertThat(operator.log).containsExactly(
        "list: 1 waits",
        "status: waits RUNNING",
        "pause: waits RUNNING paused",
        "resume: waits RUNNING",
        "cancel: waits CANCELLED",
        "start: waits RUNNING",
        "start: manual RUNNING",
        "list: 2 manual",
        "restart: 409 manual: is running; restart skips the wait between runs");
  }

  @Test
  void typedStatusMatchesTheTracker() {
    TasksClient client = TasksClient.create(vertx, "ops.tasks");

    TaskStatus status = client.status("waits").await();

    assertThat(status).isEqualTo(tasks.status("waits").orElseThrow());
    assertThat(client.list().await()).containsExactlyElementsOf(tasks.list());
  }

  @Test
  void pagesAndTheSummaryMatchTheTracker() {
    TasksClient client = TasksClient.create(vertx, "ops.tasks");
    tasks.runAsync("other", ctx -> ctx.onCancel(), dev.background.Backoff.defaults(),
        dev.background.RunOption.exactName());

    dev.background.TaskPage first = client.list(1, null).await();
    dev.background.TaskPage second = client.list(1, first.next()).await();
    dev.background.TasksSummary summary = client.summary().await();

    assertThat(first.tasks()).extracting(TaskStatus::name).containsExactly("other");
    assertThat(first.next()).isEqualTo("other");
    assertThat(second.tasks()).extracting(TaskStatus::name).containsExactly("waits");
    assertThat(second.next()).isNull();
    assertThat(summary.tasks()).isEqualTo(2);
    assertThat(summary.kinds().get(dev.background.TaskKind.RUN)).isEqualTo(2);
  }

  @Test
  void aLimitBelowOneIsABadRequest() {
    TasksClient client = TasksClient.create(vertx, "ops.tasks");

    ReplyException e = (ReplyException) catchThrowable(() -> client.list(0, null).await());

    assertThat(e.failureCode()).isEqualTo(TasksClient.BAD_REQUEST);
    assertThat(e.getMessage()).isEqualTo("limit: must be a whole number from 1 to 2147483647, was 0");
  }

  @Test
  void refusalsCarryTheirFailureCode() {
    TasksClient client = TasksClient.create(vertx, "ops.tasks");

    ReplyException notFound = (ReplyException) catchThrowable(() -> client.pause("nope").await());
    ReplyException conflict = (ReplyException) catchThrowable(() -> client.start("waits").await());

    assertThat(notFound.failureCode()).isEqualTo(TasksClient.NOT_FOUND);
    assertThat(notFound.getMessage()).isEqualTo("no task named \"nope\"");
    assertThat(conflict.failureCode()).isEqualTo(TasksClient.CONFLICT);
    assertThat(tasks.status("waits").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void triggerOfARunTaskIsAConflict() {
    TasksClient client = TasksClient.create(vertx, "ops.tasks");

    ReplyException e = (ReplyException) catchThrowable(() -> client.trigger("waits").await());

    assertThat(e.failureCode()).isEqualTo(TasksClient.CONFLICT);
    assertThat(tasks.status("waits").orElseThrow().runs()).isEqualTo(1);
  }

  @Test
  void triggerOfAnUnknownTaskIsNotFound() {
    TasksClient client = TasksClient.create(vertx, "ops.tasks");

    ReplyException e = (ReplyException) catchThrowable(() -> client.trigger("nope").await());

    assertThat(e.failureCode()).isEqualTo(TasksClient.NOT_FOUND);
    assertThat(e.getMessage()).isEqualTo("no task named \"nope\"");
  }

  @Test
  void triggerFiresASchedule() {
    TaskHandle h = tasks.schedule("nightly", Schedule.every(Duration.ofDays(1))
        .startingAt(Instant.now().plus(Duration.ofDays(1))), ctx -> { }, RunOption.exactName());
    TasksClient client = TasksClient.create(vertx, "ops.tasks");

    TaskStatus status = client.trigger("nightly").await();

    assertThat(status.name()).isEqualTo("nightly");
    assertThat(status.kind()).isEqualTo(TaskKind.SCHEDULE);
    await().atMost(Duration.ofSeconds(10)).until(() -> h.status().fires() == 1);
  }

  @Test
  void noVerticleAtTheAddressFailsWithNoHandlers() {
    TasksClient client = TasksClient.create(vertx, "nobody.here",
        new DeliveryOptions().setSendTimeout(1000));

    ReplyException e = (ReplyException) catchThrowable(() -> client.list().await());

    assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
  }

  @Test
  void defaultAddressIsTheVerticleDefault() {
    assertThat(TasksClient.create(vertx).address())
        .isEqualTo(dev.background.verticle.TasksVerticleOptions.DEFAULT_ADDRESS);
  }

  @Test
  void rejectsABlankAddressAtOnce() {
    assertThat(catchThrowable(() -> TasksClient.create(vertx, " ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TasksClient.create: address must not be blank, was \" \"");
  }
}
