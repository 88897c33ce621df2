package dev.background;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Micrometer metrics after a known sequence of runs. */
@ExtendWith(VertxExtension.class)
class TasksMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void metricsCountAKnownSequenceOfRuns(Vertx vertx) {
    MeterRegistry registry = new SimpleMeterRegistry();
    // A task tag is on the meters when the tracker declares its key (one set of keys per name).
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setMeterRegistry(registry)
        .setMetricTagKeys("team"));
    AtomicInteger runs = new AtomicInteger();
    TaskHandle flaky = tasks.run("flaky", ctx -> {
      if (runs.incrementAndGet() <= 3) {
        throw new IllegalStateException("fail");
      }
    }, Backoff.fixed(Duration.ofMillis(1)), RunOption.exactName(), RunOption.restartOnFailureOnly(),
        RunOption.tags("team", "billing"));
    flaky.completion().await();
    tasks.onceAsync("job", ctx -> Future.succeededFuture(), RunOption.exactName()).completion().await();
    tasks.onceAsync("job", ctx -> Future.failedFuture("x"), RunOption.exactName()).completion().await();

    assertThat(registry.get("background.tasks.total").counter().count()).isEqualTo(4);
    assertThat(registry.get("background.task.restarts").tag("task", "flaky").tag("team", "billing")
        .counter().count()).isEqualTo(3);
    assertThat(registry.get("background.task.duration").tag("task", "flaky").tag("kind", "run")
        .tag("outcome", "failure").timer().count()).isEqualTo(3);
    assertThat(registry.get("background.task.duration").tag("task", "flaky")
        .tag("outcome", "success").timer().count()).isEqualTo(1);
    assertThat(registry.get("once.tasks.total").counter().count()).isEqualTo(2);
    assertThat(registry.get("once.task.executed").tag("task", "job").counter().count()).isEqualTo(2);
    assertThat(registry.get("once.task.errors").tag("task", "job").counter().count()).isEqualTo(1);
    assertThat(registry.get("background.tasks.running").gauge().value()).isZero();
    assertThat(registry.get("once.tasks.running").gauge().value()).isZero();
    assertThat(tasks.meterRegistry()).isSameAs(registry);
    tasks.close().await();
  }

  @Test
  void runningGaugesFollowRunningTasks(Vertx vertx) {
    MeterRegistry registry = new SimpleMeterRegistry();
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setMeterRegistry(registry));
    CountDownLatch release = new CountDownLatch(1);
    tasks.run("a", ctx -> release.await(), Backoff.defaults());
    tasks.run("b", ctx -> release.await(), Backoff.defaults());
    tasks.once("c", ctx -> release.await());

    await().atMost(WAIT).until(() -> registry.get("background.tasks.running").gauge().value() == 2
        && registry.get("once.tasks.running").gauge().value() == 1);
    release.countDown();
    tasks.close().await();
    assertThat(registry.get("background.tasks.running").gauge().value()).isZero();
    assertThat(registry.get("once.tasks.running").gauge().value()).isZero();
  }

  @Test
  void vertxMicrometerRegistryIsUsedWhenVertxWasBuiltWithIt() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry)).build();
    try {
      Tasks tasks = Tasks.create(vertx);
      tasks.onceAsync("m", ctx -> Future.succeededFuture()).completion().await();
      assertThat(tasks.meterRegistry()).isSameAs(registry);
      assertThat(registry.get("once.tasks.total").counter().count()).isEqualTo(1);
      tasks.close().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void withoutARegistryMetricsAreOff(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    assertThat(tasks.meterRegistry()).isNull();
    tasks.onceAsync("no-metrics", ctx -> Future.succeededFuture()).completion().await();
    tasks.close().await();
  }
}
