package dev.background;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The seed's behaviours of {@link Tasks#run}: keep a task alive, restart with backoff, stop on cancel. */
@ExtendWith(VertxExtension.class)
class TasksRunTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Backoff TINY = Backoff.fixed(Duration.ofMillis(1));

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  @Test
  void loopingTaskRunsAndStopsAfterCancel() {
    AtomicInteger loops = new AtomicInteger();
    TaskHandle h = tasks.run("looper", ctx -> {
      while (!ctx.isCancelled()) {
        loops.incrementAndGet();
        Thread.onSpinWait();
      }
    }, Backoff.defaults());
    await().atMost(WAIT).until(() -> loops.get() > 1000);
    assertThat(h.status().state()).isEqualTo(TaskState.RUNNING);

    h.cancel().await();

    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(h.status().runs()).isEqualTo(1);
    assertThat(h.completion().isComplete()).isTrue();
  }

  @Test
  void crashingTaskIsRestartedUnderTinyBackoffThenStopsOnCancel() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("crasher", ctx -> {
      runs.incrementAndGet();
      throw new IllegalStateException("boom");
    }, TINY);
    await().atMost(WAIT).until(() -> runs.get() >= 5);

    h.cancel().await();
    int after = runs.get();

    TaskStatus s = h.status();
    assertThat(s.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(s.failures()).isEqualTo(s.runs()).isEqualTo(after);
    assertThat(s.restarts()).isEqualTo(after - 1);
    assertThat(s.lastError().type()).isEqualTo(IllegalStateException.class.getName());
    assertThat(s.lastError().message()).isEqualTo("boom");
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> runs.get() == after);
  }

  @Test
  void longBackoffIsHonouredBeforeTheRestart() {
    List<Long> starts = new CopyOnWriteArrayList<>();
    Duration delay = Duration.ofMillis(800);
    TaskHandle h = tasks.run("slow-restart", ctx -> starts.add(System.nanoTime()), Backoff.fixed(delay));
    await().atMost(WAIT).until(() -> starts.size() >= 2);
    h.cancel().await();

    long gapMillis = (starts.get(1) - starts.get(0)) / 1_000_000;
    assertThat(gapMillis).isGreaterThanOrEqualTo(delay.toMillis() - 1);
  }

  @Test
  void taskEndingNormallyIsRestartedToo() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("returns", ctx -> {
      runs.incrementAndGet();
    }, TINY);
    await().atMost(WAIT).until(() -> runs.get() >= 3);
    h.cancel().await();
    assertThat(h.status().successes()).isEqualTo(h.status().runs());
    assertThat(h.status().failures()).isZero();
  }

  @Test
  void asyncTaskIsRestartedOnEventLoop() {
    List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
    TaskHandle h = tasks.runAsync("async", ctx -> {
      onEventLoop.add(io.vertx.core.Context.isOnEventLoopThread());
      return Future.failedFuture("nope");
    }, TINY);
    await().atMost(WAIT).until(() -> onEventLoop.size() >= 3);
    h.cancel().await();
    assertThat(onEventLoop).containsOnly(true);
  }
}
