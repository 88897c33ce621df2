package dev.background.web;

import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
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

import static dev.background.web.WebFixtures.GIVE_UP_AT_ONCE;
import static dev.background.web.WebFixtures.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /health: only critical tasks that ended failed make it DOWN; the others are warnings. */
@ExtendWith(VertxExtension.class)
class HealthRouteCriticalTest {

  private Tasks tasks;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
    server = WebFixtures.serve(vertx, TasksRouter.create(vertx, tasks, new TasksWebOptions()));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    tasks.close().await();
  }

  private HttpResponse<Buffer> health() {
    return client.get(server.actualPort(), "127.0.0.1", "/health").send().await();
  }

  @Test
  void aTaskThatIsNotCriticalAndGaveUpIsAWarningAndHealthStaysUp() {
    TaskHandle h = tasks.run("optional", ctx -> {
      throw new IllegalStateException("cache host down");
    }, GIVE_UP_AT_ONCE, RunOption.exactName(), RunOption.critical(false));
    awaitState(h, TaskState.GAVE_UP);

    HttpResponse<Buffer> r = health();

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("UP");
    assertThat(body.getJsonArray("reasons")).isEmpty();
    assertThat(body.getJsonArray("gaveUp").getList()).containsExactly("optional");
    assertThat(body.getJsonArray("warnings").getString(0))
        .contains("optional", "not critical", "gave up", "cache host down");
  }

  @Test
  void aOnceTaskThatFailedIsAWarningByDefault() {
    tasks.once("report", ctx -> {
      throw new IllegalStateException("no data");
    }, RunOption.exactName()).completion().await();

    HttpResponse<Buffer> r = health();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getJsonArray("failed").getList()).containsExactly("report");
    assertThat(r.bodyAsJsonObject().getJsonArray("warnings")).hasSize(1);
  }

  @Test
  void aCriticalOnceTaskThatFailedMakesHealthDown() {
    tasks.once("migration", ctx -> {
      throw new IllegalStateException("schema locked");
    }, RunOption.exactName(), RunOption.critical(true)).completion().await();

    HttpResponse<Buffer> r = health();

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.bodyAsJsonObject().getJsonArray("reasons").getString(0))
        .contains("migration", "failed", "schema locked");
  }
}
