package dev.background.metrics;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus requires every meter of one name to carry the same tag keys and refuses the others:
 * whatever the mix of tagged and untagged tasks, and of kinds, every task's series is in the
 * scrape. On a real {@link PrometheusMeterRegistry}.
 */
@ExtendWith(VertxExtension.class)
class PrometheusTagKeysTest {

  private PrometheusMeterRegistry registry;
  private final List<Tasks> trackers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @AfterEach
  void tearDown() {
    trackers.forEach(t -> t.close().await());
    registry.close();
  }

  private Tasks tracker(Vertx vertx, TasksOptions options) {
    Tasks t = Tasks.create(vertx, options.setMeterRegistry(registry));
    trackers.add(t);
    return t;
  }

  /** A run task that fails twice, then completes: 2 restarts, 2 failed and 1 successful runs. */
  private static TaskHandle flakyRun(Tasks tasks, String name, RunOption... extra) {
    AtomicInteger runs = new AtomicInteger();
    List<RunOption> options = new ArrayList<>(List.of(RunOption.exactName(),
        RunOption.restartOnFailureOnly()));
    options.addAll(List.of(extra));
    return tasks.run(name, ctx -> {
      if (runs.incrementAndGet() <= 2) {
        throw new IllegalStateException("not yet");
      }
    }, Backoff.fixed(Duration.ofMillis(1)), options.toArray(RunOption[]::new));
  }

  /** Two executions of a once name: one succeeds, one fails. */
  private static void onceTwice(Tasks tasks, String name, RunOption... extra) {
    List<RunOption> options = new ArrayList<>(List.of(RunOption.exactName()));
    options.addAll(List.of(extra));
    RunOption[] o = options.toArray(RunOption[]::new);
    tasks.onceAsync(name, ctx -> Future.succeededFuture(), o).completion().await();
    tasks.onceAsync(name, ctx -> Future.failedFuture("boom"), o).completion().await();
  }

  private static void assertRunSeries(PrometheusScrape scrape, String task) {
    assertThat(scrape.value("background_task_restarts_total", "task=" + task)).isEqualTo(2);
    assertThat(scrape.value("background_task_duration_seconds_count", "task=" + task,
        "kind=run", "outcome=failure")).isEqualTo(2);
    assertThat(scrape.value("background_task_duration_seconds_count", "task=" + task,
        "kind=run", "outcome=success")).isEqualTo(1);
  }

  private static void assertOnceSeries(PrometheusScrape scrape, String task) {
    assertThat(scrape.value("once_task_executed_total", "task=" + task)).isEqualTo(2);
    assertThat(scrape.value("once_task_errors_total", "task=" + task)).isEqualTo(1);
    assertThat(scrape.value("background_task_duration_seconds_count", "task=" + task,
        "kind=once", "outcome=failure")).isEqualTo(1);
    assertThat(scrape.value("background_task_duration_seconds_count", "task=" + task,
        "kind=once", "outcome=success")).isEqualTo(1);
  }

  @Test
  void taggedAndUntaggedRunAndOnceTasksAllHaveTheirSeriesWithTheDeclaredKeys(Vertx vertx) {
    Tasks tasks = tracker(vertx, new TasksOptions().setMetricTagKeys("team", "tier"));

    // Untagged first: the order that dropped the tagged series before.
    flakyRun(tasks, "run-plain").completion().await();
    flakyRun(tasks, "run-team", RunOption.tags("team", "billing")).completion().await();
    flakyRun(tasks, "run-both", RunOption.tags("tier", "gold", "team", "ops")).completion().await();
    onceTwice(tasks, "once-plain");
    onceTwice(tasks, "once-team", RunOption.tags("team", "billing"));

    PrometheusScrape scrape = PrometheusScrape.of(registry);
    for (String run : List.of("run-plain", "run-team", "run-both")) {
      assertRunSeries(scrape, run);
    }
    assertOnceSeries(scrape, "once-plain");
    assertOnceSeries(scrape, "once-team");
    assertThat(scrape.value("background_task_restarts_total", "task=run-team", "team=billing",
        "tier=")).isEqualTo(2);
    assertThat(scrape.value("background_task_restarts_total", "task=run-both", "team=ops",
        "tier=gold")).isEqualTo(2);
    assertThat(scrape.value("once_task_executed_total", "task=once-team", "team=billing"))
        .isEqualTo(2);
  }

  @Test
  void everySampleOfOneNameCarriesTheSameLabelKeys(Vertx vertx) {
    Tasks tasks = tracker(vertx, new TasksOptions().setMetricTagKeys("team"));
    flakyRun(tasks, "run-plain").completion().await();
    flakyRun(tasks, "run-team", RunOption.tags("team", "billing")).completion().await();
    onceTwice(tasks, "once-plain");
    onceTwice(tasks, "once-team", RunOption.tags("team", "billing"));

    PrometheusScrape scrape = PrometheusScrape.of(registry);
    for (String name : List.of("background_task_restarts_total", "once_task_executed_total",
        "once_task_errors_total", "background_task_duration_seconds_count")) {
      List<PrometheusScrape.Sample> samples = scrape.find(name);
      assertThat(samples).as(name).hasSizeGreaterThanOrEqualTo(2);
      assertThat(samples).as(name).extracting(s -> s.labels().keySet())
          .containsOnly(samples.get(0).labels().keySet());
      assertThat(samples.get(0).labels()).as(name).containsKeys("task", "team");
    }
  }

  @Test
  void withoutDeclaredKeysTaggedAndUntaggedTasksAllHaveTheirSeries(Vertx vertx) {
    Tasks tasks = tracker(vertx, new TasksOptions());

    flakyRun(tasks, "run-plain").completion().await();
    flakyRun(tasks, "run-team", RunOption.tags("team", "billing")).completion().await();
    onceTwice(tasks, "once-team", RunOption.tags("team", "billing"));
    onceTwice(tasks, "once-plain");

    PrometheusScrape scrape = PrometheusScrape.of(registry);
    assertRunSeries(scrape, "run-plain");
    assertRunSeries(scrape, "run-team");
    assertOnceSeries(scrape, "once-plain");
    assertOnceSeries(scrape, "once-team");
    assertThat(scrape.find("background_task_restarts_total", "task=run-team").get(0).labels())
        .containsOnlyKeys("task");
    // The tag stays in the task's status.
    assertThat(tasks.status("run-team").orElseThrow().tags()).containsEntry("team", "billing");
  }

  @Test
  void aSecondTrackerOnTheRegistryUsesTheFirstOnesKeys(Vertx vertx) {
    Tasks first = tracker(vertx, new TasksOptions().setMetricTagKeys("team"));
    Tasks second = tracker(vertx, new TasksOptions());
    Tasks third = tracker(vertx, new TasksOptions().setMetricTagKeys("region"));

    flakyRun(first, "first-team", RunOption.tags("team", "a")).completion().await();
    flakyRun(second, "second-plain").completion().await();
    flakyRun(second, "second-team", RunOption.tags("team", "b")).completion().await();
    flakyRun(third, "third-region", RunOption.tags("region", "eu")).completion().await();

    PrometheusScrape scrape = PrometheusScrape.of(registry);
    for (String task : List.of("first-team", "second-plain", "second-team", "third-region")) {
      assertRunSeries(scrape, task);
    }
    assertThat(scrape.value("background_task_restarts_total", "task=second-team", "team=b"))
        .isEqualTo(2);
    assertThat(scrape.find("background_task_restarts_total", "task=third-region").get(0).labels())
        .containsOnlyKeys("task", "team");
  }
}
