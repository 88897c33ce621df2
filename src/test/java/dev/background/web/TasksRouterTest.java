package dev.background.web;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.background.web.WebFixtures.WAIT;
import static dev.background.web.WebFixtures.awaitState;
import static dev.background.web.WebFixtures.backingOff;
import static dev.background.web.WebFixtures.completedOnce;
import static dev.background.web.WebFixtures.gaveUp;
import static dev.background.web.WebFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read-only routes of {@link TasksRouter}, their filters and their error codes, over HTTP. */
@ExtendWith(VertxExtension.class)
class TasksRouterTest {

  private Vertx vertx;
  private Tasks tasks;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    server = WebFixtures.serve(vertx, TasksRouter.create(vertx, tasks, new TasksWebOptions()));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    tasks.close().await();
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path) {
    return client.request(method, server.actualPort(), "127.0.0.1", path).send().await();
  }

  private HttpResponse<Buffer> get(String path) {
    return send(HttpMethod.GET, path);
  }

  private static List<String> names(HttpResponse<Buffer> response) {
    return response.bodyAsJsonArray().stream().map(o -> ((JsonObject) o).getString("name"))
        .collect(Collectors.toList());
  }

  /** Asserts the error shape {"status": N, "error": "..."} and returns the message. */
  private static String error(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("status", "error");
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("error")).isNotBlank();
    return body.getString("error");
  }

  private void threeTasks() {
    running(tasks, "b-runner");
    backingOff(tasks, "a-flaky", "flaky failed");
    completedOnce(tasks, "c-once");
  }

  // ---------------------------------------------------------------- GET /tasks

  @Test
  void listIsAJsonArrayOfStatusesSortedByName() {
    threeTasks();

    HttpResponse<Buffer> r = get("/tasks");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    assertThat(names(r)).containsExactly("a-flaky", "b-runner", "c-once");
    JsonArray array = r.bodyAsJsonArray();
    assertThat(array.getJsonObject(0).getString("state")).isEqualTo("BACKING_OFF");
    assertThat(array.getJsonObject(1).getString("state")).isEqualTo("RUNNING");
    assertThat(array.getJsonObject(2).getString("kind")).isEqualTo("ONCE");
    assertThat(array.getJsonObject(2).getString("state")).isEqualTo("COMPLETED");
    for (int i = 0; i < array.size(); i++) {
      assertThat(array.getJsonObject(i).getJsonArray("history")).isNotNull();
    }
  }

  @Test
  void listOfNoTasksIsAnEmptyArray() {
    HttpResponse<Buffer> r = get("/tasks");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonArray()).isEmpty();
  }

  @ParameterizedTest(name = "{0} gives {1}")
  @CsvSource(delimiter = '|', value = {
      "/tasks?state=RUNNING                  | b-runner",
      "/tasks?state=running                  | b-runner",
      "/tasks?state=BACKING_OFF,COMPLETED    | a-flaky c-once",
      "/tasks?state=RUNNING&state=COMPLETED  | b-runner c-once",
      "/tasks?state=GAVE_UP                  | ''",
      "/tasks?kind=ONCE                      | c-once",
      "/tasks?kind=RUN                       | a-flaky b-runner",
      "/tasks?kind=RUN&state=BACKING_OFF     | a-flaky",
      "/tasks?kind=ONCE&state=RUNNING        | ''",
  })
  void listFilters(String path, String expected) {
    threeTasks();

    HttpResponse<Buffer> r = get(path);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(String.join(" ", names(r))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/tasks?state=SLEEPING           | state | SLEEPING",
      "/tasks?state=RUNNING,SLEEPING   | state | SLEEPING",
      "/tasks?state=                   | state | ''",
      "/tasks?kind=DAILY               | kind  | DAILY",
      "/tasks?kind=RUN&state=NOPE      | state | NOPE",
  })
  void listRejectsAnUnknownFilterValueNamingIt(String path, String param, String value) {
    String message = error(get(path), 400);
    assertThat(message).startsWith(param + ":").contains("\"" + value + "\"").contains("expected one of");
  }

  // ---------------------------------------------------------------- GET /tasks/:name

  @Test
  void oneTaskByFullName() {
    backingOff(tasks, "a-flaky", "flaky failed");

    HttpResponse<Buffer> r = get("/tasks/a-flaky");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject s = r.bodyAsJsonObject();
    assertThat(s.getString("name")).isEqualTo("a-flaky");
    assertThat(s.getString("state")).isEqualTo("BACKING_OFF");
    assertThat(s.getLong("failures")).isEqualTo(1);
    assertThat(s.getJsonObject("lastError").getString("message")).isEqualTo("flaky failed");
    assertThat(s.getString("nextRunAt")).isNotNull();
    assertThat(s.getLong("currentDelayMs")).isEqualTo(Duration.ofMinutes(10).toMillis());
  }

  @Test
  void oneTaskByShortName() {
    TaskHandle h = tasks.run("poller", WebFixtures.UNTIL_CANCELLED, WebFixtures.LONG);
    assertThat(h.name()).endsWith(".poller").isNotEqualTo("poller");

    HttpResponse<Buffer> r = get("/tasks/poller");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("name")).isEqualTo(h.name());
  }

  @Test
  void oneTaskWithAnEncodedName() {
    running(tasks, "billing poller #1");

    HttpResponse<Buffer> r = get("/tasks/billing%20poller%20%231");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("name")).isEqualTo("billing poller #1");
  }

  @Test
  void unknownTaskIs404() {
    assertThat(error(get("/tasks/nobody"), 404)).contains("nobody");
  }

  @Test
  void nameLongerThan512CharactersIs400() {
    assertThat(error(get("/tasks/" + "x".repeat(513)), 400)).startsWith("name:").contains("512");
    error(get("/tasks/" + "x".repeat(512)), 404);
  }

  @Test
  void historyKeepsTheOutcomeOfEachRun() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("twice-failing", ctx -> {
      if (runs.incrementAndGet() <= 2) {
        throw new IllegalStateException("failure " + runs.get());
      }
    }, Backoff.fixed(Duration.ofMillis(1)), RunOption.exactName(), RunOption.restartOnFailureOnly());
    awaitState(h, TaskState.COMPLETED);

    JsonArray history = get("/tasks/twice-failing").bodyAsJsonObject().getJsonArray("history");

    assertThat(history).hasSize(3);
    assertThat(history.getJsonObject(0).getString("outcome")).isEqualTo("failure");
    assertThat(history.getJsonObject(0).getJsonObject("error").getString("message")).isEqualTo("failure 1");
    assertThat(history.getJsonObject(1).getJsonObject("error").getString("message")).isEqualTo("failure 2");
    assertThat(history.getJsonObject(2).getString("outcome")).isEqualTo("success");
    assertThat(history.getJsonObject(2).getJsonObject("error")).isNull();
    for (int i = 0; i < 3; i++) {
      JsonObject run = history.getJsonObject(i);
      assertThat(run.getString("startedAt")).isNotNull();
      assertThat(run.getLong("durationMs")).isNotNegative();
    }
  }

  // ---------------------------------------------------------------- GET /health

  @Test
  void healthIsUpWhileNoTaskGaveUp() {
    running(tasks, "b-runner");
    backingOff(tasks, "a-flaky", "flaky failed");

    HttpResponse<Buffer> r = get("/health");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getInteger("tasks")).isEqualTo(2);
    assertThat(body.getJsonObject("states").getInteger("RUNNING")).isEqualTo(1);
    assertThat(body.getJsonObject("states").getInteger("BACKING_OFF")).isEqualTo(1);
    assertThat(body.getJsonArray("reasons")).isEmpty();
  }

  @Test
  void healthIsDownWhenATaskGaveUp() {
    running(tasks, "b-runner");
    gaveUp(tasks, "doomed", "database unreachable");

    HttpResponse<Buffer> r = get("/health");

    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("DOWN");
    assertThat(body.getJsonArray("gaveUp")).containsExactly("doomed");
    assertThat(body.getJsonArray("reasons")).hasSize(1);
    assertThat(body.getJsonArray("reasons").getString(0)).contains("doomed", "gave up", "database unreachable");
  }

  @Test
  void healthIsDownWhenTheTrackerIsClosed() {
    running(tasks, "b-runner");
    tasks.close().await();

    HttpResponse<Buffer> r = get("/health");

    assertThat(r.statusCode()).isEqualTo(503);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("DOWN");
    assertThat(body.getBoolean("closed")).isTrue();
    assertThat(body.getJsonArray("reasons").getString(0)).contains("closed");
  }

  // ---------------------------------------------------------------- GET /metrics

  @Test
  void metricsAre404WhenTheTrackerHasNoRegistry() {
    assertThat(tasks.meterRegistry()).isNull();
    assertThat(error(get("/metrics"), 404)).contains("metrics are off");
  }

  @Test
  void metricsAre404WhenTheRegistryIsNotPrometheus() {
    Tasks simple = Tasks.create(vertx, new TasksOptions().setMeterRegistry(new SimpleMeterRegistry()));
    HttpServer other = WebFixtures.serve(vertx, TasksRouter.create(vertx, simple, new TasksWebOptions()));
    try {
      HttpResponse<Buffer> r = client.get(other.actualPort(), "127.0.0.1", "/metrics").send().await();
      assertThat(error(r, 404)).contains("not a Prometheus registry");
    } finally {
      simple.close().await();
    }
  }

  // ---------------------------------------------------------------- GET /

  @Test
  void dashboardIsOneSelfContainedPage() {
    HttpResponse<Buffer> r = get("/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("text/html");
    assertThat(r.getHeader("Content-Security-Policy")).contains("default-src 'none'");
    String page = r.bodyAsString();
    assertThat(page).contains("<title>Background tasks</title>");
    // Offline: nothing is loaded from elsewhere; its one script is ./dashboard.js, from the router.
    assertThat(page).doesNotContain("http://", "https://", "<link");
    assertThat(Pattern.compile("src=\"([^\"]*)\"").matcher(page).results().map(m -> m.group(1)))
        .containsExactly("dashboard.js");
    // The list is fetched relative to the page (any mount point works), a page at a time.
    assertThat(get("/dashboard.js").bodyAsString()).contains("'tasks?limit=' + PAGE_SIZE");
  }

  /** The directives of a Content-Security-Policy, by name. */
  private static Map<String, List<String>> directives(String csp) {
    return Arrays.stream(csp.split(";")).map(String::trim).filter(d -> !d.isEmpty())
        .map(d -> d.split("\\s+"))
        .collect(Collectors.toMap(d -> d[0], d -> List.of(d).subList(1, d.length)));
  }

  @Test
  void theDashboardsPolicyAllowsOnlyItsOwnScriptFile() {
    Map<String, List<String>> csp = directives(get("/").getHeader("Content-Security-Policy"));

    assertThat(csp.get("script-src")).containsExactly("'self'");
    assertThat(csp.get("default-src")).containsExactly("'none'");
    assertThat(csp.get("connect-src")).containsExactly("'self'");
    assertThat(csp.get("img-src")).containsExactly("data:");
    assertThat(csp.values()).allSatisfy(sources -> assertThat(sources)
        .doesNotContain("'unsafe-eval'", "*", "http:", "https:"));
    assertThat(csp.keySet()).contains("base-uri", "form-action", "frame-ancestors", "object-src");
  }

  @Test
  void theDashboardPageHasNoInlineScript() {
    String page = get("/").bodyAsString();

    // Every <script> has a src and no content; no event-handler attribute, no javascript: URL.
    assertThat(Pattern.compile("<script(?![^>]*\\ssrc=)", Pattern.CASE_INSENSITIVE).matcher(page).find())
        .isFalse();
    assertThat(page).doesNotContainPattern("<script[^>]*>[^<]+</script>")
        .doesNotContainPattern("(?i)\\son[a-z]+\\s*=").doesNotContainIgnoringCase("javascript:");
  }

  @Test
  void theDashboardScriptIsServedAsJavaScriptThatMustBeRevalidated() {
    HttpResponse<Buffer> r = get("/dashboard.js");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(r.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-cache");
    assertThat(r.getHeader("ETag")).matches("\"[0-9a-f]{16,}\"");
    assertThat(r.bodyAsString()).contains("'use strict'");
  }

  @Test
  void theDashboardAndItsScriptAnswer304ToTheirETag() {
    for (String path : List.of("/", "/dashboard.js")) {
      String etag = get(path).getHeader("ETag");

      HttpResponse<Buffer> again = client.get(server.actualPort(), "127.0.0.1", path)
          .putHeader("If-None-Match", etag).send().await();

      assertThat(again.statusCode()).as(path).isEqualTo(304);
      assertThat(again.getHeader("ETag")).isEqualTo(etag);
      assertThat(again.body()).isNull();
      HttpResponse<Buffer> other = client.get(server.actualPort(), "127.0.0.1", path)
          .putHeader("If-None-Match", "\"other\"").send().await();
      assertThat(other.statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void theDashboardScriptIsReadOnly() {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/dashboard.js");

    assertThat(error(r, 405)).contains("POST");
    assertThat(r.getHeader("Allow")).isEqualTo("GET, HEAD");
  }

  // ---------------------------------------------------------------- errors

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "POST, /tasks",
      "DELETE, /tasks/a-flaky",
      "PUT, /health",
      "POST, /metrics",
      "PATCH, /",
  })
  void otherMethodOnAKnownPathIs405(HttpMethod method, String path) {
    HttpResponse<Buffer> r = send(method, path);
    assertThat(error(r, 405)).contains(method.name());
    assertThat(r.getHeader("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void headIsAnsweredLikeGetWithoutABody() {
    gaveUp(tasks, "doomed", "boom");

    HttpResponse<Buffer> r = send(HttpMethod.HEAD, "/health");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.getHeader("Content-Type")).startsWith("application/json");
    assertThat(r.body()).isNull();
  }

  @Test
  void unknownPathIs404() {
    assertThat(error(get("/nothing/here"), 404)).contains("/nothing/here");
  }

  @Test
  void controlRoutesDoNotExistWithoutAToken() {
    TaskHandle h = running(tasks, "b-runner");

    HttpResponse<Buffer> r = client.post(server.actualPort(), "127.0.0.1", "/tasks/b-runner/cancel")
        .bearerTokenAuthentication("anything").send().await();

    error(r, 404);
    assertThat(h.status().state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void requestBodyOverTheCapIs413() {
    Buffer big = Buffer.buffer("x".repeat((int) TasksRouter.MAX_BODY_BYTES + 1));
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.POST)) {
      HttpResponse<Buffer> r = client.request(method, server.actualPort(), "127.0.0.1", "/tasks")
          .sendBuffer(big).await();
      assertThat(error(r, 413)).contains(String.valueOf(TasksRouter.MAX_BODY_BYTES));
    }
  }

  @Test
  void aSmallBodyIsAccepted() {
    HttpResponse<Buffer> r = client.get(server.actualPort(), "127.0.0.1", "/health")
        .sendBuffer(Buffer.buffer("{}")).await();
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void statesReflectChangesBetweenRequests() {
    TaskHandle h = running(tasks, "b-runner");
    assertThat(get("/tasks/b-runner").bodyAsJsonObject().getString("state")).isEqualTo("RUNNING");

    h.cancel().await();

    await().atMost(WAIT).until(() ->
        get("/tasks/b-runner").bodyAsJsonObject().getString("state").equals("CANCELLED"));
  }
}
