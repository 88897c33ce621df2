package dev.background.web;

import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static dev.background.web.WebFixtures.WAIT;
import static dev.background.web.WebFixtures.awaitState;
import static dev.background.web.WebFixtures.backingOff;
import static dev.background.web.WebFixtures.completedOnce;
import static dev.background.web.WebFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Control over HTTP: the bearer-token rules and each action with its outcomes. */
@ExtendWith(VertxExtension.class)
class TasksRouterControlTest {

  private static final String TOKEN = "k2V9-very.secret_token~42";

  private Vertx vertx;
  private Tasks tasks;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    // A short cancel wait, so that the 202 case does not take five seconds.
    server = WebFixtures.serve(vertx, new TasksRoutes(vertx, tasks,
        new TasksWebOptions().setControlToken(TOKEN), 300).router());
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    tasks.close().await();
  }

  private HttpRequest<Buffer> post(String path) {
    return client.post(server.actualPort(), "127.0.0.1", path);
  }

  private HttpResponse<Buffer> control(String name, String action) {
    return post("/tasks/" + name + "/" + action).bearerTokenAuthentication(TOKEN).send().await();
  }

  private static String error(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getInteger("status")).isEqualTo(status);
    return body.getString("error");
  }

  // ---------------------------------------------------------------- token rules

  @Test
  void withoutAuthorizationIs401WithABearerChallenge() {
    TaskHandle h = running(tasks, "worker");

    HttpResponse<Buffer> r = post("/tasks/worker/cancel").send().await();

    assertThat(error(r, 401)).contains("Bearer");
    assertThat(r.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(h.status().state()).isEqualTo(TaskState.RUNNING);
  }

  @ParameterizedTest(name = "Authorization: {0}")
  @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token " + TOKEN, TOKEN, "Bearer" + TOKEN})
  void anythingButABearerTokenIs401(String authorization) {
    TaskHandle h = running(tasks, "worker");

    HttpResponse<Buffer> r = post("/tasks/worker/pause").putHeader("Authorization", authorization)
        .send().await();

    error(r, 401);
    assertThat(h.status().paused()).isFalse();
  }

  @ParameterizedTest(name = "Bearer {0}")
  @ValueSource(strings = {"wrong", TOKEN + "x", "k2V9", "K2V9-VERY.SECRET_TOKEN~42"})
  void aWrongTokenIs403(String token) {
    TaskHandle h = running(tasks, "worker");

    HttpResponse<Buffer> r = post("/tasks/worker/cancel").bearerTokenAuthentication(token).send().await();

    assertThat(error(r, 403)).doesNotContain(TOKEN);
    assertThat(h.status().state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void theSchemeIsCaseInsensitive() {
    running(tasks, "worker");

    HttpResponse<Buffer> r = post("/tasks/worker/pause").putHeader("Authorization", "bearer " + TOKEN)
        .send().await();

    assertThat(r.statusCode()).isEqualTo(200);
  }

  @ParameterizedTest(name = "Authorization: {0} and {1}")
  @CsvSource({
      "Bearer " + TOKEN + ", Bearer " + TOKEN,
      "Bearer " + TOKEN + ", Bearer wrong",
      "Bearer wrong, Bearer " + TOKEN,
      "Basic dXNlcjpwYXNz, Bearer " + TOKEN,
  })
  void twoAuthorizationHeadersAre400WhateverTheyHold(String first, String second) {
    TaskHandle h = running(tasks, "worker");

    HttpRequest<Buffer> request = post("/tasks/worker/cancel");
    request.headers().add("Authorization", first).add("Authorization", second);
    HttpResponse<Buffer> r = request.send().await();

    assertThat(error(r, 400)).isEqualTo("more than one Authorization header; send exactly one:"
        + " Authorization: Bearer <token>");
    assertThat(r.getHeader("WWW-Authenticate")).isNull();
    assertThat(h.status().state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void twoAuthorizationHeadersAreRefusedBeforeTheTaskIsLookedUp() {
    HttpRequest<Buffer> request = post("/tasks/nobody/pause");
    request.headers().add("Authorization", "Bearer " + TOKEN).add("Authorization", "Bearer " + TOKEN);

    assertThat(error(request.send().await(), 400)).startsWith("more than one Authorization header");
  }

  @Test
  void theTokenIsCheckedBeforeTheTaskIsLookedUp() {
    error(post("/tasks/nobody/cancel").send().await(), 401);
    error(post("/tasks/nobody/cancel").bearerTokenAuthentication("wrong").send().await(), 403);
    error(post("/tasks/" + "x".repeat(600) + "/cancel").send().await(), 401);
  }

  // ---------------------------------------------------------------- actions

  @Test
  void cancelStopsTheTaskAndAnswersItsStatus() {
    TaskHandle h = running(tasks, "worker");

    HttpResponse<Buffer> r = control("worker", "cancel");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("name")).isEqualTo("worker");
    assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("CANCELLED");
    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void cancelAnswers202WhenTheRunDoesNotEndInTime() {
    CountDownLatch release = new CountDownLatch(1);
    TaskHandle h = tasks.run("stubborn", ctx -> release.await(), WebFixtures.LONG, RunOption.exactName());
    awaitState(h, TaskState.RUNNING);
    try {
      HttpResponse<Buffer> r = control("stubborn", "cancel");

      assertThat(r.statusCode()).isEqualTo(202);
      assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("RUNNING");
    } finally {
      release.countDown();
    }
    awaitState(h, TaskState.CANCELLED);
  }

  @Test
  void cancelOfAFinishedTaskIsAnswered200() {
    TaskHandle h = running(tasks, "worker");
    h.cancel().await();

    HttpResponse<Buffer> r = control("worker", "cancel");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void restartSkipsThePendingBackoff() {
    TaskHandle h = backingOff(tasks, "flaky", "boom");
    assertThat(h.status().runs()).isEqualTo(1);

    HttpResponse<Buffer> r = control("flaky", "restart");

    assertThat(r.statusCode()).isEqualTo(200);
    await().atMost(WAIT).until(() -> h.status().runs() == 2 && h.status().state() == TaskState.BACKING_OFF);
    assertThat(h.status().restarts()).isEqualTo(1);
  }

  @Test
  void pauseThenResume() {
    TaskHandle h = backingOff(tasks, "flaky", "boom");

    HttpResponse<Buffer> paused = control("flaky", "pause");

    assertThat(paused.statusCode()).isEqualTo(200);
    assertThat(paused.bodyAsJsonObject().getString("state")).isEqualTo("PAUSED");
    assertThat(paused.bodyAsJsonObject().getBoolean("paused")).isTrue();

    HttpResponse<Buffer> resumed = control("flaky", "resume");

    assertThat(resumed.statusCode()).isEqualTo(200);
    assertThat(resumed.bodyAsJsonObject().getString("state")).isEqualTo("BACKING_OFF");
    assertThat(resumed.bodyAsJsonObject().getBoolean("paused")).isFalse();
    assertThat(h.status().paused()).isFalse();
  }

  @Test
  void controlByShortName() {
    TaskHandle h = tasks.run("short", WebFixtures.UNTIL_CANCELLED, WebFixtures.LONG);
    awaitState(h, TaskState.RUNNING);

    HttpResponse<Buffer> r = control("short", "pause");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("name")).isEqualTo(h.name());
    assertThat(h.status().paused()).isTrue();
  }

  @Test
  void restartOfARunningTaskIs409() {
    running(tasks, "worker");
    assertThat(error(control("worker", "restart"), 409)).contains("worker");
  }

  @Test
  void pauseOfAOnceTaskIs409() {
    completedOnce(tasks, "warm-up");
    assertThat(error(control("warm-up", "pause"), 409)).contains("once");
  }

  @Test
  void resumeOfACancelledTaskIs409() {
    TaskHandle h = running(tasks, "worker");
    h.cancel().await();
    assertThat(error(control("worker", "resume"), 409)).contains("CANCELLED");
  }

  @Test
  void controlOfAnUnknownTaskIs404() {
    assertThat(error(control("nobody", "cancel"), 404)).contains("nobody");
  }

  @Test
  void controlOnAClosedTrackerIs409() {
    running(tasks, "worker");
    tasks.close().await();

    for (String action : List.of("restart", "pause", "resume")) {
      assertThat(error(control("worker", action), 409)).isEqualTo("the tracker is closed; " + action
          + " is refused");
    }
  }

  @Test
  void cancelOnAClosedTrackerIs200WithTheFinalStatus() {
    running(tasks, "worker");
    tasks.close().await();

    HttpResponse<Buffer> r = control("worker", "cancel");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void cancelOfAnEndedTaskIs200WithItsFinalStatusAndChangesNothing() {
    TaskHandle once = completedOnce(tasks, "warm-up");
    TaskHandle doomed = WebFixtures.gaveUp(tasks, "doomed", "boom");

    for (TaskHandle h : List.of(once, doomed)) {
      JsonObject before = h.status().toJson();

      HttpResponse<Buffer> r = control(h.name(), "cancel");

      assertThat(r.statusCode()).as(h.name()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject()).as(h.name()).isEqualTo(before);
      assertThat(h.status().toJson()).as(h.name()).isEqualTo(before);
    }
  }

  @Test
  void controlOfABlankNameIs400() {
    assertThat(error(control("%20", "pause"), 400)).isEqualTo("name: must not be blank, was \" \"");
  }

  @Test
  void controlOfANameLongerThan512CharactersIs400() {
    assertThat(error(control("x".repeat(513), "pause"), 400)).startsWith("name:");
  }

  @Test
  void otherMethodOnAControlPathIs405() {
    running(tasks, "worker");

    HttpResponse<Buffer> r = client.get(server.actualPort(), "127.0.0.1", "/tasks/worker/cancel")
        .bearerTokenAuthentication(TOKEN).send().await();

    error(r, 405);
    assertThat(r.getHeader("Allow")).isEqualTo("POST");
  }

  @Test
  void unknownActionIs404() {
    running(tasks, "worker");
    error(control("worker", "explode"), 404);
  }
}
