package dev.background.verticle;

import dev.background.*;
import dev.background.ConfigException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Deploying, configuring and undeploying {@link TasksVerticle}; its lifecycle events. */
@ExtendWith(VertxExtension.class)
class TasksVerticleTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx vertx;
  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(2)));
  }

  @AfterEach
  void tearDown() {
    TestTasks.Stuck.release();
    tasks.close().otherwiseEmpty().await();
  }

  @Test
  void deploysByClassNameWithConfigOnTheSharedTracker() {
    List<JsonObject> configs = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("test.config", m -> configs.add(m.body()))
        .completion().await();
    JsonObject config = new JsonObject()
        .put("closeTimeout", "2s")
        .put("tasks", new JsonArray()
            .add(task("echo", TestTasks.EchoesConfig.class)
                .put("config", new JsonObject().put("url", "http://127.0.0.1:1").put("retries", 3)))
            .add(task("blocking", TestTasks.BlocksUntilCancelled.class))
            .add(task("warm-up", TestTasks.BlockingEnds.class).put("mode", "once")));

    String id = vertx.deployVerticle("dev.background.verticle.TasksVerticle",
        new DeploymentOptions().setConfig(config)).await();

    Tasks shared = Tasks.of(vertx);
    await().atMost(WAIT).until(() -> configs.size() == 1
        && state(shared, "blocking") == TaskState.RUNNING
        && state(shared, "warm-up") == TaskState.COMPLETED);
    assertThat(configs.get(0)).isEqualTo(new JsonObject().put("task", "echo")
        .put("config", new JsonObject().put("url", "http://127.0.0.1:1").put("retries", 3)));
    assertThat(shared.list()).extracting(TaskStatus::name)
        .containsExactly("blocking", "echo", "warm-up");
    assertThat(shared.status("warm-up").orElseThrow().kind()).isEqualTo(TaskKind.ONCE);

    vertx.undeploy(id).await();

    assertThat(shared.isClosed()).isTrue();
    assertThat(shared.list()).extracting(TaskStatus::state)
        .containsExactly(TaskState.CANCELLED, TaskState.CANCELLED, TaskState.COMPLETED);
  }

  @Test
  void deploysAroundAGivenTracker() {
    String id = deploy(new JsonObject().put("tasks", new JsonArray()
        .add(task("waits", TestTasks.Waits.class))));

    assertThat(tasks.status("waits").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    assertThat(Tasks.of(vertx).list()).isEmpty();
    vertx.undeploy(id).await();
    assertThat(tasks.isClosed()).isTrue();
  }

  @Test
  void badConfigFailsTheDeploymentWithOneMessageAndStartsNothing() {
    List<JsonObject> events = events("background.tasks.events");
    JsonObject config = new JsonObject().put("tasks", new JsonArray()
        .add(task("good", TestTasks.Waits.class))
        .add(task("bad", TestTasks.Waits.class).put("backoff", new JsonObject().put("multiplier", 0.5))));

    Throwable failure = catchThrowable(() -> vertx.deployVerticle(new TasksVerticle(tasks),
        new DeploymentOptions().setConfig(config)).await());

    assertThat(failure).isInstanceOf(ConfigException.class)
        .hasMessage("tasks[1].backoff.multiplier: must be >= 1, was 0.5");
    assertThat(tasks.list()).isEmpty();
    assertThat(vertx.deploymentIDs()).isEmpty();
    Throwable request = catchThrowable(() -> vertx.eventBus()
        .request("background.tasks", new JsonObject().put("action", "list")).await());
    assertThat(((ReplyException) request).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(events).isEmpty();
  }

  @Test
  void unknownKeyFailsTheDeploymentNamingTheKey() {
    Throwable failure = catchThrowable(() -> vertx.deployVerticle("dev.background.verticle.TasksVerticle",
        new DeploymentOptions().setConfig(new JsonObject().put("clustr", new JsonObject()))).await());

    assertThat(failure).hasMessageStartingWith("clustr: unknown key");
  }

  @Test
  void nameTakenByALiveTaskFailsTheDeploymentAndStartsNothing() {
    tasks.runAsync("taken", TaskContext::onCancel, Backoff.defaults(), RunOption.exactName());
    JsonObject config = new JsonObject().put("tasks", new JsonArray()
        .add(task("free", TestTasks.Waits.class))
        .add(task("taken", TestTasks.Waits.class)));

    Throwable failure = catchThrowable(() -> deploy(config));

    assertThat(failure).isInstanceOf(ConfigException.class)
        .hasMessage("tasks[1].name: taken: is RUNNING; start applies to a task that has not started "
            + "or has ended");
    assertThat(tasks.list()).extracting(TaskStatus::name).containsExactly("taken");
  }

  @Test
  void failingConstructorFailsTheDeploymentAndStartsNothing() {
    JsonObject config = new JsonObject().put("tasks", new JsonArray()
        .add(task("fine", TestTasks.Waits.class))
        .add(task("broken", TestTasks.ThrowsInConstructor.class)));

    Throwable failure = catchThrowable(() -> deploy(config));

    assertThat(failure).hasMessage("tasks[1].class: constructor of "
        + TestTasks.ThrowsInConstructor.class.getName()
        + " failed: java.lang.IllegalStateException: no database");
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void closedTrackerFailsTheDeployment() {
    tasks.close().await();

    Throwable failure = catchThrowable(() -> deploy(new JsonObject()));

    assertThat(failure).isInstanceOf(IllegalStateException.class)
        .hasMessage("TasksVerticle: the tracker is closed");
  }

  @Test
  void undeployClosesTheTrackerAndCancelsItsTasks() {
    String id = deploy(new JsonObject().put("tasks", new JsonArray()
        .add(task("async", TestTasks.Waits.class))
        .add(task("blocking", TestTasks.BlocksUntilCancelled.class))));
    await().atMost(WAIT).until(() -> state(tasks, "blocking") == TaskState.RUNNING);

    vertx.undeploy(id).await();

    assertThat(tasks.isClosed()).isTrue();
    assertThat(tasks.list()).extracting(TaskStatus::state)
        .containsOnly(TaskState.CANCELLED);
  }

  @Test
  void undeployFailsNamingTheStuckTasksWhenCloseTimesOut() {
    List<JsonObject> events = events("background.tasks.events");
    String id = deploy(new JsonObject().put("closeTimeout", "200ms").put("tasks", new JsonArray()
        .add(task("stuck", TestTasks.Stuck.class))
        .add(task("polite", TestTasks.Waits.class))));
    await().atMost(WAIT).until(() -> state(tasks, "stuck") == TaskState.RUNNING);
    long start = System.nanoTime();

    Throwable failure = catchThrowable(() -> vertx.undeploy(id).await());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(failure).isInstanceOf(TasksCloseTimeoutException.class)
        .hasMessageContaining("stuck").hasMessageNotContaining("polite");
    assertThat(((TasksCloseTimeoutException) failure).stillRunning()).containsExactly("stuck");
    assertThat(vertx.deploymentIDs()).doesNotContain(id);

    // The listener was removed on undeploy: the stuck run's late end is not published.
    await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.getString("event").equals("closed")));
    int published = events.size();
    TestTasks.Stuck.release();
    await().atMost(WAIT).until(() -> state(tasks, "stuck") == TaskState.CANCELLED);
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> events.size() == published);
  }

  @Test
  void publishesTheExactEventsOfATaskThatFailsTwiceThenSucceeds() {
    List<JsonObject> events = events("ops.events");
    String id = deploy(new JsonObject().put("eventsAddress", "ops.events")
        .put("tasks", new JsonArray().add(task("flaky", TestTasks.FailsTwice.class)
            .put("backoff", new JsonObject().put("initialInterval", "5ms").put("maxInterval", "5ms")
                .put("randomizationFactor", 0))
            .put("options", new JsonObject().put("restartOnFailureOnly", true)))));

    await().atMost(WAIT).until(() -> events.size() >= 8);
    assertThat(events).extracting(e -> e.getString("event") + "/" + e.getInteger("attempt"))
        .containsExactly("started/1", "failed/1", "restart-scheduled/2", "started/2",
            "failed/2", "restart-scheduled/3", "started/3", "succeeded/3");
    assertThat(events).allSatisfy(e -> {
      assertThat(e.getString("task")).isEqualTo("flaky");
      assertThat(Instant.parse(e.getString("at"))).isBeforeOrEqualTo(Instant.now());
    });
    assertThat(events.get(1).getJsonObject("error")).isEqualTo(new JsonObject()
        .put("type", "java.lang.IllegalStateException").put("message", "failure 1")
        .put("at", events.get(1).getString("at")));
    assertThat(events.get(4).getJsonObject("error").getString("message")).isEqualTo("failure 2");
    assertThat(events.get(2).getLong("delayMs")).isEqualTo(5L);
    assertThat(events.get(0).containsKey("delayMs")).isFalse();
    assertThat(events.get(0).containsKey("error")).isFalse();
    assertThat(state(tasks, "flaky")).isEqualTo(TaskState.COMPLETED);

    vertx.undeploy(id).await();

    // Completed tasks are not cancelled; the tracker's close is the last event.
    await().atMost(WAIT).until(() -> events.size() == 9);
    assertThat(events.get(8).getString("event")).isEqualTo("closed");
    assertThat(events.get(8).getString("task")).isEqualTo("*");
  }

  @Test
  void publishesCancelledThenClosedOnUndeploy() {
    List<JsonObject> events = events("background.tasks.events");
    String id = deploy(new JsonObject().put("tasks", new JsonArray()
        .add(task("waits", TestTasks.Waits.class))));
    await().atMost(WAIT).until(() -> events.size() == 1);

    vertx.undeploy(id).await();

    // The run ends normally when its context is cancelled: succeeded, then cancelled.
    await().atMost(WAIT).until(() -> events.size() == 4);
    assertThat(events).extracting(e -> e.getString("event"))
        .containsExactly("started", "succeeded", "cancelled", "closed");
    await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> events.size() == 4);
  }

  @Test
  void httpEnabledServesStatusOnTheBoundPortUntilUndeployed() {
    TasksVerticle verticle = new TasksVerticle(tasks);
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("enabled", true).put("host", "127.0.0.1").put("port", 0))
        .put("tasks", new JsonArray().add(task("served", TestTasks.Waits.class)));
    String id = vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
    WebClient web = WebClient.create(vertx);
    try {
      int port = verticle.httpPort();
      assertThat(port).isPositive();
      JsonArray listed = web.get(port, "127.0.0.1", "/tasks").send().await().bodyAsJsonArray();
      assertThat(listed.getJsonObject(0).getString("name")).isEqualTo("served");

      vertx.undeploy(id).await();

      assertThat(catchThrowable(() -> web.get(port, "127.0.0.1", "/tasks").send().await()))
          .isNotNull();
    } finally {
      web.close();
    }
  }

  @Test
  void httpDisabledServesNothing() {
    TasksVerticle verticle = new TasksVerticle(tasks);
    vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(new JsonObject()
        .put("http", new JsonObject().put("enabled", false)))).await();
    assertThat(verticle.httpPort()).isEqualTo(-1);
  }

  @Test
  void badHttpConfigFailsTheDeploymentWithTheKeyPathAndStartsNothing() {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("enabled", true).put("port", 70000))
        .put("tasks", new JsonArray().add(task("never", TestTasks.Waits.class)));

    Throwable failure = catchThrowable(() -> deploy(config));

    assertThat(failure).hasMessage("http.port: must be between 0 and 65535, was 70000");
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void aPublicHostWithoutATokenIsRefused() {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("enabled", true).put("host", "0.0.0.0"));

    Throwable failure = catchThrowable(() -> deploy(config));

    assertThat(failure).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("http.host: ");
  }

  @Test
  void clusterKeysAreCheckedWithTheirPath() {
    assertThat(catchThrowable(() -> deploy(new JsonObject()
        .put("cluster", new JsonObject().put("locks", "raft")))))
        .hasMessage("cluster.locks: must be \"shared-data\" or \"cp\", was \"raft\"");
    assertThat(catchThrowable(() -> deploy(new JsonObject()
        .put("cluster", new JsonObject().put("replyTimeout", "soon")))))
        .hasMessageStartingWith("cluster.replyTimeout: must be a duration");
  }

  @Test
  void clusterEnabledOnAPlainVertxFailsTheDeployment() {
    assertThat(catchThrowable(() -> deploy(new JsonObject()
        .put("cluster", new JsonObject().put("enabled", true)))))
        .hasMessageStartingWith("cluster.enabled: Vert.x is not clustered");
  }

  @Test
  void cpLocksNeedAVertxStartedByClusterVertx() {
    Throwable byName = catchThrowable(() -> vertx.deployVerticle("dev.background.verticle.TasksVerticle",
        new DeploymentOptions().setConfig(new JsonObject().put("cluster",
            new JsonObject().put("enabled", true).put("locks", "cp")))).await());
    Throwable given = catchThrowable(() -> deploy(new JsonObject().put("cluster",
        new JsonObject().put("enabled", true).put("locks", "cp"))));

    assertThat(byName).hasMessageStartingWith("cluster.locks: \"cp\" needs a Vert.x started by ClusterVertx");
    assertThat(given).hasMessageStartingWith("cluster.locks: \"cp\" applies when the verticle makes its own");
  }

  @Test
  void declaredTaskWithAutoStartFalseWaitsForStart() {
    deploy(new JsonObject().put("tasks", new JsonArray()
        .add(task("later", TestTasks.Waits.class).put("autoStart", false))));

    assertThat(tasks.list()).isEmpty();
  }

  private String deploy(JsonObject config) {
    return vertx.deployVerticle(new TasksVerticle(tasks), new DeploymentOptions().setConfig(config))
        .await();
  }

  private List<JsonObject> events(String address) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> c = vertx.eventBus().consumer(address, m -> events.add(m.body()));
    c.completion().await();
    return events;
  }

  static JsonObject task(String name, Class<?> taskClass) {
    return new JsonObject().put("name", name).put("class", taskClass.getName());
  }

  static TaskState state(Tasks tasks, String name) {
    return tasks.status(name).map(TaskStatus::state).orElse(null);
  }
}
