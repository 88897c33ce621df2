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

  @Test
  void permanentFailureStopsRestarts() {
    AtomicInteger runs = new AtomicInteger();
    TaskHandle h = tasks.run("permanent", ctx -> {
      if (runs.incrementAndGet() == 3) {
        throw new PermanentFailure(new IllegalArgumentException("bad config"));
      }
      throw new RuntimeException("transient");
    }, TINY);

    h.completion().await();

    TaskStatus s = h.status();
    assertThat(s.state()).isEqualTo(TaskState.FAILED);
    assertThat(s.runs()).isEqualTo(3);
    assertThat(s.lastError().type()).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(s.lastError().message()).isEqualTo("bad config");
    await().during(Duration.ofMillis(100)).atMost(WAIT).until(() -> runs.get() == 3);
  }

  @Test
  void retryAfterHintIsHonouredWhenLongerThanTheBackoff() {
    List<Long> starts = new CopyOnWriteArrayList<>();
    TaskHandle h = tasks.run("rate-limited", ctx -> {
      starts.add(System.nanoTime());
      if (starts.size() == 1) {
        throw new RetryAfter(Duration.ofMillis(600));
      }
    }, TINY);
    await().atMost(WAIT).until(() -> starts.size() >= 2);
    h.cancel().await();

    assertThat((starts.get(1) - starts.get(0)) / 1_000_000).isGreaterThanOrEqualTo(599);
    assertThat(h.status().failures()).isEqualTo(1);
  }

  @Test
  void retryAfterAnInstantIsHonoured() {
    List<Long> starts = new CopyOnWriteArrayList<>();
    TaskHandle h = tasks.run("rate-limited-until", ctx -> {
      starts.add(System.nanoTime());
      if (starts.size() == 1) {
        throw new RetryAfter(java.time.Instant.now().plusMillis(500), new IllegalStateException("429"));
      }
    }, TINY);
    await().atMost(WAIT).until(() -> starts.size() >= 2);
    h.cancel().await();

    assertThat((starts.get(1) - starts.get(0)) / 1_000_000).isGreaterThanOrEqualTo(480);
    assertThat(h.status().lastError().message()).isEqualTo("429");
  }

  @Test
  void maxAttemptsConsecutiveFailuresGiveUp() {
    AtomicInteger runs = new AtomicInteger();
    Backoff threeTries = Backoff.builder().initialInterval(Duration.ofMillis(1))
        .maxInterval(Duration.ofMillis(5)).maxAttempts(3).build();
    TaskHandle h = tasks.run("gives-up", ctx -> {
      runs.incrementAndGet();
      throw new IllegalStateException("down");
    }, threeTries);

    h.completion().await();

    assertThat(h.status().state()).isEqualTo(TaskState.GAVE_UP);
    assertThat(h.status().failures()).isEqualTo(3);
    assertThat(h.status().consecutiveFailures()).isEqualTo(3);
    assertThat(runs.get()).isEqualTo(3);
  }

  @Test
  void aSuccessResetsTheConsecutiveFailuresThatMaxAttemptsCounts() {
    AtomicInteger runs = new AtomicInteger();
    Backoff twoTries = Backoff.builder().initialInterval(Duration.ofMillis(1))
        .maxInterval(Duration.ofMillis(1)).randomizationFactor(0).maxAttempts(2).build();
    TaskHandle h = tasks.run("flaky", ctx -> {
      if (runs.incrementAndGet() % 2 == 1) {
        throw new IllegalStateException("odd run");
      }
    }, twoTries);
    await().atMost(WAIT).until(() -> runs.get() >= 10);
    h.cancel().await();
    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void attemptCountsRestartsAndLastErrorIsThePreviousFailure() {
    List<Integer> attempts = new CopyOnWriteArrayList<>();
    List<String> lastErrors = new CopyOnWriteArrayList<>();
    TaskHandle h = tasks.run("attempts", ctx -> {
      attempts.add(ctx.attempt());
      lastErrors.add(String.valueOf(ctx.lastError() == null ? null : ctx.lastError().getMessage()));
      throw new IllegalStateException("run " + ctx.attempt());
    }, TINY);
    await().atMost(WAIT).until(() -> attempts.size() >= 3);
    h.cancel().await();
    assertThat(attempts.subList(0, 3)).containsExactly(1, 2, 3);
    assertThat(lastErrors.subList(0, 3)).containsExactly("null", "run 1", "run 2");
  }

  @Test
  void taskThrowingAnErrorIsRestartedAndHarmsNothingElse() {
    AtomicInteger overflowing = new AtomicInteger();
    AtomicInteger healthy = new AtomicInteger();
    TaskHandle bad = tasks.run("overflow", ctx -> {
      overflowing.incrementAndGet();
      recurse(0);
    }, TINY);
    TaskHandle good = tasks.run("healthy", ctx -> {
      healthy.incrementAndGet();
    }, TINY);
    await().atMost(WAIT).until(() -> overflowing.get() >= 3 && healthy.get() >= 3);

    assertThat(bad.status().lastError().type()).isEqualTo(StackOverflowError.class.getName());
    assertThat(good.status().failures()).isZero();
    bad.cancel().await();
    good.cancel().await();
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }
}
