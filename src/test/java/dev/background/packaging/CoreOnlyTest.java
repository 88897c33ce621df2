package dev.background.packaging;

import dev.background.ConfigException;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TestTasks;
import dev.background.eventbus.TasksClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The core path of an application that depends on vertx-background and vertx-core only: the
 * optional artifacts (vertx-web, vertx-hazelcast, Hazelcast, the Prometheus registry) are really
 * absent here. Runs in the Surefire execution {@code core-only}, which removes them from the class
 * path; skipped anywhere else.
 */
@ExtendWith(VertxExtension.class)
@EnabledIfSystemProperty(named = "dev.background.classpath", matches = "core-only")
class CoreOnlyTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String VERTICLE = "dev.background.verticle.TasksVerticle";

  @ParameterizedTest
  @ValueSource(strings = {
      "io.vertx.ext.web.Router",
      "io.vertx.ext.web.common.WebEnvironment",
      "io.vertx.spi.cluster.hazelcast.HazelcastClusterManager",
      "com.hazelcast.core.HazelcastInstance",
      "io.micrometer.prometheusmetrics.PrometheusMeterRegistry",
      "io.prometheus.metrics.model.registry.PrometheusRegistry"})
  void theOptionalArtifactsAreAbsent(String className) {
    assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void tasksRunsATask(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    TaskHandle h = tasks.onceAsync("core", ctx -> Future.succeededFuture(), RunOption.exactName());
    h.completion().await();
    assertThat(h.status().state()).isEqualTo(TaskState.COMPLETED);
    tasks.close().await();
  }

  @Test
  void theVerticleRunsDeclaredTasksUnderEventBusControl(Vertx vertx) {
    vertx.deployVerticle(VERTICLE, new DeploymentOptions().setConfig(config())).await();
    TasksClient client = TasksClient.create(vertx);
    await().atMost(WAIT).until(() -> state(client, "waits") == TaskState.RUNNING);

    assertThat(client.pause("waits").await().paused()).isTrue();
    assertThat(client.resume("waits").await().paused()).isFalse();
  }

  @Test
  void switchedOffHttpAndClusterSectionsNeedNoOptionalArtifact(Vertx vertx) {
    JsonObject config = config()
        .put("http", new JsonObject().put("enabled", false))
        .put("cluster", new JsonObject().put("enabled", false));
    vertx.deployVerticle(VERTICLE, new DeploymentOptions().setConfig(config)).await();
    await().atMost(WAIT).until(() -> state(TasksClient.create(vertx), "waits") == TaskState.RUNNING);
  }

  @Test
  void httpIsRefusedNamingVertxWeb(Vertx vertx) {
    JsonObject config = config().put("http", new JsonObject().put("enabled", true).put("port", 0));
    Throwable e = catchThrowable(() ->
        vertx.deployVerticle(VERTICLE, new DeploymentOptions().setConfig(config)).await());
    assertThat(e).isInstanceOf(ConfigException.class)
        .hasMessage("http: needs io.vertx:vertx-web on the classpath");
    assertThat(Tasks.of(vertx).list()).isEmpty();
  }

  @Test
  void clusterIsRefusedNamingVertxHazelcast(Vertx vertx) {
    JsonObject config = config().put("cluster", new JsonObject().put("enabled", true));
    Throwable e = catchThrowable(() ->
        vertx.deployVerticle(VERTICLE, new DeploymentOptions().setConfig(config)).await());
    assertThat(e).isInstanceOf(ConfigException.class)
        .hasMessage("cluster: needs io.vertx:vertx-hazelcast on the classpath");
    assertThat(Tasks.of(vertx).list()).isEmpty();
  }

  /** One declared task, {@code waits}, that runs until cancelled. */
  private static JsonObject config() {
    return new JsonObject().put("closeTimeout", "2s").put("tasks", new JsonArray()
        .add(new JsonObject().put("name", "waits").put("class", TestTasks.name(TestTasks.Waits.class))));
  }

  private static TaskState state(TasksClient client, String name) {
    List<TaskStatus> all = client.list().await();
    return all.stream().filter(s -> s.name().equals(name)).map(TaskStatus::state).findFirst()
        .orElse(null);
  }
}
