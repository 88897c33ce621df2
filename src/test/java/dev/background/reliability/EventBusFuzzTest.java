package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.TasksSummary;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.verticle.TasksVerticle;
import dev.background.TestTasks;
import dev.background.control.ControlAction;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Fuzzes the event-bus control address of a deployed {@link TasksVerticle} with 10,000 generated
 * messages: near-valid requests with every field mangled, random JSON, arrays, strings, binary
 * buffers and byte arrays, scalars, nulls, huge (1 MB, 50,000 keys) and deep (800 levels) bodies,
 * random headers. Every
 * message gets exactly one reply within the send timeout: a valid answer, or a
 * {@link ReplyException} of type RECIPIENT_FAILURE with a 4xx code and a short message. No message
 * changes any task: the tasks sit in stable states (running until cancelled, blocked until
 * cancelled, backing off for an hour, paused, completed, given up, cancelled, declared and not
 * started) and their full statuses are compared after every message.
 *
 * <p>Requests that would legitimately change a live task (cancel, restart, pause, resume or start
 * of a live or declared task, well formed) are left out of the stream; ControlHandlerTest covers
 * them. The same actions on finished tasks stay in: they must be refused (or, for cancel, answer
 * the unchanged status).
 */
class EventBusFuzzTest {

  static final int MESSAGES = 10_000;
  private static final String ADDRESS = "fuzz.tasks";
  private static final List<String> LIVE_OR_DECLARED = List.of("waits", "blocked", "backing-off",
      "paused", "manual");
  private static final List<String> FINISHED = List.of("once-done", "gave-up", "cancelled");
  private static final Set<String> MUTATING = Set.of("cancel", "restart", "pause", "resume", "start");

  private static Vertx vertx;
  private static Tasks tasks;
  private static JsonArray before;
  private static final AtomicInteger sent = new AtomicInteger();
  private static final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

  @BeforeContainer
  static void deploy() {
    vertx = Vertx.vertx();
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
    JsonObject hour = new JsonObject().put("initialInterval", "1h").put("maxInterval", "1h")
        .put("randomizationFactor", 0);
    JsonObject config = new JsonObject().put("address", ADDRESS).put("tasks", new JsonArray()
        .add(task("waits", TestTasks.Waits.class))
        .add(task("blocked", TestTasks.BlocksUntilCancelled.class))
        .add(task("backing-off", TestTasks.Ends.class).put("backoff", hour))
        .add(task("paused", TestTasks.Ends.class).put("backoff", hour))
        .add(task("manual", TestTasks.Waits.class).put("autoStart", false)));
    vertx.deployVerticle(new TasksVerticle(tasks), new DeploymentOptions().setConfig(config)).await();
    tasks.onceAsync("once-done", ctx -> Future.succeededFuture(), RunOption.exactName()).completion().await();
    tasks.runAsync("gave-up", ctx -> Future.failedFuture("no"), Backoff.fixed(Duration.ofMillis(1))
        .toBuilder().maxAttempts(1).build(), RunOption.exactName()).completion().await();
    TaskHandle cancelled = tasks.runAsync("cancelled", ctx -> ctx.onCancel(), Backoff.defaults(),
        RunOption.exactName());
    cancelled.cancel().await();
    Waiting.quickly().until(() -> state("backing-off") == TaskState.BACKING_OFF
        && state("paused") == TaskState.BACKING_OFF && state("waits") == TaskState.RUNNING
        && state("blocked") == TaskState.RUNNING);
    tasks.handle("paused").orElseThrow().pause().await();
    before = snapshot();
  }

  @AfterContainer
  static void undeploy() {
    try {
      System.out.printf("EventBusFuzzTest: %d messages, replies by outcome: %s%n", sent.get(),
          new TreeMap<>(outcomes));
      assertThat(sent.get()).isGreaterThanOrEqualTo(MESSAGES);
      assertThat(outcomes.keySet()).as("no 5xx: nothing failed on the server side")
          .noneMatch(k -> k.startsWith("5"));
      assertThat(snapshot()).isEqualTo(before);
    } finally {
      vertx.close().await();
    }
  }

  private static TaskState state(String name) {
    return tasks.status(name).map(TaskStatus::state).orElse(null);
  }

  private static JsonArray snapshot() {
    JsonArray all = new JsonArray();
    tasks.list().forEach(s -> all.add(s.toJson()));
    return all;
  }

  private static JsonObject task(String name, Class<?> c) {
    return new JsonObject().put("name", name).put("class", c.getName());
  }

  // ---------------------------------------------------------------- the property

