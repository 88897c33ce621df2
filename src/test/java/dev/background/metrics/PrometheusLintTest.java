package dev.background.metrics;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scrape of the tracker's meters is clean: every family has a description ({@code # HELP}),
 * and {@code promtool check metrics} finds nothing to say. The duration timer publishes
 * histogram buckets when asked.
 */
@ExtendWith(VertxExtension.class)
class PrometheusLintTest {

  private PrometheusMeterRegistry registry;
  private Tasks tasks;

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @AfterEach
  void tearDown() {
    if (tasks != null) {
      tasks.close().await();
    }
    registry.close();
  }

  /** A run task that restarts once, and a once name that succeeds and fails: every meter exists. */
  private void everyMeter(Vertx vertx, TasksOptions options) {
    tasks = Tasks.create(vertx, options.setMeterRegistry(registry).setMetricTagKeys("team"));
    AtomicInteger runs = new AtomicInteger();
    tasks.run("flaky", ctx -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("first");
      }
    }, Backoff.fixed(Duration.ofMillis(1)), RunOption.exactName(), RunOption.restartOnFailureOnly(),
        RunOption.tags("team", "billing")).completion().await();
    tasks.onceAsync("job", ctx -> Future.succeededFuture(), RunOption.exactName()).completion().await();
    tasks.onceAsync("job", ctx -> Future.failedFuture("x"), RunOption.exactName()).completion().await();
  }

  @Test
  void everyFamilyHasAHelpText(Vertx vertx) {
    everyMeter(vertx, new TasksOptions());

    PrometheusScrape scrape = PrometheusScrape.of(registry);

    assertThat(scrape.types).containsKeys("background_tasks_running", "once_tasks_running",
        "background_tasks_total", "once_tasks_total", "background_task_restarts_total",
        "once_task_executed_total", "once_task_errors_total", "background_task_duration_seconds");
    for (Map.Entry<String, String> type : scrape.types.entrySet()) {
      assertThat(scrape.help).as("# HELP of %s", type.getKey()).containsKey(type.getKey());
      assertThat(scrape.help.get(type.getKey())).as("# HELP of %s", type.getKey()).isNotBlank();
    }
  }

  @Test
  void promtoolFindsNothingToSay(Vertx vertx) throws Exception {
    File promtool = new File("/usr/bin/promtool");
    assumeTrue(promtool.canExecute(), "promtool is not installed (Debian: apt-get install "
        + "prometheus); the pure-Java check everyFamilyHasAHelpText still runs");
    everyMeter(vertx, new TasksOptions().setHistogram(true));

    Path out = Files.createTempFile("promtool", ".txt");
    try {
      Process p = new ProcessBuilder(promtool.getPath(), "check", "metrics")
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(registry.scrape().getBytes(StandardCharsets.UTF_8));
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool ended").isTrue();
      String said = Files.readString(out);
      assertThat(said).as("promtool check metrics").isBlank();
      assertThat(p.exitValue()).as("promtool exit code; it said: %s", said).isZero();
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @Test
  void theDurationTimerPublishesBucketsWhenTheHistogramIsOn(Vertx vertx) {
    everyMeter(vertx, new TasksOptions().setHistogram(true));

    PrometheusScrape scrape = PrometheusScrape.of(registry);

    assertThat(scrape.types).containsEntry("background_task_duration_seconds", "histogram");
    assertThat(scrape.find("background_task_duration_seconds_bucket", "task=flaky",
        "outcome=failure")).hasSizeGreaterThan(10);
    assertThat(scrape.value("background_task_duration_seconds_bucket", "task=flaky",
        "outcome=failure", "le=+Inf")).isEqualTo(1);
  }

  @Test
  void theDurationTimerHasNoBucketsByDefault(Vertx vertx) {
    everyMeter(vertx, new TasksOptions());

    PrometheusScrape scrape = PrometheusScrape.of(registry);

    assertThat(scrape.find("background_task_duration_seconds_bucket")).isEmpty();
    assertThat(scrape.value("background_task_duration_seconds_count", "task=flaky",
        "outcome=failure")).isEqualTo(1);
  }
}
