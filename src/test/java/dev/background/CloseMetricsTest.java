package dev.background;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs that end because the tracker closes are counted, and timed only in a duration timer that
 * the task already has: close registers no new timer.
 */
@ExtendWith(VertxExtension.class)
class CloseMetricsTest {

  @Test
  void aRunEndedByCloseIsCountedButRegistersNoDurationTimer(Vertx vertx) {
    MeterRegistry registry = new SimpleMeterRegistry();
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setMeterRegistry(registry));
    TaskHandle h = tasks.onceAsync("idle", TaskContext::onCancel, RunOption.exactName());
    await().until(() -> h.status().state() == TaskState.RUNNING);

    tasks.close().await();

    assertThat(registry.get("once.task.executed").tag("task", "idle").counter().count()).isEqualTo(1);
    assertThat(registry.find("background.task.duration").tag("task", "idle").timers()).isEmpty();
    assertThat(h.status().successes()).isEqualTo(1);
  }

  @Test
  void aRunEndedByCloseIsTimedInTheTimerItsTaskAlreadyHas(Vertx vertx) {
    MeterRegistry registry = new SimpleMeterRegistry();
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setMeterRegistry(registry));
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.runAsync("twice", ctx -> runs.incrementAndGet() == 1
        ? Future.succeededFuture() : ctx.onCancel(), Backoff.fixed(Duration.ofMillis(1)),
        RunOption.exactName());
    await().until(() -> h.status().runs() == 2 && h.status().state() == TaskState.RUNNING);

    tasks.close().await();

    assertThat(registry.get("background.task.duration").tag("task", "twice").tag("outcome", "success")
        .timer().count()).isEqualTo(2);
  }
}
