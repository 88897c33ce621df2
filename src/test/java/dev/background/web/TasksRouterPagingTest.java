package dev.background.web;

import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
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
import java.util.ArrayList;
import java.util.List;

import static dev.background.web.WebFixtures.completedOnce;
import static dev.background.web.WebFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /tasks?limit=&after=} pages and {@code GET /tasks/summary}, over HTTP. */
@ExtendWith(VertxExtension.class)
class TasksRouterPagingTest {

  private Tasks tasks;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    server = WebFixtures.serve(vertx, TasksRouter.create(vertx, tasks, new TasksWebOptions()));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    tasks.close().await();
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(server.actualPort(), "127.0.0.1", path).send().await();
  }

  private static List<String> names(JsonObject page) {
    List<String> names = new ArrayList<>();
    page.getJsonArray("tasks").forEach(o -> names.add(((JsonObject) o).getString("name")));
    return names;
  }

  @Test
  void aLimitAnswersOnePageWithTheCursorOfTheNext() {
    running(tasks, "a");
    running(tasks, "b");
    completedOnce(tasks, "c");

    HttpResponse<Buffer> first = get("/tasks?limit=2");
    HttpResponse<Buffer> second = get("/tasks?limit=2&after=" + first.bodyAsJsonObject().getString("next"));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(names(first.bodyAsJsonObject())).containsExactly("a", "b");
    assertThat(first.bodyAsJsonObject().getString("next")).isEqualTo("b");
    assertThat(names(second.bodyAsJsonObject())).containsExactly("c");
    assertThat(second.bodyAsJsonObject().containsKey("next")).isTrue();
    assertThat(second.bodyAsJsonObject().getString("next")).isNull();
  }

  @Test
  void aCursorAloneAnswersTheRestAsOnePage() {
    running(tasks, "a");
    running(tasks, "b");

    JsonObject page = get("/tasks?after=a").bodyAsJsonObject();

    assertThat(names(page)).containsExactly("b");
    assertThat(page.getString("next")).isNull();
  }

  @Test
  void filtersApplyBeforeTheLimit() {
    running(tasks, "a");
    completedOnce(tasks, "b");
    running(tasks, "c");

    JsonObject page = get("/tasks?kind=run&limit=1&after=a").bodyAsJsonObject();

    assertThat(names(page)).containsExactly("c");
    assertThat(page.getString("next")).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "/tasks?limit=0            | limit: must be a whole number from 1 to 2147483647, was \"0\"",
      "/tasks?limit=-3           | limit: must be a whole number from 1 to 2147483647, was \"-3\"",
      "/tasks?limit=ten          | limit: must be a whole number from 1 to 2147483647, was \"ten\"",
      "/tasks?limit=2147483648   | limit: must be a whole number from 1 to 2147483647, was \"2147483648\"",
      "/tasks?limit=              | limit: must be a whole number from 1 to 2147483647, was \"\"",
      "/tasks?limit=1&limit=2    | limit: given 2 times; give it once",
      "/tasks?after=%20          | after: must not be blank, was \" \"",
      "/tasks?after=a&after=b    | after: given 2 times; give it once",
  })
  void aBadLimitOrCursorIs400NamingTheParameterAndTheValue(String path, String message) {
    HttpResponse<Buffer> r = get(path);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo(message);
  }

  @Test
  void aCursorLongerThanANameIs400() {
    HttpResponse<Buffer> r = get("/tasks?after=" + "x".repeat(513));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error"))
        .isEqualTo("after: too long, 513 characters (at most 512)");
  }

  @Test
  void summaryCountsTheTasksByStateAndKind() {
    running(tasks, "a");
    completedOnce(tasks, "b");

    HttpResponse<Buffer> r = get("/tasks/summary");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body).isEqualTo(tasks.summary().toJson());
    assertThat(body.getInteger("tasks")).isEqualTo(2);
    assertThat(body.getJsonObject("states").getInteger("RUNNING")).isEqualTo(1);
    assertThat(body.getJsonObject("states").getInteger("COMPLETED")).isEqualTo(1);
    assertThat(body.getJsonObject("kinds").getInteger("ONCE")).isEqualTo(1);
  }
}
