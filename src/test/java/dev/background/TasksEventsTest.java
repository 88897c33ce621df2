package dev.background;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Lifecycle events, as listeners receive them. */
@ExtendWith(VertxExtension.class)
class TasksEventsTest {

  @Test
  void aTaskThatFailsTwiceThenSucceedsEmitsThisExactSequence(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    List<String> events = new CopyOnWriteArrayList<>();
    tasks.addListener(e -> events.add(e.type().wireName() + ":" + e.attempt()));
    AtomicInteger runs = new AtomicInteger();

    TaskHandle h = tasks.run("twice", ctx -> {
      if (runs.incrementAndGet() <= 2) {
        throw new IllegalStateException("fail " + runs.get());
      }
    }, Backoff.fixed(Duration.ofMillis(5)), RunOption.restartOnFailureOnly());
    h.completion().await();
    tasks.close().await();

    assertThat(events).containsExactly(
        "started:1", "failed:1", "restart-scheduled:2",
        "started:2", "failed:2", "restart-scheduled:3",
        "started:3", "succeeded:3",
        "closed:0");
  }

  @Test
  void eventsCarryTheirDetails(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    List<TaskEvent> events = new CopyOnWriteArrayList<>();
    tasks.addListener(events::add);
    TaskHandle h = tasks.run("detailed", ctx -> {
      throw new IllegalArgumentException("why");
    }, Backoff.fixed(Duration.ofMinutes(1)), RunOption.exactName());
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() >= 3);
    h.pause().await();
    h.cancel().await();

    assertThat(events.get(1).toJson().getJsonObject("error").getString("message")).isEqualTo("why");
    assertThat(events.get(2).toJson().getLong("delayMs")).isEqualTo(60_000L);
    assertThat(events).extracting(e -> e.type().wireName())
        .containsExactly("started", "failed", "restart-scheduled", "paused", "cancelled");
    assertThat(events.get(0).toJson().fieldNames()).contains("task", "event", "at", "attempt");
    assertThat(events.get(0).task()).isEqualTo("detailed");
    tasks.close().await();
  }

  @Test
  void aListenerThatThrowsIsIgnored(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    List<String> seen = new CopyOnWriteArrayList<>();
    tasks.addListener(e -> {
      throw new IllegalStateException("listener bug");
    });
    tasks.addListener(e -> seen.add(e.type().wireName()));

    TaskHandle h = tasks.once("survives", ctx -> {
    });
    h.completion().await();

    assertThat(h.status().state()).isEqualTo(TaskState.COMPLETED);
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("succeeded"));
    tasks.close().await();
  }
}
