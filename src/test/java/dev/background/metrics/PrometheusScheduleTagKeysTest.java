package dev.background.metrics;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Schedule;
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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The tag-key rule holds for schedules too: untagged and tagged schedules, next to untagged and
 * tagged run and once tasks, all have their series on a real {@link PrometheusMeterRegistry}.
 * Needs the schedule engine ({@code Tasks.schedule}), which lands separately: until then this
 * test fails with {@code UnsupportedOperationException}.
 */
@ExtendWith(VertxExtension.class)
class PrometheusScheduleTagKeysTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private PrometheusMeterRegistry registry;
  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    tasks = Tasks.create(vertx, new TasksOptions().setMeterRegistry(registry)
        .setMetricTagKeys("team"));
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
    registry.close();
  }

  @Test
  void taggedAndUntaggedSchedulesRunAndOnceTasksAllHaveTheirSeries() {
    // Untagged first: the order in which a tagged meter used to be refused.
    tasks.schedule("sched-plain", Schedule.every(Duration.ofMillis(20)), ctx -> {
    }, RunOption.exactName());
    tasks.schedule("sched-team", Schedule.every(Duration.ofMillis(20)), ctx -> {
    }, RunOption.exactName(), RunOption.tags("team", "billing"));
    tasks.runAsync("run-plain", ctx -> Future.failedFuture("again"),
        Backoff.fixed(Duration.ofMillis(5)), RunOption.exactName());
    tasks.runAsync("run-team", ctx -> Future.failedFuture("again"),
        Backoff.fixed(Duration.ofMillis(5)), RunOption.exactName(), RunOption.tags("team", "ops"));
    tasks.onceAsync("once-plain", ctx -> Future.succeededFuture(), RunOption.exactName())
        .completion().await();
    tasks.onceAsync("once-team", ctx -> Future.succeededFuture(), RunOption.exactName(),
        RunOption.tags("team", "ops")).completion().await();

    await().atMost(WAIT).untilAsserted(() -> {
      PrometheusScrape scrape = PrometheusScrape.of(registry);
      for (String schedule : List.of("sched-plain", "sched-team")) {
        assertThat(scrape.value("background_schedule_fires_total", "task=" + schedule,
            "outcome=success")).isGreaterThanOrEqualTo(2);
        assertThat(scrape.value("background_task_duration_seconds_count", "task=" + schedule,
            "kind=schedule", "outcome=success")).isGreaterThanOrEqualTo(2);
        assertThat(scrape.value("background_schedule_missed_total", "task=" + schedule))
            .isGreaterThanOrEqualTo(0);
        assertThat(scrape.value("background_schedule_skipped_total", "task=" + schedule))
            .isGreaterThanOrEqualTo(0);
      }
      for (String run : List.of("run-plain", "run-team")) {
        assertThat(scrape.value("background_task_restarts_total", "task=" + run))
            .isGreaterThanOrEqualTo(2);
      }
      for (String once : List.of("once-plain", "once-team")) {
        assertThat(scrape.value("once_task_executed_total", "task=" + once)).isEqualTo(1);
      }
      assertThat(scrape.value("background_schedule_fires_total", "task=sched-team",
          "outcome=success", "team=billing")).isGreaterThanOrEqualTo(2);
    });
  }
}
