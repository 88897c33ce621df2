package dev.background;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tasks.once: one run, never restarted, statistics summed per name. */
@ExtendWith(VertxExtension.class)
class TasksOnceTest {

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  @Test
  void onceRunsExactlyOnce() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.once("warm-up", ctx -> {
      runs.incrementAndGet();
    });
    h.completion().await();

    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
    assertThat(h.status().kind()).isEqualTo(TaskKind.ONCE);
    assertThat(h.status().state()).isEqualTo(TaskState.COMPLETED);
    assertThat(h.status().runs()).isEqualTo(1);
    assertThat(h.status().restarts()).isZero();
  }

  @Test
  void aFailingOnceTaskIsNotRestarted() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.once("fails", ctx -> {
      runs.incrementAndGet();
      throw new IllegalStateException("nope");
    });
    h.completion().await();

    assertThat(h.status().state()).isEqualTo(TaskState.FAILED);
    assertThat(h.status().lastError().message()).isEqualTo("nope");
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
  }

  @Test
  void statisticsAddUpPerName() {
    for (int i = 0; i < 5; i++) {
      int n = i;
      tasks.onceAsync("job", ctx -> n % 2 == 0 ? Future.succeededFuture() : Future.failedFuture("odd"))
          .completion().await();
    }
    TaskStatus s = tasks.status("job").orElseThrow();
    assertThat(s.runs()).isEqualTo(5);
    assertThat(s.successes()).isEqualTo(3);
    assertThat(s.failures()).isEqualTo(2);
    assertThat(s.history()).hasSize(5);
    assertThat(tasks.list()).hasSize(1);
  }

  @Test
  void asyncOnceReturningNullFailsCleanly() {
    TaskHandle h = tasks.onceAsync("null-future", ctx -> null);
    h.completion().await();
    assertThat(h.status().state()).isEqualTo(TaskState.FAILED);
    assertThat(h.status().lastError().type()).isEqualTo(NullPointerException.class.getName());
  }

  @Test
  void historyKeepsTheLastRunsOutcomes(Vertx vertx) {
    Tasks small = Tasks.create(vertx, new TasksOptions().setHistorySize(3));
    for (int i = 0; i < 5; i++) {
      int n = i;
      small.onceAsync("h", ctx -> n < 4 ? Future.succeededFuture() : Future.failedFuture("last"),
          RunOption.exactName()).completion().await();
    }
    TaskStatus s = small.status("h").orElseThrow();
    assertThat(s.history()).hasSize(3);
    assertThat(s.history().get(2).outcome()).isEqualTo(RunRecord.FAILURE);
    assertThat(s.history().get(2).error().message()).isEqualTo("last");
    assertThat(s.toJson().getJsonArray("history")).hasSize(3);
    small.close().await();
  }
}
