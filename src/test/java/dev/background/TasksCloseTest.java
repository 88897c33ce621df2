package dev.background;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Tasks.close: stop restarts, cancel contexts, wait with a deadline. */
@ExtendWith(VertxExtension.class)
class TasksCloseTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void closeWithAStuckTaskFailsAfterItsDeadlineNamingTheTask(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    CountDownLatch never = new CountDownLatch(1);
    tasks.run("stuck", ctx -> never.await(), Backoff.defaults(), RunOption.exactName());
    tasks.run("polite", ctx -> ctx.onCancel().toCompletionStage().toCompletableFuture().get(),
        Backoff.defaults(), RunOption.exactName());
    await().atMost(WAIT).until(() -> tasks.list().stream().allMatch(s -> s.state() == TaskState.RUNNING));

    long start = System.nanoTime();
    Throwable failure = tasks.close(Duration.ofMillis(300))
        .transform(ar -> Future.<Throwable>succeededFuture(ar.cause())).await();
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(failure).isInstanceOf(TasksCloseTimeoutException.class)
        .hasMessageContaining("stuck").hasMessageNotContaining("polite");
    assertThat(((TasksCloseTimeoutException) failure).stillRunning()).containsExactly("stuck");
    assertThat(tookMillis).isGreaterThanOrEqualTo(290);
    assertThat(tasks.status("polite").orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
    never.countDown();
  }

  @Test
  void closeWithoutATimeoutUsesTheConfiguredDefaultDeadline(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofMillis(200)));
    CountDownLatch never = new CountDownLatch(1);
    tasks.run("stuck", ctx -> never.await(), Backoff.defaults());
    await().atMost(WAIT).until(() -> tasks.list().get(0).state() == TaskState.RUNNING);

    Future<Void> closing = tasks.close();

    await().atMost(WAIT).until(closing::isComplete);
    assertThat(closing.cause()).isInstanceOf(TasksCloseTimeoutException.class);
    assertThat(((TasksCloseTimeoutException) closing.cause()).timeout()).isEqualTo(Duration.ofMillis(200));
    never.countDown();
  }

  @Test
  void theDefaultDeadlineIsThirtySeconds() {
    assertThat(new TasksOptions().getCloseTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void closeIsIdempotent(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    tasks.run("quick", ctx -> {
    }, Backoff.defaults());

    Future<Void> first = tasks.close();
    Future<Void> second = tasks.close(Duration.ofMillis(1));

    assertThat(second).isSameAs(first);
    first.await();
    assertThat(tasks.close().succeeded()).isTrue();
  }

  @Test
  void closeCancelsPendingRestartTimers(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("backing-off", ctx -> {
      runs.incrementAndGet();
      throw new IllegalStateException("fail");
    }, Backoff.fixed(Duration.ofMillis(300)));
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    tasks.close().await();

    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(h.status().nextRunAt()).isNull();
    await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> runs.get() == 1);
  }

  @Test
  void closeWaitsForRunningTasksThatHonourCancellation(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    AtomicInteger finished = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      tasks.run("worker-" + i, ctx -> {
        ctx.onCancel().toCompletionStage().toCompletableFuture().get();
        finished.incrementAndGet();
      }, Backoff.defaults());
    }
    await().atMost(WAIT).until(() -> tasks.list().stream().allMatch(s -> s.state() == TaskState.RUNNING));

    tasks.close().await();

    assertThat(finished.get()).isEqualTo(5);
    assertThat(tasks.list()).allMatch(s -> s.state() == TaskState.CANCELLED && s.running() == 0);
  }

  @Test
  void nothingCanBeSubmittedAfterClose(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    tasks.close().await();

    assertThatThrownBy(() -> tasks.run("late", ctx -> {
    }, Backoff.defaults())).isInstanceOf(IllegalStateException.class).hasMessage("Tasks.run: the tracker is closed");
    assertThatThrownBy(() -> tasks.onceAsync("late", ctx -> Future.succeededFuture()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(tasks.isClosed()).isTrue();
  }

  @Test
  void closeRejectsANonPositiveTimeout(Vertx vertx) {
    Tasks tasks = Tasks.create(vertx);
    assertThatThrownBy(() -> tasks.close(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tasks.close: timeout must be > 0, was PT0S");
    assertThat(tasks.isClosed()).isFalse();
  }
}
