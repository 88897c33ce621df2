package dev.background.impl;

import dev.background.TaskKind;
import dev.background.TasksOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The meters the schedule engine records on, and {@link TaskMetrics.Meters#remove()}, on a real
 * Prometheus registry (the engine reaches them through {@link Stats#meters()}).
 */
@ExtendWith(VertxExtension.class)
class TaskMetricsTest {

  private PrometheusMeterRegistry registry;
  private TaskMetrics metrics;

  @BeforeEach
  void setUp(Vertx vertx) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics = TaskMetrics.create(vertx, new TasksOptions().setMeterRegistry(registry)
        .setMetricTagKeys("team"));
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  private String scrape() {
    return registry.scrape();
  }

  @Test
  void aScheduleRecordsItsFiresMissedSkippedAndLateness() {
    TaskMetrics.Meters s = metrics.meters("nightly", TaskKind.SCHEDULE, Map.of("team", "ops"));

    s.scheduleFired("success");
    s.scheduleFired("success");
    s.scheduleFired("failure");
    s.scheduleMissed(3);
    s.scheduleSkipped();
    s.scheduleLateness(5_000_000);

    assertThat(scrape()).contains(
        "background_schedule_fires_total{outcome=\"success\",task=\"nightly\",team=\"ops\"} 2.0",
        "background_schedule_fires_total{outcome=\"failure\",task=\"nightly\",team=\"ops\"} 1.0",
        "background_schedule_missed_total{task=\"nightly\",team=\"ops\"} 3.0",
        "background_schedule_skipped_total{task=\"nightly\",team=\"ops\"} 1.0",
        "background_schedule_lateness_seconds_count{task=\"nightly\",team=\"ops\"} 1",
        "# HELP background_schedule_fires_total ",
        "# HELP background_schedule_lateness_seconds ");
  }

  @Test
  void aScheduleHasItsCountersAtZeroFromItsSubmission() {
    metrics.meters("nightly", TaskKind.SCHEDULE, Map.of());

    assertThat(scrape()).contains(
        "background_schedule_fires_total{outcome=\"success\",task=\"nightly\",team=\"\"} 0.0",
        "background_schedule_fires_total{outcome=\"failure\",task=\"nightly\",team=\"\"} 0.0",
        "background_schedule_missed_total{task=\"nightly\",team=\"\"} 0.0",
        "background_schedule_skipped_total{task=\"nightly\",team=\"\"} 0.0");
  }

  @Test
  void scheduleMetersAreNotMadeForOtherKinds() {
    TaskMetrics.Meters run = metrics.meters("loop", TaskKind.RUN, Map.of());
    TaskMetrics.Meters once = metrics.meters("job", TaskKind.ONCE, Map.of());

    for (TaskMetrics.Meters m : new TaskMetrics.Meters[] {run, once, TaskMetrics.Meters.NONE}) {
      m.scheduleFired("success");
      m.scheduleMissed(1);
      m.scheduleSkipped();
      m.scheduleLateness(1);
    }

    assertThat(scrape()).doesNotContain("background_schedule_");
  }

  @Test
  void anUnknownFireOutcomeIsRefused() {
    TaskMetrics.Meters s = metrics.meters("nightly", TaskKind.SCHEDULE, Map.of());

    assertThatThrownBy(() -> s.scheduleFired("ok")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"success\" or \"failure\", was \"ok\"");
  }

  @Test
  void schedulesCountAsRunTasksInTheRunningGaugeAndTotal() {
    metrics.started(TaskKind.SCHEDULE, false);

    assertThat(scrape()).contains("background_tasks_running 1.0", "background_tasks_total 1.0",
        "once_tasks_running 0.0");
    metrics.ended(TaskKind.SCHEDULE, false);
    assertThat(scrape()).contains("background_tasks_running 0.0");
  }

  @Test
  void removeTakesEveryMeterOfTheNameOffTheRegistryForGood() {
    TaskMetrics.Meters s = metrics.meters("nightly", TaskKind.SCHEDULE, Map.of());
    TaskMetrics.Meters other = metrics.meters("loop", TaskKind.RUN, Map.of());
    s.ended(1_000_000, false);
    s.ended(1_000_000, true);
    s.scheduleLateness(1);
    other.restarted();
    other.ended(1_000_000, false);

    s.remove();
    s.ended(1_000_000, false);
    s.scheduleFired("success");
    s.scheduleLateness(1);

    assertThat(scrape()).doesNotContain("task=\"nightly\"")
        .contains("background_task_restarts_total{task=\"loop\",team=\"\"} 1.0",
            "background_task_duration_seconds_count{kind=\"run\",outcome=\"success\",task=\"loop\",team=\"\"} 1");
    assertThat(registry.getMeters()).noneMatch(m -> "nightly".equals(m.getId().getTag("task")));
  }

  @Test
  void aRemovedNameSubmittedAgainStartsFromZero() {
    TaskMetrics.Meters first = metrics.meters("loop", TaskKind.RUN, Map.of());
    first.restarted();
    first.remove();

    metrics.meters("loop", TaskKind.RUN, Map.of()).restarted();

    assertThat(scrape()).contains("background_task_restarts_total{task=\"loop\",team=\"\"} 1.0");
  }
}
