package dev.background.web;

import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.TestTasks;
import dev.background.control.TaskStarter;
import dev.background.verticle.TasksVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.NoSuchElementException;
import java.util.Set;

import static dev.background.web.WebFixtures.WAIT;
import static dev.background.web.WebFixtures.awaitState;
import static dev.background.web.WebFixtures.gaveUp;
import static dev.background.web.WebFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The routes the dashboard acts through: {@code POST /tasks/:name/start} and {@code /trigger}
 * (guarded like the other control routes), {@code GET /tasks/:name/detail} (its stack trace only
 * for a request allowed to control), {@code GET /control}, and the {@code kind} filter for
 * schedules. The schedule cases need the schedule engine.
 */
@ExtendWith(VertxExtension.class)
class StartTriggerDetailRoutesTest {

  private static final String TOKEN = "z8-Wq.control~token";
  /** The names the test's starter knows: it starts each as a task that runs until cancelled. */
  private static final Set<String> DECLARED = Set.of("ledger-sync", "worker");

  private Vertx vertx;
  private Tasks tasks;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    TaskStarter starter = new TaskStarter() {
      @Override
      public TaskHandle start(String name) {
        if (!DECLARED.contains(name)) {
          throw new NoSuchElementException("no task named \"" + name + "\"");
        }
        if (tasks.status(name).map(s -> !s.state().isTerminal()).orElse(false)) {
          throw new IllegalStateException(name + ": is running");
        }
        return tasks.run(name, WebFixtures.UNTIL_CANCELLED, WebFixtures.LONG, RunOption.exactName());
      }

      @Override
      public boolean isDeclared(String name) {
        return DECLARED.contains(name);
      }
    };
    server = WebFixtures.serve(vertx, TasksRouter.create(vertx, tasks,
        new TasksWebOptions().setControlToken(TOKEN), starter));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    tasks.close().await();
  }

  private HttpResponse<Buffer> post(String path, String token) {
    var request = client.post(server.actualPort(), "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.send().await();
  }

  private HttpResponse<Buffer> get(String path, String token) {
    var request = client.get(server.actualPort(), "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.send().await();
  }

  private static String error(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    return response.bodyAsJsonObject().getString("error");
  }

  private TaskHandle dailyFromTomorrow(String name) {
    return tasks.schedule(name, Schedule.every(Duration.ofDays(1))
        .startingAt(Instant.now().plus(Duration.ofDays(1))), ctx -> { }, RunOption.exactName());
  }

  // ---------------------------------------------------------------- POST /tasks/:name/start

  @Test
  void startRevivesATaskThatGaveUp() {
    gaveUp(tasks, "ledger-sync", "ledger database unreachable");

    HttpResponse<Buffer> r = post("/tasks/ledger-sync/start", TOKEN);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("name")).isEqualTo("ledger-sync");
    awaitState(tasks.handle("ledger-sync").orElseThrow(), TaskState.RUNNING);
  }

  @Test
  void startOfARunningTaskIs409() {
    running(tasks, "worker");

    assertThat(error(post("/tasks/worker/start", TOKEN), 409)).contains("worker");
  }

  @Test
  void startOfATaskTheStarterDoesNotKnowIs404() {
    assertThat(error(post("/tasks/nope/start", TOKEN), 404)).isEqualTo("no task named \"nope\"");
  }

  @Test
  void startNeedsTheToken() {
    gaveUp(tasks, "ledger-sync", "down");

    error(post("/tasks/ledger-sync/start", null), 401);
    error(post("/tasks/ledger-sync/start", "wrong"), 403);

    assertThat(tasks.status("ledger-sync").orElseThrow().state()).isEqualTo(TaskState.GAVE_UP);
  }

  @Test
  void startThroughTheVerticleRevivesADeclaredTask(Vertx vertx) {
    Tasks own = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    TasksVerticle verticle = new TasksVerticle(own);
    JsonObject config = new JsonObject().put("address", "start.test")
        .put("http", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", 0)
            .put("controlToken", TOKEN))
        .put("tasks", new JsonArray().add(new JsonObject().put("name", "manual")
            .put("class", TestTasks.Waits.class.getName()).put("autoStart", false)));
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
    try {
      HttpResponse<Buffer> r = client.post(verticle.httpPort(), "127.0.0.1", "/tasks/manual/start")
          .bearerTokenAuthentication(TOKEN).send().await();

      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      awaitState(own.handle("manual").orElseThrow(), TaskState.RUNNING);
    } finally {
      own.close().await();
    }
  }

  // ---------------------------------------------------------------- POST /tasks/:name/trigger

  @Test
  void triggerOfARunTaskIs409() {
    TaskHandle h = running(tasks, "worker");

    error(post("/tasks/worker/trigger", TOKEN), 409);

    assertThat(h.status().runs()).isEqualTo(1);
  }

  @Test
  void triggerOfAnUnknownTaskIs404() {
    assertThat(error(post("/tasks/nope/trigger", TOKEN), 404)).isEqualTo("no task named \"nope\"");
  }

  @Test
  void triggerNeedsTheToken() {
    running(tasks, "worker");

    error(post("/tasks/worker/trigger", null), 401);
    error(post("/tasks/worker/trigger", "wrong"), 403);
  }

  @Test
  void triggerIsAPost() {
    running(tasks, "worker");

    HttpResponse<Buffer> r = get("/tasks/worker/trigger", TOKEN);

    assertThat(error(r, 405)).contains("POST");
    assertThat(r.getHeader("Allow")).isEqualTo("POST");
  }

  @Test
  void triggerFiresASchedule() {
    TaskHandle h = dailyFromTomorrow("nightly");

    HttpResponse<Buffer> r = post("/tasks/nightly/trigger", TOKEN);

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("kind")).isEqualTo("SCHEDULE");
    await().atMost(WAIT).until(() -> h.status().fires() == 1);
  }

  // ---------------------------------------------------------------- GET /tasks?kind=

  @Test
  void kindScheduleListsOnlySchedules() {
    running(tasks, "worker");
    dailyFromTomorrow("nightly");

    HttpResponse<Buffer> schedules = get("/tasks?kind=schedule", null);
    HttpResponse<Buffer> runs = get("/tasks?kind=run", null);

    assertThat(schedules.bodyAsJsonArray()).extracting(o -> ((JsonObject) o).getString("name"))
        .containsExactly("nightly");
    assertThat(schedules.bodyAsJsonArray().getJsonObject(0).getJsonObject("schedule")
        .getString("description")).isNotBlank();
    assertThat(runs.bodyAsJsonArray()).extracting(o -> ((JsonObject) o).getString("name"))
        .containsExactly("worker");
  }

  @Test
  void anUnknownKindIs400NamingTheParameterAndTheValue() {
    String message = error(get("/tasks?kind=cron", null), 400);

    assertThat(message).startsWith("kind:").contains("\"cron\"").contains("SCHEDULE");
  }

  // ---------------------------------------------------------------- GET /tasks/:name/detail

  private TaskHandle failing(String name) {
    TaskHandle h = tasks.run(name, ctx -> {
      throw new IllegalStateException("upstream answered 503");
    }, WebFixtures.LONG, RunOption.exactName(), RunOption.runTimeout(Duration.ofSeconds(30)));
    return awaitState(h, TaskState.BACKING_OFF);
  }

  @Test
  void detailShowsTheStackTraceToARequestAllowedToControl() {
    failing("poller");

    JsonObject detail = get("/tasks/poller/detail", TOKEN).bodyAsJsonObject();

    assertThat(detail.getString("stackTrace"))
        .startsWith("java.lang.IllegalStateException: upstream answered 503");
    assertThat(detail.getBoolean("stackTraceHidden")).isFalse();
    assertThat(detail.getJsonObject("backoff")).isEqualTo(WebFixtures.LONG.toJson());
    assertThat(detail.getJsonObject("options").getString("runTimeout")).isEqualTo("30s");
  }

  @Test
  void detailHidesTheStackTraceFromOthers() {
    failing("poller");

    for (String token : new String[] {null, "wrong"}) {
      HttpResponse<Buffer> r = get("/tasks/poller/detail", token);

      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject detail = r.bodyAsJsonObject();
      assertThat(detail.getValue("stackTrace")).isNull();
      assertThat(detail.getBoolean("stackTraceHidden")).isTrue();
      assertThat(detail.getJsonObject("lastError").getString("message")).isEqualTo("upstream answered 503");
      assertThat(r.bodyAsString()).doesNotContain("\tat ");
    }
  }

  @Test
  void detailOfAnUnknownTaskIs404() {
    error(get("/tasks/nope/detail", TOKEN), 404);
  }

  @Test
  void theListAndTheStatusNeverCarryAStackTrace() {
    failing("poller");

    assertThat(get("/tasks", TOKEN).bodyAsString()).doesNotContain("stackTrace").doesNotContain("\tat ");
    assertThat(get("/tasks/poller", TOKEN).bodyAsString()).doesNotContain("stackTrace");
  }

  // ---------------------------------------------------------------- GET /control

  @Test
  void controlTellsTheModeAndWhetherThisRequestMayControl() {
    assertThat(get("/control", TOKEN).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("mode", "token").put("allowed", true));
    JsonObject none = get("/control", null).bodyAsJsonObject();
    assertThat(none.getBoolean("allowed")).isFalse();
    assertThat(none.getInteger("code")).isEqualTo(401);
    JsonObject wrong = get("/control", "wrong").bodyAsJsonObject();
    assertThat(wrong.getInteger("code")).isEqualTo(403);
    assertThat(wrong.getString("error")).isEqualTo("the bearer token is not the control token");
  }

  @Test
  void controlSaysNoneWhenControlIsOff(Vertx vertx) {
    HttpServer plain = WebFixtures.serve(vertx, TasksRouter.create(vertx, tasks, new TasksWebOptions()));

    JsonObject body = client.get(plain.actualPort(), "127.0.0.1", "/control").send().await()
        .bodyAsJsonObject();

    assertThat(body.getString("mode")).isEqualTo("none");
    assertThat(body.getBoolean("allowed")).isFalse();
    assertThat(client.post(plain.actualPort(), "127.0.0.1", "/tasks/x/start").send().await()
        .statusCode()).isEqualTo(404);
  }
}
