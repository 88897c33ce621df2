package dev.background.web;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.background.web.WebFixtures.WAIT;
import static dev.background.web.WebFixtures.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /metrics: the Prometheus scrape holds the documented metric names, with the values a known
 * sequence of runs must give. Each test builds its own Vert.x, since the one VertxExtension
 * injects has no metrics.
 */
class TasksMetricsScrapeTest {

  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");

  private Vertx vertx;
  private Tasks tasks;
  private WebClient client;
  private HttpServer server;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (tasks != null) {
      tasks.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private void start(Vertx vertx, TasksOptions options) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, options.setCloseTimeout(Duration.ofSeconds(5)));
    server = WebFixtures.serve(vertx, TasksRouter.create(vertx, tasks, new TasksWebOptions()));
    client = WebClient.create(vertx);
  }

  /**
   * A Vert.x built with vertx-micrometer-metrics and its Prometheus backend, on a registry of its
   * own ({@code BackendRegistries.getNow(registryName)}).
   */
  private static Vertx vertxWithPrometheus(String registryName) {
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setRegistryName(registryName)
        .setEnabled(true))).build();
  }

  private String scrape() {
    HttpResponse<Buffer> r = client.get(server.actualPort(), "127.0.0.1", "/metrics").send().await();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("text/plain");
    return r.bodyAsString();
  }

  /**
   * The value of the one sample of {@code name} whose labels include {@code labels}
   * ({@code "task=flaky"}, ...); fails when there is not exactly one.
   */
  private static double value(String scrape, String name, String... labels) {
    List<Double> found = scrape.lines().map(SAMPLE::matcher).filter(Matcher::matches)
        .filter(m -> m.group(1).equals(name))
        .filter(m -> Arrays.stream(labels).allMatch(l -> {
          String[] kv = l.split("=", 2);
          return m.group(3) != null && m.group(3).contains(kv[0] + "=\"" + kv[1] + "\"");
        }))
        .map(m -> Double.parseDouble(m.group(4)))
        .collect(Collectors.toList());
    assertThat(found).as("samples of %s%s", name, Arrays.toString(labels)).hasSize(1);
    return found.get(0);
  }

  @Test
  void scrapeHoldsTheDocumentedMetricsAfterAKnownSequence() {
    String registryName = "tasks-web-test-" + UUID.randomUUID();
    start(vertxWithPrometheus(registryName),
        new TasksOptions().setMeterRegistry(BackendRegistries.getNow(registryName)));
    assertThat(tasks.meterRegistry()).isInstanceOf(PrometheusMeterRegistry.class);

    // flaky: fails twice, then succeeds and completes (restartOnFailureOnly): 3 runs, 2 restarts.
    AtomicInteger attempts = new AtomicInteger();
    TaskHandle flaky = tasks.run("flaky", ctx -> {
      if (attempts.incrementAndGet() <= 2) {
        throw new IllegalStateException("not yet");
      }
    }, Backoff.fixed(Duration.ofMillis(1)), RunOption.exactName(), RunOption.restartOnFailureOnly());
    awaitState(flaky, TaskState.COMPLETED);
    // Two once tasks: one succeeds, one fails.
    awaitState(tasks.once("warmup", ctx -> { }, RunOption.exactName()), TaskState.COMPLETED);
    awaitState(tasks.onceAsync("broken", ctx -> Future.failedFuture("no cache"), RunOption.exactName()),
        TaskState.FAILED);
    // holder: running while the scrape happens.
    TaskHandle holder = WebFixtures.running(tasks, "holder");

    String s = scrape();

    assertThat(value(s, "background_tasks_running")).isEqualTo(1.0);
    assertThat(value(s, "once_tasks_running")).isEqualTo(0.0);
    assertThat(value(s, "background_tasks_total")).isEqualTo(4.0);
    assertThat(value(s, "background_task_restarts_total", "task=flaky")).isEqualTo(2.0);
    assertThat(value(s, "background_task_restarts_total", "task=holder")).isEqualTo(0.0);
    assertThat(value(s, "once_tasks_total")).isEqualTo(2.0);
    assertThat(value(s, "once_task_executed_total", "task=warmup")).isEqualTo(1.0);
    assertThat(value(s, "once_task_executed_total", "task=broken")).isEqualTo(1.0);
    assertThat(value(s, "once_task_errors_total", "task=warmup")).isEqualTo(0.0);
    assertThat(value(s, "once_task_errors_total", "task=broken")).isEqualTo(1.0);
    assertThat(value(s, "background_task_duration_seconds_count", "task=flaky", "kind=run",
        "outcome=failure")).isEqualTo(2.0);
    assertThat(value(s, "background_task_duration_seconds_count", "task=flaky", "kind=run",
        "outcome=success")).isEqualTo(1.0);
    assertThat(value(s, "background_task_duration_seconds_count", "task=broken", "kind=once",
        "outcome=failure")).isEqualTo(1.0);
    assertThat(value(s, "background_task_duration_seconds_sum", "task=flaky", "kind=run",
        "outcome=failure")).isGreaterThanOrEqualTo(0.0);
    // Vert.x's own metrics share the registry.
    assertThat(s).contains("vertx_http_server_");

    holder.cancel().await();
    await().atMost(WAIT).until(() -> value(scrape(), "background_tasks_running") == 0.0);
  }

  @Test
  void aPrometheusRegistryGivenInTheOptionsIsScrapedToo() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    start(Vertx.vertx(), new TasksOptions().setMeterRegistry(registry));
    awaitState(tasks.once("warmup", ctx -> { }, RunOption.exactName()), TaskState.COMPLETED);

    String s = scrape();

    assertThat(value(s, "once_tasks_total")).isEqualTo(1.0);
    assertThat(value(s, "once_task_executed_total", "task=warmup")).isEqualTo(1.0);
    assertThat(value(s, "background_tasks_running")).isEqualTo(0.0);
  }
}
