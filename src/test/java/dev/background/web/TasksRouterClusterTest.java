package dev.background.web;

import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static dev.background.web.WebFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP task routes of a router with a cluster address: they send the control request over the
 * event bus to that address (where the verticle's cluster handler fans it out) and answer with the
 * reply, or with the refusal's code, exactly like {@code GET /tasks}. A fake consumer stands in for
 * the cluster: it records each request and answers as the test tells it.
 */
@ExtendWith(VertxExtension.class)
class TasksRouterClusterTest {

  private static final String TOKEN = "cluster-token-0123456789";
  private static final String CLUSTER = "test.cluster.tasks";

  private Vertx vertx;
  private Tasks tasks;
  private HttpServer server;
  private WebClient client;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private volatile Consumer<Message<JsonObject>> cluster;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    vertx.eventBus().<JsonObject>consumer(CLUSTER, msg -> {
      received.add(msg.body());
      cluster.accept(msg);
    }).completion().await();
    server = WebFixtures.serve(vertx, TasksRouter.create(vertx, tasks,
        new TasksWebOptions().setControlToken(TOKEN).setClusterAddress(CLUSTER)));
    client = WebClient.create(vertx);
  }

  @AfterEach
  void tearDown() {
    client.close();
    tasks.close().await();
  }

  private HttpResponse<Buffer> control(String path) {
    return client.post(server.actualPort(), "127.0.0.1", path).bearerTokenAuthentication(TOKEN)
        .send().await();
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(server.actualPort(), "127.0.0.1", path).send().await();
  }

  private static JsonObject status(String name, String state) {
    return new JsonObject().put("name", name).put("state", state).put("node", "n2")
        .put("nodes", new JsonArray().add(new JsonObject().put("node", "n2").put("code", 200)))
        .put("unreachable", new JsonArray().add("n3"));
  }

  private static String error(HttpResponse<Buffer> response, int status) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(status);
    return response.bodyAsJsonObject().getString("error");
  }

  @Test
  void controlIsSentToTheClusterAndItsReplyAnswered() {
    TaskHandle local = running(tasks, "worker");
    cluster = msg -> msg.reply(status("worker", "PAUSED"));

    HttpResponse<Buffer> r = control("/tasks/worker/pause");

    assertThat(received).containsExactly(new JsonObject().put("action", "pause").put("name", "worker"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject()).isEqualTo(status("worker", "PAUSED"));
    assertThat(r.getHeader("X-Unreachable-Nodes")).isEqualTo("n3");
    assertThat(local.status().paused()).as("the cluster handler acts, not this router").isFalse();
  }

  @Test
  void everyControlActionGoesToTheCluster() {
    cluster = msg -> msg.reply(status("worker", "BACKING_OFF"));

    for (String action : List.of("cancel", "restart", "pause", "resume")) {
      assertThat(control("/tasks/worker/" + action).statusCode()).as(action).isEqualTo(200);
    }

    assertThat(received).extracting(j -> j.getString("action"))
        .containsExactly("cancel", "restart", "pause", "resume");
  }

  @Test
  void aCancelTheClusterReportsStillRunningIs202() {
    cluster = msg -> msg.reply(status("stubborn", "RUNNING"));

    HttpResponse<Buffer> r = control("/tasks/stubborn/cancel");

    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.bodyAsJsonObject().getString("state")).isEqualTo("RUNNING");
  }

  @Test
  void theClustersConflictIs409WithItsMessage() {
    cluster = msg -> msg.fail(409, "n2: worker: is running; restart skips the wait between runs");

    assertThat(error(control("/tasks/worker/restart"), 409))
        .isEqualTo("n2: worker: is running; restart skips the wait between runs");
  }

  @Test
  void theClustersNotFoundIs404() {
    cluster = msg -> msg.fail(404, "no task named \"nobody\" on any node");

    assertThat(error(control("/tasks/nobody/cancel"), 404)).isEqualTo("no task named \"nobody\" on any node");
  }

  @Test
  void aClusterThatFailsOtherwiseIs503WithAHint() {
    cluster = msg -> msg.fail(500, "no node answered (unreachable: [\"n1\"])");

    assertThat(error(control("/tasks/worker/pause"), 503)).startsWith("cluster-wide pause is unavailable: ")
        .contains("no node answered").endsWith("?scope=local acts on this node's tasks");
  }

  @Test
  void noHandlerOnTheClusterAddressIs503() {
    server = WebFixtures.serve(vertx, TasksRouter.create(vertx, tasks,
        new TasksWebOptions().setControlToken(TOKEN).setClusterAddress("nobody.listens")));

    error(control("/tasks/worker/pause"), 503);
  }

  @Test
  void scopeLocalActsOnThisNodeOnly() {
    TaskHandle local = running(tasks, "worker");
    cluster = msg -> msg.fail(500, "must not be asked");

    HttpResponse<Buffer> r = control("/tasks/worker/pause?scope=local");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(local.status().paused()).isTrue();
    assertThat(received).isEmpty();
  }

  @Test
  void statusOfOneTaskIsAskedOfTheCluster() {
    cluster = msg -> msg.reply(status("worker", "RUNNING"));

    HttpResponse<Buffer> r = get("/tasks/worker");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("node")).isEqualTo("n2");
    assertThat(received).containsExactly(new JsonObject().put("action", "status").put("name", "worker"));
  }

  @Test
  void theListIsAskedOfTheClusterWithItsFilters() {
    cluster = msg -> msg.reply(new JsonObject().put("tasks", new JsonArray()
        .add(new JsonObject().put("name", "b").put("state", "PAUSED").put("kind", "RUN")))
        .put("next", null).put("nodes", new JsonArray().add("n1")).put("unreachable", new JsonArray()));

    HttpResponse<Buffer> r = get("/tasks?state=paused");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonArray().stream().map(o -> ((JsonObject) o).getString("name"))).containsExactly("b");
    assertThat(received).containsExactly(new JsonObject().put("action", "list")
        .put("state", new JsonArray().add("PAUSED")));
  }

  @Test
  void aPageIsAskedOfTheClusterWithItsCursor() {
    cluster = msg -> msg.reply(new JsonObject().put("tasks", new JsonArray()
        .add(new JsonObject().put("name", "c").put("state", "RUNNING").put("kind", "RUN")))
        .put("next", "c").put("nodes", new JsonArray().add("n1")).put("unreachable", new JsonArray()));

    HttpResponse<Buffer> r = get("/tasks?limit=1&after=b");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getString("next")).isEqualTo("c");
    assertThat(r.bodyAsJsonObject().getJsonArray("tasks")).hasSize(1);
    assertThat(received).containsExactly(new JsonObject().put("action", "list").put("limit", 1)
        .put("after", "b"));
  }

  @Test
  void theSummaryIsAskedOfTheCluster() {
    cluster = msg -> msg.reply(new JsonObject().put("tasks", 7).put("nodes", new JsonArray().add("n1"))
        .put("unreachable", new JsonArray()));

    HttpResponse<Buffer> r = get("/tasks/summary");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getInteger("tasks")).isEqualTo(7);
    assertThat(received).containsExactly(new JsonObject().put("action", "summary"));
  }

  @Test
  void aMalformedRequestIsRefusedWithoutAskingTheCluster() {
    cluster = msg -> msg.fail(500, "must not be asked");

    assertThat(error(control("/tasks/" + "x".repeat(513) + "/pause"), 400))
        .isEqualTo("name: too long, 513 characters (at most 512)");
    assertThat(error(control("/tasks/worker/pause?scope=everywhere"), 400))
        .isEqualTo("scope: must be \"local\" or \"cluster\", was \"everywhere\"");
    assertThat(received).isEmpty();
  }

  @Test
  void theTokenIsCheckedBeforeTheClusterIsAsked() {
    cluster = msg -> msg.fail(500, "must not be asked");

    HttpResponse<Buffer> r = client.post(server.actualPort(), "127.0.0.1", "/tasks/worker/cancel")
        .bearerTokenAuthentication("wrong").send().await();

    error(r, 403);
    assertThat(received).isEmpty();
  }

  @Test
  void theLocalTaskIsUntouchedWhenTheClusterRefuses() {
    TaskHandle local = running(tasks, "worker");
    cluster = msg -> msg.fail(409, "n1: worker: is running");

    error(control("/tasks/worker/restart"), 409);

    assertThat(local.status().state()).isEqualTo(TaskState.RUNNING);
    assertThat(local.status().restarts()).isZero();
  }
}
