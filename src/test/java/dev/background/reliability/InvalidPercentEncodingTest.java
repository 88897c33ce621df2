package dev.background.reliability;

import dev.background.Tasks;
import dev.background.web.TasksHttpServer;
import dev.background.web.TasksRouter;
import dev.background.web.TasksWebOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A path or query with an invalid percent-encoding ({@code /tasks/%zz}, {@code ?state=%}) makes
 * vertx-web's decoding throw while it matches routes; vertx-web then answers a plain-text 400 and
 * logs "Unhandled exception in router" at ERROR with a stack trace, once per request, so any
 * client could flood the logs. The router answers such a target with its JSON 400 before any
 * route is matched, and nothing is logged at ERROR. Found by HttpFuzzTest.
 */
@ExtendWith(VertxExtension.class)
class InvalidPercentEncodingTest {

  @ParameterizedTest
  @ValueSource(strings = {"/tasks/%zz", "/%", "/tasks/%G1/cancel", "/%2f..%2f%", "/ops/%zz", "/ops/tasks/%4",
      "/tasks/waits?state=%", "/ops/tasks/waits?x=%zz", "/tasks?state=%G"})
  void aTargetWithAnInvalidPercentEncodingIsA400AndLogsNoError(String path, Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    TasksWebOptions options = new TasksWebOptions().setControlToken("token");
    HttpServer plain = vertx.createHttpServer().requestHandler(TasksRouter.create(vertx, tasks, options))
        .listen(0, "127.0.0.1").await();
    HttpServer mounted = TasksHttpServer.start(vertx, tasks, new TasksWebOptions(options).setRoot("/ops")).await();
    HttpClient client = vertx.createHttpClient();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      for (HttpServer server : new HttpServer[] {plain, mounted}) {
        for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.POST}) {
          JsonObject[] body = new JsonObject[1];
          int status = client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1")
              .setPort(server.actualPort()).setURI(path))
              .compose(req -> req.send().compose(resp -> resp.body().map(b -> {
                body[0] = new JsonObject(b);
                return resp.statusCode();
              }))).await();

          assertThat(status).as("%s %s", method, path).isEqualTo(400);
          assertThat(body[0].getInteger("status")).isEqualTo(400);
          assertThat(body[0].getString("error")).startsWith(path.contains("?") ? "query: " : "path: ");
        }
      }
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("ERROR").doesNotContain("Exception");
    tasks.close().await();
  }
}
