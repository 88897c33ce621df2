package dev.background.packaging;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TestTasks;
import dev.background.web.TasksRouter;
import dev.background.web.TasksWebOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The library as the named module {@code dev.background}, its dependencies as modules: what the
 * module descriptor must get right (resources, reflection) works. Runs in the Surefire execution
 * {@code module-path} (the tests are patched into the module); skipped anywhere else.
 */
@ExtendWith(VertxExtension.class)
@EnabledIfSystemProperty(named = "dev.background.classpath", matches = "module-path")
class ModulePathTest {

  @Test
  void theLibraryRunsAsTheModuleDevBackground() {
    assertThat(Tasks.class.getModule().getName()).isEqualTo("dev.background");
  }

  @Test
  void theDashboardIsReadFromTheModule(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    HttpServer server = vertx.createHttpServer()
        .requestHandler(TasksRouter.create(vertx, tasks, new TasksWebOptions()))
        .listen(0, "127.0.0.1").await();
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> r = client.get(server.actualPort(), "127.0.0.1", "/").send().await();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("text/html");
    client.close();
    tasks.close().await();
  }

  @Test
  void theTaskListIsWrittenAsJsonBytesFromTheModule(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    tasks.runAsync("listed", ctx -> ctx.onCancel(), Backoff.defaults(), RunOption.exactName());
    HttpServer server = vertx.createHttpServer()
        .requestHandler(TasksRouter.create(vertx, tasks, new TasksWebOptions()))
        .listen(0, "127.0.0.1").await();
    WebClient client = WebClient.create(vertx);
    HttpResponse<Buffer> r = client.get(server.actualPort(), "127.0.0.1", "/tasks").send().await();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonArray(r.body()).getJsonObject(0).getString("name")).isEqualTo("listed");
    client.close();
    tasks.close().await();
  }

  @Test
  void theVerticleDeploysByClassNameAndStartsADeclaredTask(Vertx vertx) {
    JsonObject config = new JsonObject().put("tasks", new JsonArray().add(new JsonObject()
        .put("name", "waits").put("class", TestTasks.name(TestTasks.Waits.class))));
    vertx.deployVerticle("dev.background.verticle.TasksVerticle",
        new DeploymentOptions().setConfig(config)).await();
    await().atMost(Duration.ofSeconds(10)).until(() -> Tasks.of(vertx).status("waits")
        .map(s -> s.state() == TaskState.RUNNING).orElse(false));
  }
}
