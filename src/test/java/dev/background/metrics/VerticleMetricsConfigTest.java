package dev.background.metrics;

import dev.background.ConfigException;
import dev.background.Tasks;
import dev.background.TestTasks;
import dev.background.verticle.TasksVerticle;
import dev.background.verticle.TasksVerticleOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The verticle's {@code metrics} section ({@code histogram}, {@code tagKeys}) reaches the meters
 * of a verticle deployed by name, on the registry of a Vert.x built with vertx-micrometer-metrics.
 */
@ExtendWith(VertxExtension.class)
class VerticleMetricsConfigTest {

  private static JsonObject task(String name, JsonObject options) {
    return new JsonObject().put("name", name).put("class", TestTasks.name(TestTasks.Ends.class))
        .put("backoff", new JsonObject().put("initialInterval", "5ms").put("maxInterval", "5ms"))
        .put("options", options);
  }

  @Test
  void aVerticleDeployedByNameTakesTheMetricsSection() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
    try {
      JsonObject config = new JsonObject()
          .put("metrics", new JsonObject().put("histogram", true).put("tagKeys",
              new JsonArray().add("team")))
          .put("tasks", new JsonArray()
              .add(task("plain", new JsonObject()))
              .add(task("tagged", new JsonObject().put("tags", new JsonObject().put("team", "ops")))));

      vertx.deployVerticle(TasksVerticle.class.getName(), new DeploymentOptions().setConfig(config))
          .await();

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        PrometheusScrape scrape = PrometheusScrape.of(registry);
        assertThat(scrape.value("background_task_restarts_total", "task=plain", "team="))
            .isPositive();
        assertThat(scrape.value("background_task_restarts_total", "task=tagged", "team=ops"))
            .isPositive();
        assertThat(scrape.find("background_task_duration_seconds_bucket", "task=tagged"))
            .isNotEmpty();
      });
    } finally {
      vertx.close().await();
      registry.close();
    }
  }

  @Test
  void aBadValueIsReportedAtItsKeyPath() {
    ConfigException e = (ConfigException) catchThrowable(() -> new TasksVerticleOptions(
        new JsonObject().put("metrics", new JsonObject().put("histogram", "yes"))));

    assertThat(e.getMessage()).isEqualTo("metrics.histogram: must be true or false, was \"yes\"");
  }

  @Test
  void aVerticleGivenATrackerRefusesTheMetricsSection(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    try {
      Throwable refused = catchThrowable(() -> vertx.deployVerticle(new TasksVerticle(tasks),
          new DeploymentOptions().setConfig(new JsonObject().put("metrics",
              new JsonObject().put("histogram", true)))).await());

      assertThat(refused).isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("metrics: applies when the verticle makes its own tracker");
    } finally {
      tasks.close().await();
    }
  }
}
