package examples;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The README's "Add it to your application" works as written. */
class AddToApplicationTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TOKEN = "s3cret-token";

  private Vertx vertx;
  private WebClient web;
  private int port;
  private final List<String> alerts = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startTheApplication() {
    vertx = AddToApplication.vertxWithMetrics();
    AddToApplication.alertOnFailures(vertx, alerts::add).completion().await();
    AddToApplication.deployTasks(vertx).await();
    HttpServer server = AddToApplication.serve(vertx, 0, TOKEN).await();
    port = server.actualPort();
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stopTheApplication() {
    web.close();
    vertx.close().await();
  }

  private HttpResponse<Buffer> get(String path) {
    return web.get(port, "127.0.0.1", path).send().await();
  }

  @Test
  void metricsAreServedUnderTheMountPoint() {
    String metrics = await().atMost(WAIT).until(() -> get("/ops/metrics"),
        r -> r.statusCode() == 200 && r.bodyAsString().contains("vertx_http_server"))
        .bodyAsString();

    assertThat(metrics).contains("background_tasks_running", "background_tasks_total");
  }

  @Test
  void healthIsServedUnderTheMountPoint() {
    HttpResponse<Buffer> health = get("/ops/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("UP");
  }

  @Test
  void controlAnswersWithTheTokenOnly() {
    HttpResponse<Buffer> without = web.post(port, "127.0.0.1", "/ops/tasks/heartbeat/pause")
        .send().await();
    HttpResponse<Buffer> with = web.post(port, "127.0.0.1", "/ops/tasks/heartbeat/pause")
        .bearerTokenAuthentication(TOKEN).send().await();

    assertThat(without.statusCode()).isEqualTo(401);
    assertThat(with.statusCode()).isEqualTo(200);
    JsonObject status = with.bodyAsJsonObject();
    assertThat(status.getBoolean("paused")).isTrue();
  }

  @Test
  void failedRunsReachTheAlert() {
    await().atMost(WAIT).until(() -> !alerts.isEmpty());

    assertThat(alerts.get(0))
        .startsWith("inventory-poller failed (attempt 1): upstream returned 503");
  }

  @Test
  void theApplicationsOwnRoutesStillAnswer() {
    HttpResponse<Buffer> hello = get("/hello");

    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.bodyAsString()).isEqualTo("hello");
  }

  @Test
  void theDashboardIsUnderTheMountPoint() {
    HttpResponse<Buffer> page = get("/ops/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).containsIgnoringCase("<html");
  }
}
