package dev.background.eventbus;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskContext;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.verticle.TasksVerticle;
import dev.background.TestTasks;
import dev.background.control.TaskStarter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Every control action over the event bus and every failure code, through a deployed
 * {@link TasksVerticle}; and the promise that malformed requests get a reply and change nothing.
 */
@ExtendWith(VertxExtension.class)
class ControlHandlerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ADDRESS = "background.tasks";
  private static final JsonObject ONE_HOUR = new JsonObject().put("initialInterval", "1h")
      .put("maxInterval", "1h").put("randomizationFactor", 0);

  private Vertx vertx;
  private Tasks tasks;

  /**
   * Tasks in stable states: {@code waits} RUNNING until cancelled, {@code backing-off} waiting an
   * hour, {@code paused} PAUSED, {@code once-done} COMPLETED, {@code stuck} RUNNING and ignoring
   * cancellation; {@code manual}, {@code manual-once} and {@code broken} declared, not started.
   */
  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(1)));
    JsonObject config = new JsonObject().put("tasks", new JsonArray()
        .add(task("waits", TestTasks.Waits.class))
        .add(task("backing-off", TestTasks.Ends.class).put("backoff", ONE_HOUR))
        .add(task("paused", TestTasks.Ends.class).put("backoff", ONE_HOUR))
        .add(task("once-done", TestTasks.Ends.class).put("mode", "once"))
        .add(task("stuck", TestTasks.Stuck.class))
        .add(task("manual", TestTasks.Waits.class).put("autoStart", false))
        .add(task("manual-once", TestTasks.BlockingEnds.class).put("mode", "once")
            .put("autoStart", false))
        .add(task("broken", TestTasks.ThrowsInConstructor.class).put("autoStart", false)));
    vertx.deployVerticle(new TasksVerticle(tasks), new DeploymentOptions().setConfig(config)).await();
    await().atMost(WAIT).until(() -> state("backing-off") == TaskState.BACKING_OFF
        && state("paused") == TaskState.BACKING_OFF && state("once-done") == TaskState.COMPLETED
        && state("stuck") == TaskState.RUNNING && state("waits") == TaskState.RUNNING);
    tasks.handle("paused").orElseThrow().pause().await();
  }

  @AfterEach
  void tearDown() {
    TestTasks.Stuck.release();
    tasks.close().otherwiseEmpty().await();
  }

  // ---------------------------------------------------------------- list and status

  @Test
  void listRepliesEveryStatusSortedByName() {
    JsonObject reply = ok(request("list", null));

    List<TaskStatus> list = reply.getJsonArray("tasks").stream()
        .map(o -> TaskStatus.fromJson((JsonObject) o)).collect(Collectors.toList());
    assertThat(list).extracting(TaskStatus::name)
        .containsExactly("backing-off", "once-done", "paused", "stuck", "waits");
    assertThat(list).extracting(TaskStatus::state).containsExactly(TaskState.BACKING_OFF,
        TaskState.COMPLETED, TaskState.PAUSED, TaskState.RUNNING, TaskState.RUNNING);
  }

  @Test
  void statusRepliesTheTaskStatus() {
    JsonObject reply = ok(request("status", "backing-off"));

    assertThat(reply).isEqualTo(tasks.status("backing-off").orElseThrow().toJson());
    assertThat(reply.getString("state")).isEqualTo("BACKING_OFF");
    assertThat(reply.getString("kind")).isEqualTo("RUN");
    assertThat(reply.getLong("currentDelayMs")).isEqualTo(3_600_000L);
  }

  @Test
  void statusOfAnUnknownTaskIs404() {
    ReplyException e = failed(request("status", "nope"));

    assertThat(e.failureCode()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("no task named \"nope\"");
  }

  @Test
  void statusOfADeclaredTaskNotYetStartedIs404SayingSo() {
    ReplyException e = failed(request("status", "manual"));

    assertThat(e.failureCode()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("task \"manual\" is declared but has not been started; "
        + "send {\"action\": \"start\", \"name\": \"manual\"}");
  }

  // ---------------------------------------------------------------- cancel

  @Test
  void cancelStopsTheTaskAndRepliesWhenItHasEnded() {
    JsonObject reply = ok(request("cancel", "waits"));

    assertThat(reply.getString("state")).isEqualTo("CANCELLED");
    assertThat(state("waits")).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void cancelOfABackingOffTaskCancelsItsPendingRestart() {
    assertThat(ok(request("cancel", "backing-off")).getString("state")).isEqualTo("CANCELLED");
    assertThat(ok(request("status", "backing-off")).getString("nextRunAt")).isNull();
  }

  @Test
  void cancelIsIdempotent() {
    ok(request("cancel", "waits"));

    assertThat(ok(request("cancel", "waits")).getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void cancelOfAnEndedTaskRepliesItsFinalStatusAndChangesNothing() {
    JsonObject before = tasks.status("once-done").orElseThrow().toJson();

    JsonObject reply = ok(request("cancel", "once-done"));

    assertThat(reply).isEqualTo(before);
    assertThat(reply.getString("state")).isEqualTo("COMPLETED");
    assertThat(tasks.status("once-done").orElseThrow().toJson()).isEqualTo(before);
  }

  @Test
  void cancelOfAnUnknownTaskIs404() {
    assertThat(failed(request("cancel", "nope")).failureCode()).isEqualTo(404);
  }

  @Test
  void cancelOfATaskIgnoringItRepliesAfterTheCancelWaitWithTheTaskStillRunning() {
    vertx.eventBus().consumer("test.control",
        new ControlHandler(vertx, tasks, TaskStarter.NONE, Duration.ofMillis(100)))
        .completion().await();

    JsonObject reply = ok(vertx.eventBus().<Object>request("test.control",
        new JsonObject().put("action", "cancel").put("name", "stuck")).await());

    assertThat(reply.getString("state")).isEqualTo("RUNNING");
    TestTasks.Stuck.release();
    await().atMost(WAIT).until(() -> state("stuck") == TaskState.CANCELLED);
  }

  // ---------------------------------------------------------------- restart

  @Test
  void restartRunsABackingOffTaskNow() {
    JsonObject reply = ok(request("restart", "backing-off"));

    assertThat(reply.getLong("runs")).isEqualTo(2);
    assertThat(reply.getLong("restarts")).isEqualTo(1);
  }

  @Test
  void restartOfARunningTaskIs409() {
    ReplyException e = failed(request("restart", "waits"));

    assertThat(e.failureCode()).isEqualTo(409);
    assertThat(e.getMessage()).isEqualTo("waits: is running; restart skips the wait between runs");
  }

  @Test
  void restartOfAOnceTaskIs409() {
    ReplyException e = failed(request("restart", "once-done"));

    assertThat(e.failureCode()).isEqualTo(409);
    assertThat(e.getMessage()).isEqualTo("once-done: a once task cannot be restarted");
  }

  @Test
  void restartOfACancelledTaskIs409() {
    ok(request("cancel", "waits"));

    ReplyException e = failed(request("restart", "waits"));

    assertThat(e.failureCode()).isEqualTo(409);
    assertThat(e.getMessage()).isEqualTo("waits: is CANCELLED and cannot be restarted");
  }

  // ---------------------------------------------------------------- pause and resume

  @Test
  void pauseAndResumeARunningTask() {
    JsonObject paused = ok(request("pause", "waits"));
    assertThat(paused.getBoolean("paused")).isTrue();
    assertThat(paused.getString("state")).isEqualTo("RUNNING");
    assertThat(ok(request("pause", "waits")).getBoolean("paused")).isTrue();

    JsonObject resumed = ok(request("resume", "waits"));

    assertThat(resumed.getBoolean("paused")).isFalse();
    assertThat(resumed.getString("state")).isEqualTo("RUNNING");
  }

  @Test
  void pauseAndResumeABackingOffTask() {
    assertThat(ok(request("pause", "backing-off")).getString("state")).isEqualTo("PAUSED");
    assertThat(ok(request("resume", "backing-off")).getString("state")).isEqualTo("BACKING_OFF");
  }

  @Test
  void pauseOrResumeOfAOnceTaskIs409() {
    assertThat(failed(request("pause", "once-done")).failureCode()).isEqualTo(409);
    assertThat(failed(request("resume", "once-done")).failureCode()).isEqualTo(409);
  }

  @Test
  void pauseOfAnUnknownTaskIs404() {
    assertThat(failed(request("pause", "nope")).failureCode()).isEqualTo(404);
    assertThat(failed(request("resume", "nope")).failureCode()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- start

  @Test
  void startStartsADeclaredTaskThatIsNotRunning() {
    JsonObject reply = ok(request("start", "manual"));

    assertThat(reply.getString("name")).isEqualTo("manual");
    assertThat(reply.getString("state")).isEqualTo("RUNNING");
    ReplyException again = failed(request("start", "manual"));
    assertThat(again.failureCode()).isEqualTo(409);
    assertThat(again.getMessage()).isEqualTo("manual: is RUNNING; start applies to a task that "
        + "has not started or has ended");
  }

  @Test
  void startStartsACancelledDeclaredTaskAfresh() {
    ok(request("cancel", "waits"));

    JsonObject reply = ok(request("start", "waits"));

    assertThat(reply.getString("state")).isEqualTo("RUNNING");
    assertThat(reply.getLong("runs")).isEqualTo(1);
  }

  @Test
  void startRunsADeclaredOnceTaskAgain() {
    ok(request("start", "once-done"));

    await().atMost(WAIT).until(() -> tasks.status("once-done").orElseThrow().runs() == 2);
    assertThat(state("once-done")).isEqualTo(TaskState.COMPLETED);
    assertThat(ok(request("start", "manual-once")).getString("kind")).isEqualTo("ONCE");
    await().atMost(WAIT).until(() -> state("manual-once") == TaskState.COMPLETED);
  }

  @Test
  void startOfAnUnknownTaskIs404() {
    ReplyException e = failed(request("start", "nope"));

    assertThat(e.failureCode()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("no task named \"nope\"");
  }

  @Test
  void startOfATaskThatWasNotDeclaredIs409() {
    tasks.runAsync("app-task", TaskContext::onCancel, Backoff.defaults(), RunOption.exactName())
        .cancel().await();

    ReplyException e = failed(request("start", "app-task"));

    assertThat(e.failureCode()).isEqualTo(409);
    assertThat(e.getMessage()).isEqualTo("app-task: is not a declared task; only tasks declared "
        + "in the configuration can be started");
  }

  @Test
  void startWhoseConstructorFailsIs500AndStartsNothing() {
    ReplyException e = failed(request("start", "broken"));

    assertThat(e.failureCode()).isEqualTo(500);
    assertThat(e.getMessage()).contains("tasks[7].class: constructor of "
        + TestTasks.ThrowsInConstructor.class.getName()
        + " failed: java.lang.IllegalStateException: no database");
    assertThat(tasks.status("broken")).isEmpty();
  }

  // ---------------------------------------------------------------- closed tracker

  @Test
  void closedTrackerRefusesChangesWith409ButStillAnswersQueriesAndCancel() {
    TestTasks.Stuck.release();
    tasks.close().await();

    for (String action : List.of("restart", "pause", "resume", "start")) {
      ReplyException e = failed(request(action, "manual"));
      assertThat(e.failureCode()).as(action).isEqualTo(409);
      assertThat(e.getMessage()).isEqualTo("the tracker is closed; " + action + " is refused");
    }
    assertThat(ok(request("list", null)).getJsonArray("tasks")).hasSize(5);
    assertThat(ok(request("status", "waits")).getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void cancelOnAClosedTrackerRepliesTheFinalStatus() {
    TestTasks.Stuck.release();
    tasks.close().await();

    assertThat(ok(request("cancel", "waits")).getString("state")).isEqualTo("CANCELLED");
    assertThat(ok(request("cancel", "once-done")).getString("state")).isEqualTo("COMPLETED");
    assertThat(failed(request("cancel", "nope")).failureCode()).isEqualTo(404);
  }

  // ---------------------------------------------------------------- malformed requests

  /** One request that must be refused. */
  private static final class Case {
    final String what;
    final Object body;
    final DeliveryOptions options;
    final int code;
    final String message;

    Case(String what, Object body, DeliveryOptions options, int code, String message) {
      this.what = what;
      this.body = body;
      this.options = options;
      this.code = code;
      this.message = message;
    }
  }

  private static List<Case> malformed() {
    List<Case> c = new ArrayList<>();
    String mb = "x".repeat(1 << 20);
    JsonObject manyKeys = new JsonObject().put("action", "list");
    for (int i = 0; i < 50_000; i++) {
      manyKeys.put("k" + i, i);
    }
    JsonObject deep = new JsonObject().put("leaf", true);
    for (int i = 0; i < 500; i++) {
      deep = new JsonObject().put("a", deep);
    }
    add(c, "null body", null, 400, "body: must be a JSON object such as {\"action\": \"list\"}, was null");
    add(c, "a string", "list", 400, "body: must be a JSON object such as {\"action\": \"list\"}, was a string");
    add(c, "an empty string", "", 400, "was a string");
    add(c, "JSON text in a string", "{\"action\":\"list\"}", 400, "was a string");
    add(c, "a 1 MB string", mb, 400, "was a string");
    add(c, "a buffer of JSON", Buffer.buffer("{\"action\":\"list\"}"), 400, "was a buffer of 17 bytes");
    add(c, "an empty buffer", Buffer.buffer(), 400, "was a buffer of 0 bytes");
    add(c, "bytes", new byte[] {1, 2, 3}, 400, "was a byte array of 3 bytes");
    add(c, "an int", 42, 400, "was a number (42)");
    add(c, "a long", 42L, 400, "was a number (42)");
    add(c, "a double", 3.14, 400, "was a number (3.14)");
    add(c, "a float", 1.5f, 400, "was a number (1.5)");
    add(c, "a short", (short) 1, 400, "was a number (1)");
    add(c, "a byte", (byte) 1, 400, "was a number (1)");
    add(c, "a char", 'c', 400, "was a java.lang.Character");
    add(c, "a boolean", true, 400, "was a boolean (true)");
    add(c, "a JSON array", new JsonArray().add(new JsonObject().put("action", "list")), 400,
        "was a JSON array");
    add(c, "an empty object", new JsonObject(), 400, "action: missing; expected one of list, "
        + "summary, status, cancel, restart, pause, resume, start, trigger, detail");
    add(c, "a name without action", new JsonObject().put("name", "waits"), 400, "action: missing");
    add(c, "a null action", new JsonObject().putNull("action"), 400, "action: missing");
    add(c, "a numeric action", new JsonObject().put("action", 42), 400,
        "action: must be a string, was a number (42)");
    add(c, "a boolean action", new JsonObject().put("action", true), 400,
        "action: must be a string, was a boolean (true)");
    add(c, "an array action", new JsonObject().put("action", new JsonArray().add("list")), 400,
        "action: must be a string, was a JSON array");
    add(c, "an object action", new JsonObject().put("action", new JsonObject().put("do", "list")),
        400, "action: must be a string, was a JSON object");
    add(c, "a deeply nested action", new JsonObject().put("action", deep), 400,
        "action: must be a string, was a JSON object");
    add(c, "an upper-case action", new JsonObject().put("action", "LIST"), 400,
        "action: unknown action \"LIST\"; expected one of list, summary, status, cancel, restart, "
            + "pause, resume, start");
    add(c, "a padded action", new JsonObject().put("action", " list "), 400,
        "action: unknown action \" list \"");
    add(c, "an empty action", new JsonObject().put("action", ""), 400, "action: unknown action \"\"");
    add(c, "an unknown action", new JsonObject().put("action", "explode").put("name", "waits"), 400,
        "action: unknown action \"explode\"");
    add(c, "a 1 MB action", new JsonObject().put("action", mb), 400,
        "(1048576 characters); expected one of");
    add(c, "a missing name", new JsonObject().put("action", "cancel"), 400,
        "name: missing; action \"cancel\" needs the task's name");
    add(c, "a null name", new JsonObject().put("action", "cancel").putNull("name"), 400, "name: missing");
    add(c, "a numeric name", new JsonObject().put("action", "pause").put("name", 42), 400,
        "name: must be a string, was a number (42)");
    add(c, "an array name", new JsonObject().put("action", "pause")
        .put("name", new JsonArray().add("waits")), 400, "name: must be a string, was a JSON array");
    add(c, "an empty name", new JsonObject().put("action", "pause").put("name", ""), 400,
        "name: must not be blank, was \"\"");
    add(c, "a blank name", new JsonObject().put("action", "pause").put("name", "   "), 400,
        "name: must not be blank");
    add(c, "a name one over the limit", new JsonObject().put("action", "pause")
        .put("name", "w".repeat(513)), 400, "name: too long, 513 characters (at most 512)");
    add(c, "a 1 MB name", new JsonObject().put("action", "status").put("name", mb), 400,
        "name: too long, 1048576 characters (at most 512)");
    add(c, "a bad name on list", new JsonObject().put("action", "list").put("name", 7), 400,
        "name: must be a string");
    add(c, "an unknown key", new JsonObject().put("action", "cancel").put("name", "waits")
        .put("force", true), 400, "unknown key \"force\"; expected action, name");
    add(c, "1 MB of padding", new JsonObject().put("action", "list").put("padding", mb), 400,
        "unknown key \"padding\"");
    add(c, "50 000 keys", manyKeys, 400, "unknown key \"k0\"");
    add(c, "a limit of 0", list().put("limit", 0), 400, "limit: must be a whole number from 1 to 2147483647, was 0");
    add(c, "a negative limit", list().put("limit", -5), 400, "limit: must be a whole number");
    add(c, "a limit over an int", list().put("limit", 1L << 40), 400,
        "limit: must be a whole number from 1 to 2147483647, was 1099511627776");
    add(c, "a string limit", list().put("limit", "10"), 400,
        "limit: must be a whole number from 1 to 2147483647, was a string");
    add(c, "a fractional limit", list().put("limit", 2.5), 400,
        "limit: must be a whole number from 1 to 2147483647, was a number (2.5)");
    add(c, "a blank cursor", list().put("after", " "), 400, "after: must not be blank, was \" \"");
    add(c, "a numeric cursor", list().put("after", 3), 400, "after: must be a string, was a number (3)");
    add(c, "a cursor over the name limit", list().put("after", "a".repeat(513)), 400,
        "after: too long, 513 characters (at most 512)");
    add(c, "an unknown state", list().put("state", new JsonArray().add("SLEEPING")), 400,
        "state: unknown value \"SLEEPING\" (expected one of PENDING");
    add(c, "a state that is not an array", list().put("state", "RUNNING"), 400,
        "state: must be an array of names such as [\"PENDING\"], was a string");
    add(c, "an empty kind filter", list().put("kind", new JsonArray()), 400,
        "kind: must name at least one of RUN, ONCE, SCHEDULE");
    add(c, "a limit on status", new JsonObject().put("action", "status").put("name", "waits")
        .put("limit", 3), 400, "unknown key \"limit\"; expected action, name");
    add(c, "a deeply nested extra key", new JsonObject().put("action", "list").put("deep", deep), 400,
        "unknown key \"deep\"");
    c.add(new Case("the request in headers", null, new DeliveryOptions()
        .addHeader("action", "cancel").addHeader("name", "waits"), 400, "body: must be a JSON object"));
    c.add(new Case("odd headers on a lookup", request("status", "nope"), new DeliveryOptions()
        .addHeader("action", "cancel").addHeader("content-type", "application/octet-stream")
        .addHeader("name", "\u0000"), 404, "no task named \"nope\""));
    add(c, "status of an unknown task", request("status", "no-such-task"), 404, "no task named");
    add(c, "cancel of an unknown task", request("cancel", "no-such-task"), 404, "no task named");
    add(c, "start of an unknown task", request("start", "no-such-task"), 404, "no task named");
    add(c, "restart of a running task", request("restart", "waits"), 409, "waits: is running");
    add(c, "restart of a once task", request("restart", "once-done"), 409, "a once task cannot");
    add(c, "pause of a once task", request("pause", "once-done"), 409, "a once task cannot");
    add(c, "resume of a once task", request("resume", "once-done"), 409, "a once task cannot");
    add(c, "start of a running task", request("start", "waits"), 409, "waits: is RUNNING");
    add(c, "start of a paused task", request("start", "paused"), 409, "paused: is PAUSED");
    add(c, "restart of a task being cancelled", request("restart", "stuck"), 409,
        "stuck: is being cancelled and cannot be restarted");
    add(c, "pause of a task being cancelled", request("pause", "stuck"), 409, "being cancelled");
    add(c, "resume of a task being cancelled", request("resume", "stuck"), 409, "being cancelled");
    return c;
  }

  private static JsonObject list() {
    return new JsonObject().put("action", "list");
  }

  private static void add(List<Case> cases, String what, Object body, int code, String message) {
    cases.add(new Case(what, body, new DeliveryOptions(), code, message));
  }

  @Test
  void malformedRequestsAllGetAReplyAndChangeNothing() {
    // "stuck" ignores cancellation: it stays RUNNING with a cancel pending, another stable state.
    tasks.handle("stuck").orElseThrow().cancel();
    JsonArray before = snapshot();
    List<Case> cases = malformed();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(30);

    SoftAssertions soft = new SoftAssertions();
    for (Case c : cases) {
      Throwable t = catchThrowable(() -> vertx.eventBus()
          .request(ADDRESS, c.body, new DeliveryOptions(c.options).setSendTimeout(5000)).await());
      soft.assertThat(t).as(c.what).isInstanceOf(ReplyException.class);
      if (t instanceof ReplyException) {
        ReplyException e = (ReplyException) t;
        soft.assertThat(e.failureType()).as(c.what).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
        soft.assertThat(e.failureCode()).as(c.what).isEqualTo(c.code);
        soft.assertThat(e.getMessage()).as(c.what).contains(c.message);
      }
    }
    soft.assertAll();

    // Every task exactly as before: states, counters, timestamps, pending restarts, history.
    assertThat(snapshot()).isEqualTo(before);
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> snapshot().equals(before));
    assertThat(state("stuck")).isEqualTo(TaskState.RUNNING);
    assertThat(tasks.status("paused").orElseThrow().state()).isEqualTo(TaskState.PAUSED);
  }

  // ---------------------------------------------------------------- helpers

  private JsonArray snapshot() {
    JsonArray all = new JsonArray();
    tasks.list().forEach(s -> all.add(s.toJson()));
    return all;
  }

  private TaskState state(String name) {
    return tasks.status(name).map(TaskStatus::state).orElse(null);
  }

  private static JsonObject request(String action, String name) {
    JsonObject body = new JsonObject().put("action", action);
    return name == null ? body : body.put("name", name);
  }

  private Message<Object> request(JsonObject body) {
    return vertx.eventBus().<Object>request(ADDRESS, body).await();
  }

  private JsonObject ok(JsonObject body) {
    return ok(request(body));
  }

  private static JsonObject ok(Message<Object> reply) {
    assertThat(reply.body()).isInstanceOf(JsonObject.class);
    return (JsonObject) reply.body();
  }

  private ReplyException failed(JsonObject body) {
    Throwable t = catchThrowable(() -> request(body));
    assertThat(t).isInstanceOf(ReplyException.class);
    ReplyException e = (ReplyException) t;
    assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
    return e;
  }

  private static JsonObject task(String name, Class<?> taskClass) {
    return new JsonObject().put("name", name).put("class", taskClass.getName());
  }
}
