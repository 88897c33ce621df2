package dev.background.packaging;

import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.web.TasksRouter;
import dev.background.web.TasksWebOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTP without the optional Prometheus registry (io.micrometer:micrometer-registry-prometheus),
 * which is really absent here: the router serves everything but {@code /metrics}, which answers
 * 404 naming the artifact. Runs in the Surefire execution {@code web-without-prometheus}; skipped
 * anywhere else.
 */
@ExtendWith(VertxExtension.class)
@EnabledIfSystemProperty(named = "dev.background.classpath", matches = "web-without-prometheus")
class WebWithoutPrometheusTest {

  private Tasks tasks;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setMeterRegistry(new SimpleMeterRegistry()));
    server = vertx.createHttpServer()
        .requestHandler(TasksRouter.create(vertx, tasks, new TasksWebOptions()))
        .listen(0, "127.0.0.1").await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    tasks.close().await();
  }

  @Test
  void thePrometheusRegistryIsAbsent() {
    assertThatThrownBy(() -> Class.forName("io.micrometer.prometheusmetrics.PrometheusMeterRegistry"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void metricsAnswers404NamingTheMissingArtifact() {
    HttpResponse<Buffer> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getString("error"))
        .isEqualTo("metrics are not exposed: io.micrometer:micrometer-registry-prometheus is not "
            + "on the classpath");
  }

  @Test
  void theOtherRoutesAreServed() {
    assertThat(get("/tasks").statusCode()).isEqualTo(200);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(get("/").statusCode()).isEqualTo(200);
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(server.actualPort(), "127.0.0.1", path).send().await();
  }
}
