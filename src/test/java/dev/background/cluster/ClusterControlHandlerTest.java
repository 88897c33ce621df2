package dev.background.cluster;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.control.TaskStarter;
import dev.background.eventbus.ControlHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The cluster fan-out without a cluster: two "nodes" are two trackers in one Vert.x, each served
 * by its own control handler on its node address and listed in the node registry (a local
 * shared-data map here). The cluster handler reads requests with the control package's parser.
 */
@ExtendWith(VertxExtension.class)
class ClusterControlHandlerTest {

  private static final String ADDRESS = "test.cluster.control";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Backoff HOUR = Backoff.fixed(Duration.ofHours(1));

  private Vertx vertx;
  private final List<Tasks> trackers = new ArrayList<>();
  private final List<NodeRegistry> registries = new ArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    NodeRegistry first = node("n1");
    node("n2");
    vertx.eventBus().consumer(ADDRESS, new ClusterControlHandler(vertx, first,
        ClusterControl.nodeAddress(ADDRESS, "n1"), Duration.ofSeconds(5))).completion().await();
  }

  @AfterEach
  void tearDown() {
    registries.forEach(r -> r.leave().await());
    trackers.forEach(t -> t.close().await());
  }

  /** A node: a tracker, its control handler on its node address, its registry entry. */
  private NodeRegistry node(String id) {
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    trackers.add(tasks);
    String address = ClusterControl.nodeAddress(ADDRESS, id);
    vertx.eventBus().consumer(address, new ControlHandler(vertx, tasks, TaskStarter.NONE))
        .completion().await();
    NodeRegistry registry = new NodeRegistry(vertx, ADDRESS, id, address);
    registry.join().await();
    registries.add(registry);
    return registry;
  }

  private TaskHandle waits(int node, String name) {
    TaskHandle h = trackers.get(node).runAsync(name, ctx -> ctx.onCancel(), HOUR, RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.RUNNING);
    return h;
  }

  private JsonObject ok(Object body) {
    return vertx.eventBus().<JsonObject>request(ADDRESS, body).await().body();
  }

  private ReplyException refused(Object body) {
    Throwable t = catchThrowable(() -> ok(body));
    assertThat(t).isInstanceOf(ReplyException.class);
    return (ReplyException) t;
  }

  private static JsonObject request(String action, String name) {
    JsonObject json = new JsonObject().put("action", action);
    return name == null ? json : json.put("name", name);
  }

  @Test
  void listCombinesEveryNodesTasks() {
    waits(0, "a");
    waits(1, "b");

    JsonObject reply = ok(request("list", null));

    assertThat(reply.getJsonArray("tasks").stream().map(o -> ((JsonObject) o).getString("name")))
        .containsExactly("a", "b");
    assertThat(reply.getJsonArray("nodes")).containsExactly("n1", "n2");
    assertThat(reply.getJsonArray("unreachable")).isEmpty();
  }

  /** Every page of the cluster-wide list, from the first, {@code limit} at a time. */
  private List<JsonObject> pages(int limit) {
    List<JsonObject> pages = new ArrayList<>();
    String after = null;
    do {
      JsonObject body = request("list", null).put("limit", limit);
      if (after != null) {
        body.put("after", after);
      }
      JsonObject page = ok(body);
      pages.add(page);
      after = page.getString("next");
    } while (after != null && pages.size() < 50);
    return pages;
  }

  private static List<String> names(List<JsonObject> pages) {
    List<String> names = new ArrayList<>();
    pages.forEach(p -> p.getJsonArray("tasks").forEach(t -> names.add(((JsonObject) t).getString("name"))));
    return names;
  }

  @Test
  void pagesOfTheClusterWideListMissAndRepeatNothing() {
    for (String n : List.of("a", "c", "e", "g")) {
      waits(0, n);
    }
    for (String n : List.of("b", "c", "d", "f", "g")) {
      waits(1, n);
    }

    List<JsonObject> pages = pages(3);

    assertThat(names(pages)).containsExactly("a", "b", "c", "c", "d", "e", "f", "g", "g");
    assertThat(pages).allSatisfy(p -> assertThat(p.getJsonArray("tasks").size()).isBetween(1, 3));
    assertThat(pages.get(pages.size() - 1).getString("next")).isNull();
  }

  @Test
  void aNameOnEveryNodeStaysOnOnePageEvenOverALimitOfOne() {
    waits(0, "a");
    waits(1, "b");
    waits(0, "c");
    waits(1, "c");

    List<JsonObject> pages = pages(1);

    assertThat(names(pages)).containsExactly("a", "b", "c", "c");
    assertThat(pages).hasSize(3);
    assertThat(pages.get(2).getJsonArray("tasks")).hasSize(2);
  }

  @Test
  void summaryAddsUpTheNodes() {
    waits(0, "a");
    waits(1, "b");
    waits(1, "c");

    JsonObject reply = ok(request("summary", null));

    assertThat(reply.getLong("tasks")).isEqualTo(3);
    assertThat(reply.getJsonObject("states").getLong("RUNNING")).isEqualTo(3);
    assertThat(reply.getJsonObject("kinds").getLong("RUN")).isEqualTo(3);
    assertThat(reply.getJsonObject("totals").getLong("runs")).isEqualTo(3);
    assertThat(reply.getJsonArray("nodes")).containsExactly("n1", "n2");
    assertThat(dev.background.TasksSummary.fromJson(reply).tasks()).isEqualTo(3);
  }

  @Test
  void anActionReachesTheNodeThatHasTheTask() {
    TaskHandle b = waits(1, "b");

    JsonObject reply = ok(request("pause", "b"));

    assertThat(reply.getBoolean("paused")).isTrue();
    assertThat(b.status().paused()).isTrue();
    assertThat(reply.getJsonArray("nodes")).containsExactly(
        new JsonObject().put("node", "n1").put("code", 404).put("error", "no task named \"b\""),
        new JsonObject().put("node", "n2").put("code", 200).putNull("error"));
  }

  @Test
  void aNodesConflictIsTheAnswerWhenNoNodeSucceeded() {
    waits(0, "a");

    ReplyException e = refused(request("restart", "a"));

    assertThat(e.failureCode()).isEqualTo(409);
    assertThat(e.getMessage()).isEqualTo("n1: a: is running; restart skips the wait between runs");
  }

  @Test
  void aTaskNoNodeHasIs404() {
    ReplyException e = refused(request("status", "nope"));

    assertThat(e.failureCode()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("no task named \"nope\" on any node");
  }

  @Test
  void scopeLocalAsksThisNodeOnly() {
    waits(1, "b");

    ReplyException e = refused(request("status", "b").put("scope", "local"));

    assertThat(e.failureCode()).isEqualTo(404);
    assertThat(e.getMessage()).isEqualTo("no task named \"b\"");
  }

  @Test
  void aNodeThatDoesNotAnswerIsListedAsUnreachable() {
    registries.add(new NodeRegistry(vertx, ADDRESS, "n3", "nobody.listens.here"));
    registries.get(registries.size() - 1).join().await();
    waits(0, "a");

    JsonObject reply = ok(request("list", null));

    assertThat(reply.getJsonArray("nodes")).containsExactly("n1", "n2");
    assertThat(reply.getJsonArray("unreachable")).containsExactly("n3");
  }

  @Test
  void aNodeThatNeverRepliesIsListedAsUnreachableOnceTheReplyTimeoutIsOver() {
    String silent = ClusterControl.nodeAddress(ADDRESS, "n3");
    vertx.eventBus().consumer(silent, msg -> { }).completion().await();
    registries.add(new NodeRegistry(vertx, ADDRESS, "n3", silent));
    registries.get(registries.size() - 1).join().await();
    String quick = ADDRESS + ".quick";
    vertx.eventBus().consumer(quick, new ClusterControlHandler(vertx, registries.get(0),
        ClusterControl.nodeAddress(ADDRESS, "n1"), Duration.ofMillis(300))).completion().await();

    JsonObject reply = vertx.eventBus().<JsonObject>request(quick, request("list", null),
        new DeliveryOptions().setSendTimeout(WAIT.toMillis())).await().body();

    assertThat(reply.getJsonArray("nodes")).containsExactly("n1", "n2");
    assertThat(reply.getJsonArray("unreachable")).containsExactly("n3");
  }

  @Test
  void malformedRequestsAreRefusedHereWithTheParsersMessages() {
    assertThat(refused(Buffer.buffer("{}")).getMessage())
        .isEqualTo("body: must be a JSON object such as {\"action\": \"list\"}, was a buffer of 2 bytes");
    assertThat(refused(request("cancel", "a").put("force", true)).getMessage())
        .isEqualTo("unknown key \"force\"; expected action, name, scope");
    assertThat(refused(request("list", null).put("scope", "all")).getMessage())
        .isEqualTo("scope: must be \"local\" or \"cluster\", was \"all\"");
    assertThat(refused(request("pause", "x".repeat(513))).getMessage())
        .isEqualTo("name: too long, 513 characters (at most 512)");
    assertThat(refused(new JsonArray()).failureCode()).isEqualTo(400);
  }
}
