package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksCloseTimeoutException;
import dev.background.TasksOptions;
import dev.background.verticle.TasksVerticle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Closing under adverse conditions: a task that never ends, an undeploy in the middle of a
 * restart storm, and Vert.x closed under running tasks. Each time the close completes or fails
 * clearly within its deadline, every task that can end has ended, no Vert.x timer of the tracker
 * remains ({@link TimerLedger}), nothing runs afterwards, and the tracker's threads end.
 */
@ExtendWith(VertxExtension.class)
class CloseFaultsTest {

  private static final Backoff HOUR = Backoff.fixed(Duration.ofHours(1));
  private static final Backoff QUICK = Backoff.builder().initialInterval(Duration.ofMillis(1))
      .maxInterval(Duration.ofMillis(5)).build();

  @Test
  void closeWithOneTaskThatNeverEndsFailsAfterTheDeadlineNamingItAndLeavesNoTimer(Vertx vertx) {
    TimerLedger ledger = new TimerLedger(vertx);
    MeterRegistry registry = new SimpleMeterRegistry();
    Tasks tasks = Tasks.create(ledger.vertx(), new TasksOptions().setMeterRegistry(registry));
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch never = new CountDownLatch(1);
    TaskHandle stuck = tasks.run("stuck", ctx -> {
      threads.add(Thread.currentThread().getName());
      never.await();
    }, HOUR, RunOption.exactName());
    tasks.run("blocking-polite", ctx -> {
      threads.add(Thread.currentThread().getName());
      ctx.onCancel().toCompletionStage().toCompletableFuture().join();
    }, HOUR, RunOption.exactName());
    tasks.runAsync("async-polite", ctx -> ctx.onCancel(), HOUR, RunOption.exactName());
    tasks.runAsync("restarting", ctx -> Future.failedFuture("again"), QUICK, RunOption.exactName());
    tasks.run("blocking-restarting", ctx -> {
      threads.add(Thread.currentThread().getName());
      throw new IllegalStateException("again");
    }, QUICK, RunOption.exactName());
    tasks.runAsync("backing-off", ctx -> Future.failedFuture("later"), HOUR, RunOption.exactName());
    tasks.runAsync("pending", ctx -> ctx.onCancel(), HOUR, RunOption.exactName(),
        RunOption.startDelay(Duration.ofHours(1)));
    TaskHandle paused = tasks.runAsync("paused", ctx -> Future.succeededFuture(), HOUR, RunOption.exactName());
    tasks.run("timed", ctx -> {
      threads.add(Thread.currentThread().getName());
      ctx.onCancel().toCompletionStage().toCompletableFuture().join();
    }, HOUR, RunOption.exactName(), RunOption.runTimeout(Duration.ofHours(1)));
    tasks.onceAsync("once-running", ctx -> ctx.onCancel(), RunOption.exactName());
    tasks.once("once-pending", ctx -> { }, RunOption.exactName(), RunOption.startDelay(Duration.ofHours(1)));
    tasks.onceAsync("once-done", ctx -> Future.succeededFuture(), RunOption.exactName()).completion().await();
    Waiting.quickly().until(() -> state(tasks, "paused") == TaskState.BACKING_OFF);
    paused.pause().await();
    Waiting.quickly().until(() -> state(tasks, "stuck") == TaskState.RUNNING
        && state(tasks, "blocking-polite") == TaskState.RUNNING && state(tasks, "async-polite") == TaskState.RUNNING
        && state(tasks, "timed") == TaskState.RUNNING && state(tasks, "once-running") == TaskState.RUNNING
        && state(tasks, "backing-off") == TaskState.BACKING_OFF && state(tasks, "paused") == TaskState.PAUSED
        && runs(tasks, "restarting") >= 20 && runs(tasks, "blocking-restarting") >= 20);
    assertThat(ledger.live()).as("timers armed before close: %s", ledger).isGreaterThanOrEqualTo(4);

    long start = System.nanoTime();
    Throwable failure = tasks.close(Duration.ofMillis(500))
        .transform(ar -> Future.<Throwable>succeededFuture(ar.cause())).await();
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    System.out.printf("CloseFaultsTest: close with one task that never ends failed after %d ms: %s; %s%n",
        tookMillis, failure.getMessage(), ledger);
    assertThat(failure).isInstanceOf(TasksCloseTimeoutException.class).hasMessageContaining("stuck");
    assertThat(((TasksCloseTimeoutException) failure).stillRunning()).containsExactly("stuck");
    assertThat(tookMillis).isBetween(480L, 5_000L);
    for (TaskStatus s : tasks.list()) {
      if (!s.name().equals("stuck")) {
        assertThat(s.state().isTerminal()).as("%s is %s", s.name(), s.state()).isTrue();
        assertThat(s.running()).as(s.name()).isZero();
        assertThat(tasks.handle(s.name()).orElseThrow().completion().isComplete()).as(s.name()).isTrue();
      }
    }
    assertThat(stuck.status().state()).isEqualTo(TaskState.RUNNING);
    assertThat(stuck.status().running()).isEqualTo(1);
    Waiting.quickly().until(() -> ledger.live() == 0);
    Map<String, Long> runsAfterClose = runs(tasks);
    Waiting.quickly().during(Duration.ofMillis(300))
        .until(() -> ledger.live() == 0 && runs(tasks).equals(runsAfterClose));

    never.countDown();
    stuck.completion().await();

    assertThat(stuck.status().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(stuck.status().runs()).as("never restarted").isEqualTo(1);
    Waiting.quickly().during(Duration.ofMillis(200))
        .until(() -> ledger.live() == 0 && runs(tasks).equals(runsAfterClose));
    Waiting.quickly().until(() -> alive(threads).isEmpty());
    assertThat(registry.get("background.tasks.running").gauge().value()).isZero();
    assertThat(registry.get("once.tasks.running").gauge().value()).isZero();
    long runTaskRuns = tasks.list().stream().filter(s -> s.kind() == TaskKind.RUN).mapToLong(TaskStatus::runs).sum();
    assertThat(registry.get("background.tasks.total").counter().count()).isEqualTo(runTaskRuns);
    assertThat(ledger.periodic()).isZero();
  }

  @Test
  void undeployDuringARestartStormCompletesAndLeavesNothingRunning(Vertx vertx) {
    TimerLedger ledger = new TimerLedger(vertx);
    Tasks tasks = Tasks.create(ledger.vertx(), new TasksOptions().setMeterRegistry(new SimpleMeterRegistry()));
    JsonObject storm = new JsonObject().put("initialInterval", "1ms").put("maxInterval", "2ms")
        .put("randomizationFactor", 0);
    JsonArray declared = new JsonArray();
    for (int i = 0; i < 40; i++) {
      declared.add(new JsonObject().put("name", "async-" + i).put("class", ReliabilityTasks.FailsAtOnce.class.getName())
          .put("backoff", storm));
    }
    for (int i = 0; i < 10; i++) {
      declared.add(new JsonObject().put("name", "blocking-" + i)
          .put("class", ReliabilityTasks.BlockingFailsAtOnce.class.getName()).put("backoff", storm));
    }
    JsonObject config = new JsonObject().put("address", "storm.tasks").put("eventsAddress", "storm.events")
        .put("closeTimeout", "5s").put("tasks", declared);
    List<String> events = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("storm.events", m -> events.add(m.body().getString("event")))
        .completion().await();
    String id = vertx.deployVerticle(new TasksVerticle(tasks), new DeploymentOptions().setConfig(config)).await();
    // A client asks for restarts meanwhile: some run at once, some are refused (409).
    long hammer = vertx.setPeriodic(1, t -> vertx.eventBus().request("storm.tasks", new JsonObject()
        .put("action", "restart").put("name", "async-" + ThreadLocalRandom.current().nextInt(40))));
    Waiting.quickly().until(() -> totalRuns(tasks) >= 5_000);
    vertx.cancelTimer(hammer);

    long start = System.nanoTime();
    vertx.undeploy(id).await();
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    long runs = totalRuns(tasks);
    System.out.printf("CloseFaultsTest: undeployed during a restart storm of 50 tasks in %d ms, after %d runs; %s%n",
        tookMillis, runs, ledger);
    assertThat(tasks.isClosed()).isTrue();
    assertThat(tookMillis).isLessThan(5_000);
    for (TaskStatus s : tasks.list()) {
      assertThat(s.state()).as(s.name()).isEqualTo(TaskState.CANCELLED);
      assertThat(s.running()).as(s.name()).isZero();
      assertThat(s.runs()).as(s.name()).isEqualTo(s.successes() + s.failures()).isEqualTo(s.restarts() + 1);
    }
    Waiting.quickly().until(() -> ledger.live() == 0 && events.contains("closed"));
    Map<String, Long> after = runs(tasks);
    Waiting.quickly().during(Duration.ofMillis(300)).until(() -> ledger.live() == 0 && runs(tasks).equals(after));
    assertThat(events.get(events.size() - 1)).isEqualTo("closed");
    assertThat(events.stream().filter("started"::equals).count()).isEqualTo(runs);
    Waiting.quickly().until(() -> alive(ReliabilityTasks.BLOCKING_THREADS).isEmpty());
  }

  @Test
  void vertxClosedUnderRunningTasksLeavesATrackerThatStillClosesWithoutHangingOrLeaking() throws Exception {
    Vertx own = Vertx.vertx();
    Tasks tasks = Tasks.create(own, new TasksOptions().setCloseTimeout(Duration.ofSeconds(1)));
    Set<String> threads = ConcurrentHashMap.newKeySet();
    tasks.run("blocking-polite", ctx -> {
      threads.add(Thread.currentThread().getName());
      ctx.onCancel().toCompletionStage().toCompletableFuture().join();
    }, HOUR, RunOption.exactName());
    tasks.run("blocking-restarting", ctx -> {
      threads.add(Thread.currentThread().getName());
      throw new IllegalStateException("again");
    }, Backoff.fixed(Duration.ofMillis(2)), RunOption.exactName());
    tasks.runAsync("async-polite", ctx -> ctx.onCancel(), HOUR, RunOption.exactName());
    tasks.runAsync("waits-for-a-vertx-timer", ctx -> ctx.vertx().timer(1, TimeUnit.HOURS).mapEmpty(), HOUR,
        RunOption.exactName());
    tasks.runAsync("backing-off", ctx -> Future.failedFuture("later"), HOUR, RunOption.exactName());
    tasks.onceAsync("once-polite", ctx -> ctx.onCancel(), RunOption.exactName());
    Promise<Void> never = Promise.promise();
    tasks.runAsync("async-ignores-cancel", ctx -> never.future(), HOUR, RunOption.exactName());
    Waiting.quickly().until(() -> state(tasks, "blocking-polite") == TaskState.RUNNING
        && state(tasks, "async-polite") == TaskState.RUNNING && state(tasks, "backing-off") == TaskState.BACKING_OFF
        && state(tasks, "waits-for-a-vertx-timer") == TaskState.RUNNING && runs(tasks, "blocking-restarting") >= 10
        && state(tasks, "async-ignores-cancel") == TaskState.RUNNING);

    own.close().await();

    Future<Void>[] closing = new Future[1];
    assertThatCode(() -> closing[0] = tasks.close()).as("close() after Vert.x closed").doesNotThrowAnyException();
    Throwable failure = closing[0].transform(ar -> Future.<Throwable>succeededFuture(ar.cause()))
        .await(10, TimeUnit.SECONDS);

    System.out.printf("CloseFaultsTest: close after Vert.x closed: %s%n", failure == null ? "succeeded" : failure);
    // The deadline fires although Vert.x timers are gone, naming the one task that ignores its
    // context; a future waiting on a Vert.x timer fails when Vert.x closes, so that task ended.
    assertThat(failure).isInstanceOf(TasksCloseTimeoutException.class);
    assertThat(((TasksCloseTimeoutException) failure).stillRunning()).containsExactly("async-ignores-cancel");
    assertThat(tasks.isClosed()).isTrue();
    assertThat(tasks.close()).isSameAs(closing[0]);
    for (String name : List.of("blocking-polite", "blocking-restarting", "async-polite", "backing-off", "once-polite",
        "waits-for-a-vertx-timer")) {
      Waiting.quickly().until(() -> state(tasks, name) == TaskState.CANCELLED);
      assertThat(tasks.status(name).orElseThrow().running()).isZero();
    }
    Waiting.quickly().until(() -> alive(threads).isEmpty());
    never.complete();
    Waiting.quickly().until(() -> state(tasks, "async-ignores-cancel") == TaskState.CANCELLED);
  }

  // ---------------------------------------------------------------- helpers

  private static TaskState state(Tasks tasks, String name) {
    return tasks.status(name).map(TaskStatus::state).orElse(null);
  }

  private static long runs(Tasks tasks, String name) {
    return tasks.status(name).map(TaskStatus::runs).orElse(0L);
  }

  private static Map<String, Long> runs(Tasks tasks) {
    return tasks.list().stream().collect(Collectors.toMap(TaskStatus::name, TaskStatus::runs, (a, b) -> a, TreeMap::new));
  }

  private static long totalRuns(Tasks tasks) {
    return tasks.list().stream().mapToLong(TaskStatus::runs).sum();
  }

  /** The threads among {@code names} that are still alive. */
  static List<String> alive(Set<String> names) {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(names::contains).sorted().collect(Collectors.toList());
  }
}
