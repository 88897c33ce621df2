package dev.background.health;

import dev.background.Backoff;
import dev.background.PermanentFailure;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The tracker's verdict as the {@code background-tasks} procedure of a real vertx-health-check
 * {@link HealthChecks}, and behind the application's own vertx-web {@link HealthCheckHandler}.
 */
@ExtendWith(VertxExtension.class)
class TasksHealthTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Backoff GIVE_UP_AT_ONCE = Backoff.fixed(Duration.ofMillis(1)).toBuilder()
      .maxAttempts(1).build();

  private Tasks tasks;
  private HealthChecks checks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
    checks = TasksHealth.register(HealthChecks.create(vertx), tasks);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  private TaskHandle gaveUp(String name, RunOption... extra) {
    RunOption[] options = new RunOption[extra.length + 1];
    options[0] = RunOption.exactName();
    System.arraycopy(extra, 0, options, 1, extra.length);
    TaskHandle h = tasks.run(name, ctx -> {
      throw new IllegalStateException("database unreachable");
    }, GIVE_UP_AT_ONCE, options);
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.GAVE_UP);
    return h;
  }

  private Status procedure() {
    CheckResult all = checks.checkStatus().await();
    assertThat(all.getChecks()).extracting(CheckResult::getId).contains(TasksHealth.PROCEDURE);
    return checks.checkStatus(TasksHealth.PROCEDURE).await().getStatus();
  }

  @Test
  void theProcedureIsUpWhileNoCriticalTaskEndedFailed() {
    tasks.onceAsync("warm-up", ctx -> io.vertx.core.Future.succeededFuture(),
        RunOption.exactName()).completion().await();

    Status status = procedure();

    assertThat(status.isOk()).isTrue();
    assertThat(status.getData().getString("status")).isEqualTo("UP");
    assertThat(status.getData().getInteger("tasks")).isEqualTo(1);
    assertThat(CheckResult.isUp(checks.checkStatus().await())).isTrue();
  }

  @Test
  void theProcedureIsDownWhenACriticalTaskGaveUp() {
    gaveUp("doomed");

    Status status = procedure();

    assertThat(status.isOk()).isFalse();
    assertThat(status.getData().getJsonArray("reasons").getString(0))
        .contains("doomed", "gave up", "database unreachable");
    assertThat(CheckResult.isUp(checks.checkStatus().await())).isFalse();
  }

  @Test
  void aTaskThatIsNotCriticalIsAWarningAndTheProcedureStaysUp() {
    gaveUp("optional", RunOption.critical(false));

    Status status = procedure();

    assertThat(status.isOk()).isTrue();
    assertThat(status.getData().getJsonArray("warnings").getString(0))
        .contains("optional", "not critical", "gave up");
  }

  @Test
  void aCriticalOnceTaskThatFailedMakesItDown() {
    tasks.once("must-run", ctx -> {
      throw new IllegalStateException("migration failed");
    }, RunOption.exactName(), RunOption.critical(true)).completion().await();

    assertThat(procedure().isOk()).isFalse();
  }

  @Test
  void aRunTaskThatFailedPermanentlyMakesItDown() {
    TaskHandle h = tasks.run("bad-config", ctx -> {
      throw new PermanentFailure(new IllegalArgumentException("no url"));
    }, Backoff.defaults(), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.FAILED);

    assertThat(procedure().isOk()).isFalse();
    assertThat(procedure().getData().getJsonArray("failed").getList()).containsExactly("bad-config");
  }

  @Test
  void theApplicationsHealthRouteAnswers503WithOurVerdict(Vertx vertx) {
    gaveUp("doomed");
    Router router = Router.router(vertx);
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(checks));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .await();
    WebClient client = WebClient.create(vertx);
    try {
      HttpResponse<Buffer> r = client.get(server.actualPort(), "127.0.0.1", "/health").send()
          .await();

      assertThat(r.statusCode()).isEqualTo(503);
      JsonObject body = r.bodyAsJsonObject();
      assertThat(body.getString("outcome")).isEqualTo("DOWN");
      JsonObject ours = body.getJsonArray("checks").getJsonObject(0);
      assertThat(ours.getString("id")).isEqualTo(TasksHealth.PROCEDURE);
      assertThat(ours.getString("status")).isEqualTo("DOWN");
      assertThat(ours.getJsonObject("data").getJsonArray("gaveUp").getList())
          .containsExactly("doomed");
    } finally {
      client.close();
      server.close().await();
    }
  }

  @Test
  void aNamedProcedureCanSitInAGroup() {
    TasksHealth.register(checks, tasks, "jobs/background");
    gaveUp("doomed");

    CheckResult jobs = checks.checkStatus("jobs").await();

    assertThat(CheckResult.isUp(jobs)).isFalse();
  }

  @Test
  void aBlankNameIsRefused() {
    assertThatThrownBy(() -> TasksHealth.register(checks, tasks, " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TasksHealth.register: name must not be blank, was \" \"");
  }
}
