package dev.background;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * RunOption.singleton() between two trackers of one Vert.x (local shared data); the cluster
 * behaviour, across processes, is in ClusterFailoverIT.
 */
@ExtendWith(VertxExtension.class)
class SingletonTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private Tasks nodeA;
  private Tasks nodeB;

  @BeforeEach
  void setUp(Vertx vertx) {
    nodeA = Tasks.create(vertx, options("a"));
    nodeB = Tasks.create(vertx, options("b"));
  }

  private static TasksOptions options(String node) {
    return new TasksOptions().setNodeId(node).setSingletonRetryInterval(Duration.ofMillis(20))
        .setCloseTimeout(Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() {
    nodeA.close().await();
    nodeB.close().await();
  }

  @Test
  void oneTrackerRunsASingletonWhileTheOtherStandsBy() {
    AtomicInteger running = new AtomicInteger();
    Task task = ctx -> {
      running.incrementAndGet();
      ctx.onCancel().toCompletionStage().toCompletableFuture().get();
      running.decrementAndGet();
    };
    TaskHandle a = nodeA.run("billing", task, Backoff.defaults(), RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> a.status().state() == TaskState.RUNNING);
    TaskHandle b = nodeB.run("billing", task, Backoff.defaults(), RunOption.singleton(), RunOption.exactName());

    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> running.get() == 1);
    assertThat(b.status().state()).isEqualTo(TaskState.STANDBY);
    assertThat(b.status().holder()).isEqualTo("a");
    assertThat(a.status().holder()).isEqualTo("a");
    assertThat(a.status().node()).isEqualTo("a");
    assertThatThrownBy(() -> b.restartNow().await()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("standing by");
  }

  @Test
  void closingTheHolderHandsTheSingletonOverWithAHigherFencingToken() {
    List<String> runs = new CopyOnWriteArrayList<>();
    Task task = ctx -> {
      runs.add(ctx.fencingToken() + "");
      ctx.onCancel().toCompletionStage().toCompletableFuture().get();
    };
    TaskHandle a = nodeA.run("feed", task, Backoff.defaults(), RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> runs.size() == 1);
    TaskHandle b = nodeB.run("feed", task, Backoff.defaults(), RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> b.status().state() == TaskState.STANDBY);

    nodeA.close().await();

    await().atMost(WAIT).until(() -> b.status().state() == TaskState.RUNNING);
    assertThat(runs).hasSize(2);
    assertThat(Long.parseLong(runs.get(1))).isGreaterThan(Long.parseLong(runs.get(0)));
    assertThat(b.status().holder()).isEqualTo("b");
  }

  @Test
  void theBackoffStateSurvivesAHandover() {
    Task failing = ctx -> {
      throw new IllegalStateException("down");
    };
    Backoff slow = Backoff.builder().initialInterval(Duration.ofMillis(100)).multiplier(2)
        .randomizationFactor(0).maxInterval(Duration.ofMinutes(5)).build();
    TaskHandle a = nodeA.run("crash-loop", failing, slow, RunOption.singleton(), RunOption.exactName());
    // The fourth run has ended and its restart is pending (800 ms away), so the state that the
    // holder saved for its successor is the one after four failures.
    await().atMost(WAIT).until(() -> a.status().failures() >= 4
        && a.status().state() == TaskState.BACKING_OFF);
    TaskHandle b = nodeB.run("crash-loop", failing, slow, RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> b.status().state() == TaskState.STANDBY);

    a.cancel().await();

    // B's first run has ended (failed), so its counters include it.
    await().atMost(WAIT).until(() -> b.status().failures() >= 1
        && b.status().state() == TaskState.BACKING_OFF);
    TaskStatus s = b.status();
    assertThat(s.attempt()).isGreaterThanOrEqualTo(5);
    assertThat(s.consecutiveFailures()).isGreaterThanOrEqualTo(5);
    assertThat(s.currentDelay()).isGreaterThanOrEqualTo(Duration.ofMillis(1600));
  }

  @Test
  void aStandbyAdoptsTheFinalStateOfItsHolder() {
    Backoff oneTry = Backoff.builder().initialInterval(Duration.ofMillis(1))
        .maxInterval(Duration.ofMillis(1)).maxAttempts(1).build();
    AtomicInteger runs = new AtomicInteger();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    TaskHandle a = nodeA.run("doomed", ctx -> {
      runs.incrementAndGet();
      release.await();
      throw new IllegalStateException("broken");
    }, oneTry, RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> a.status().state() == TaskState.RUNNING);
    TaskHandle b = nodeB.run("doomed", ctx -> {
      runs.incrementAndGet();
    }, oneTry, RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> b.status().state() == TaskState.STANDBY);

    release.countDown();

    a.completion().await();
    b.completion().await();
    assertThat(a.status().state()).isEqualTo(TaskState.GAVE_UP);
    assertThat(b.status().state()).isEqualTo(TaskState.GAVE_UP);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void aPausedPendingSingletonResumedLateStillWaitsForTheLease() {
    AtomicInteger running = new AtomicInteger();
    Task task = ctx -> {
      running.incrementAndGet();
      ctx.onCancel().toCompletionStage().toCompletableFuture().get();
    };
    TaskHandle a = nodeA.run("late", task, Backoff.defaults(), RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> a.status().state() == TaskState.RUNNING);
    TaskHandle b = nodeB.run("late", task, Backoff.defaults(), RunOption.singleton(), RunOption.exactName(),
        RunOption.startDelay(Duration.ofMillis(50)));
    b.pause().await();
    await().atMost(WAIT).until(() -> b.status().nextRunAt().isBefore(java.time.Instant.now()));

    b.resume().await();

    await().during(Duration.ofMillis(300)).atMost(WAIT)
        .until(() -> running.get() == 1 && b.status().state() == TaskState.STANDBY);
  }

  @Test
  void singletonIsForRunTasksOnly() {
    assertThatThrownBy(() -> nodeA.once("x", ctx -> {
    }, RunOption.singleton())).hasMessage("Tasks.once: RunOption.singleton: applies to run and schedule tasks only");
  }
}