  /** One generated message: a body and its headers. */
  record Request(Object body, Map<String, String> headers) {
    @Override
    public String toString() {
      String b;
      if (body == null) {
        b = "null";
      } else if (body instanceof Buffer) {
        b = "Buffer(" + ((Buffer) body).length() + " bytes)";
      } else if (body instanceof byte[]) {
        b = "byte[" + ((byte[]) body).length + "]";
      } else {
        String text;
        try {
          text = String.valueOf(body);
        } catch (RuntimeException tooDeep) {
          text = "(not encodable: " + tooDeep.getMessage() + ")";
        }
        b = body.getClass().getSimpleName() + " " + text;
      }
      return (b.length() > 300 ? b.substring(0, 300) + "... (" + b.length() + " chars)" : b) + " headers " + headers;
    }
  }

  @Property(tries = MESSAGES, shrinking = ShrinkingMode.BOUNDED)
  void everyMessageGetsOneReplyAndNoInvalidOneChangesAnything(@ForAll("requests") Request r) {
    sent.incrementAndGet();
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(5_000);
    r.headers().forEach(options::addHeader);

    Throwable t = catchThrowable(() -> {
      Message<Object> reply = vertx.eventBus().request(ADDRESS, r.body(), options).await();
      checkAnswer(r, reply.body());
    });

    if (t instanceof ReplyException) {
      ReplyException e = (ReplyException) t;
      assertThat(e.failureType()).as("%s: %s", r, e.getMessage()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(e.failureCode()).as("%s: %s", r, e.getMessage()).isBetween(400, 599);
      assertThat(e.getMessage()).as("%s", r).isNotBlank().hasSizeLessThan(2_000);
      outcomes.computeIfAbsent(String.valueOf(e.failureCode()), k -> new AtomicInteger()).incrementAndGet();
    } else {
      assertThat(t).as("%s", r).isNull();
      outcomes.computeIfAbsent("answer", k -> new AtomicInteger()).incrementAndGet();
    }
    assertThat(snapshot()).as("after %s", r).isEqualTo(before);
  }

  /** A successful reply is a list, a summary or a status, well formed. */
  private static void checkAnswer(Request r, Object body) {
    assertThat(body).as("%s", r).isInstanceOf(JsonObject.class);
    JsonObject json = (JsonObject) body;
    if (json.containsKey("states")) {
      assertThat(TasksSummary.fromJson(json).tasks()).as("%s", r).isEqualTo(before.size());
    } else if (json.containsKey("tasks")) {
      assertThat(json.getJsonArray("tasks")).hasSize(before.size());
      json.getJsonArray("tasks").forEach(o -> TaskStatus.fromJson((JsonObject) o));
    } else {
      TaskStatus s = TaskStatus.fromJson(json);
      assertThat(before.stream().map(o -> ((JsonObject) o).getString("name"))).as("%s", r).contains(s.name());
    }
  }

  // ---------------------------------------------------------------- generators

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<Object> body = Arbitraries.frequencyOf(
        Tuple.of(50, nearValidRequests()),
        Tuple.of(12, jsonObjects(3)),
        Tuple.of(7, jsonArrays(3).map(a -> (Object) a)),
        Tuple.of(8, strings().map(s -> (Object) s)),
        Tuple.of(6, binary()),
        Tuple.of(8, scalars()),
        Tuple.of(2, Arbitraries.just(null)),
        Tuple.of(2, huge()));
    Arbitrary<Map<String, String>> headers = Arbitraries.maps(
        Arbitraries.oneOf(Arbitraries.of("action", "name", "content-type", "Authorization", ""),
            Arbitraries.strings().ofMaxLength(20)),
        Arbitraries.oneOf(Arbitraries.of("cancel", "waits", "list", ""), Arbitraries.strings().ofMaxLength(40)))
        .ofMaxSize(4);
    return Combinators.combine(body, Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(Map.<String, String>of())),
        Tuple.of(1, headers))).as(Request::new).filter(r -> !mutatesALiveTask(r.body()));
  }

  /** Well formed and aimed at a live or declared task: a valid request that may change it. */
  private static boolean mutatesALiveTask(Object body) {
    if (!(body instanceof JsonObject)) {
      return false;
    }
    JsonObject json = (JsonObject) body;
    return json.fieldNames().stream().allMatch(k -> k.equals("action") || k.equals("name"))
        && json.getValue("action") instanceof String && MUTATING.contains(json.getString("action"))
        && json.getValue("name") instanceof String && LIVE_OR_DECLARED.contains(json.getString("name"));
  }

  /** {"action": ..., "name": ...} with each part right, wrong, of the wrong type, or absent. */
  private Arbitrary<Object> nearValidRequests() {
    Arbitrary<Object> actions = Arbitraries.frequencyOf(
        Tuple.of(24, Arbitraries.of(ControlAction.wireNames()).map(a -> (Object) a)),
        Tuple.of(3, Arbitraries.of("LIST", "List", " list", "list ", "", " ", "explode", "stop", "kill",
            "delete", "restartNow", "cancel\u0000", "st\u0430tus").map(a -> (Object) a)),
        Tuple.of(2, strings().map(a -> (Object) a)),
        Tuple.of(2, jsonScalars()),
        Tuple.of(1, Arbitraries.of(new JsonObject().put("action", "list"), new JsonArray().add("list"),
            new JsonObject(), new JsonArray()).map(a -> (Object) a)));
    Arbitrary<Object> names = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.of(LIVE_OR_DECLARED).map(n -> (Object) n)),
        Tuple.of(5, Arbitraries.of(FINISHED).map(n -> (Object) n)),
        Tuple.of(3, Arbitraries.of("WAITS", " waits", "waits ", "wait", "once", "nope", "*", "..",
            "background.tasks", "w".repeat(512), "w".repeat(513), "\u0000", "\uD83D\uDE00", "\t")
            .map(n -> (Object) n)),
        Tuple.of(3, strings().map(n -> (Object) n)),
        Tuple.of(2, jsonScalars()),
        Tuple.of(1, Arbitraries.of(new JsonArray().add("waits"), new JsonObject().put("name", "waits"))
            .map(n -> (Object) n)));
    Arbitrary<JsonObject> extra = jsonObjects(2).map(o -> (JsonObject) o);
    return Combinators.combine(actions.optional(0.95), names.optional(0.85), extra.optional(0.08),
        Arbitraries.of(true, false))
        .as((action, name, more, explicitNull) -> {
          JsonObject json = new JsonObject();
          action.ifPresent(a -> json.put("action", a));
          name.ifPresentOrElse(n -> json.put("name", n), () -> {
            if (explicitNull) {
              json.putNull("name");
            }
          });
          more.ifPresent(m -> m.forEach(e -> json.put("x-" + e.getKey(), e.getValue())));
          return json;
        });
  }

  private static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().ascii().ofMaxLength(200),
        Arbitraries.of("{\"action\":\"list\"}", "{\"action\":\"cancel\",\"name\":\"waits\"}", "[]", "null",
            "list", "true", "0", "\"list\"", "{", "]"));
  }

  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, Float.NaN, Float.MAX_VALUE),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.chars().map(c -> (Object) c),
        Arbitraries.shorts().map(s -> (Object) s),
        Arbitraries.bytes().map(b -> (Object) b));
  }

  /** Scalars a JSON object may hold (no Character, Short or Byte). */
  private static Arbitrary<Object> jsonScalars() {
    return scalars().filter(v -> !(v instanceof Character || v instanceof Short || v instanceof Byte));
  }

  private static Arbitrary<Object> binary() {
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(2_048);
    return Arbitraries.oneOf(bytes.map(b -> (Object) Buffer.buffer(b)), bytes.map(b -> (Object) b),
        Arbitraries.just(Buffer.buffer("{\"action\":\"list\"}")));
  }

  private static Arbitrary<Object> jsonValues(int depth) {
    Arbitrary<Object> leaves = Arbitraries.oneOf(strings().map(s -> (Object) s), jsonScalars(),
        Arbitraries.just(null));
    if (depth <= 0) {
      return leaves;
    }
    return Arbitraries.frequencyOf(Tuple.of(4, leaves), Tuple.of(1, Arbitraries.lazy(() -> jsonObjects(depth - 1))),
        Tuple.of(1, Arbitraries.lazy(() -> jsonArrays(depth - 1).map(a -> (Object) a))));
  }

  private static Arbitrary<Object> jsonObjects(int depth) {
    return Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of("action", "name", "tasks", ""),
            Arbitraries.strings().ofMaxLength(12)), jsonValues(depth)).ofMaxSize(6)
        .map(m -> {
          JsonObject json = new JsonObject();
          m.forEach(json::put);
          return (Object) json;
        });
  }

  private static Arbitrary<JsonArray> jsonArrays(int depth) {
    return jsonValues(depth).list().ofMaxSize(6).map(JsonArray::new);
  }

  /** A few heavy bodies: 1 MB strings in every position, 50,000 keys, nesting 800 deep. */
  private static Arbitrary<Object> huge() {
    String mb = "x".repeat(1 << 20);
    JsonObject manyKeys = new JsonObject().put("action", "list");
    for (int i = 0; i < 50_000; i++) {
      manyKeys.put("k" + i, i);
    }
    JsonObject deep = new JsonObject().put("action", "list");
    JsonArray deepArray = new JsonArray().add("list");
    // Deeper bodies fail in the sender: the local event bus copies JSON recursively (a 2,000 deep
    // array overflows the sending thread's stack), and Jackson refuses to encode beyond 1,000.
    for (int i = 0; i < 800; i++) {
      deep = new JsonObject().put("action", deep);
      deepArray = new JsonArray().add(deepArray);
    }
    return Arbitraries.of(mb, Buffer.buffer(mb), new JsonObject().put("action", mb),
        new JsonObject().put("action", "status").put("name", mb),
        new JsonObject().put("action", "list").put(mb, 1), manyKeys, deep,
        new JsonObject().put("action", "list").put("name", deepArray), deepArray);
  }
}
