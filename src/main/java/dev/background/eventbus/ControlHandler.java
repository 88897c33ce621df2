package dev.background.eventbus;

import dev.background.TaskHandle;
import dev.background.TaskStatus;
import dev.background.Tasks;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * ControlHandler answers control requests sent to a {@link dev.background.verticle.TasksVerticle}'s
 * address. A request is a JSON object {@code {"action": ..., "name": ...}}:
 *
 * <table>
 * <caption>Actions</caption>
 * <tr><th>action</th><th>reply</th><th>refused with</th></tr>
 * <tr><td>list</td><td>{@code {"tasks": [status, ...]}}, sorted by name</td><td></td></tr>
 * <tr><td>status</td><td>the task's status</td><td>404</td></tr>
 * <tr><td>cancel</td><td>the status once the current run has ended (or after the cancel wait)</td>
 *     <td>404; 409 when the tracker is closed</td></tr>
 * <tr><td>restart</td><td>the status after starting a run now</td>
 *     <td>404; 409 while it runs, when it has ended, for a once task, or when closed</td></tr>
 * <tr><td>pause</td><td>the status</td><td>404; 409 when it has ended, for a once task, or when
 *     closed</td></tr>
 * <tr><td>resume</td><td>the status</td><td>404; 409 likewise</td></tr>
 * <tr><td>start</td><td>the status of the started task</td>
 *     <td>404 unknown; 409 running, not declared, or closed</td></tr>
 * </table>
 *
 * <p>A status is {@link TaskStatus#toJson()}. Anything else gets failure code 400 ({@code body},
 * {@code action} or {@code name} malformed, unknown keys, names over {@value #MAX_NAME_LENGTH}
 * characters), and an unexpected error 500; the message says what was wrong. Every request gets
 * exactly one reply, and a refused request changes nothing. The body is only looked at one level
 * deep, so huge or deeply nested bodies cost nothing more than being refused.
 *
 * <p>Thread-safe; it never blocks. Register it with
 * {@code vertx.eventBus().consumer(address, handler)}.
 */
public final class ControlHandler implements Handler<Message<Object>> {

  /** The longest task name accepted, in characters: 512. */
  public static final int MAX_NAME_LENGTH = 512;

  /** How long a {@code cancel} reply waits for the current run to end: 5 s. */
  public static final Duration DEFAULT_CANCEL_WAIT = Duration.ofSeconds(5);

  /** The actions, in the order of the documentation. */
  public static final List<String> ACTIONS = List.of("list", "status", "cancel", "restart",
      "pause", "resume", "start");

  private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);
  private static final List<String> KEYS = List.of("action", "name");
  private static final String EXPECTED_ACTIONS = "expected one of " + String.join(", ", ACTIONS);

  private final Vertx vertx;
  private final Tasks tasks;
  private final TaskStarter starter;
  private final long cancelWaitMillis;

  /** A handler for {@code tasks} whose {@code start} action uses {@code starter}. */
  public ControlHandler(Vertx vertx, Tasks tasks, TaskStarter starter) {
    this(vertx, tasks, starter, DEFAULT_CANCEL_WAIT);
  }

  /**
   * @param cancelWait how long a {@code cancel} reply waits for the current run to end; > 0
   */
  public ControlHandler(Vertx vertx, Tasks tasks, TaskStarter starter, Duration cancelWait) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.starter = Objects.requireNonNull(starter, "starter");
    if (cancelWait == null || cancelWait.isNegative() || cancelWait.isZero()) {
      throw new IllegalArgumentException("cancelWait: must be > 0, was " + cancelWait);
    }
    this.cancelWaitMillis = cancelWait.toMillis();
  }

  @Override
  public void handle(Message<Object> msg) {
    Future<JsonObject> reply;
    try {
      reply = dispatch(msg.body());
    } catch (Throwable t) {
      reply = Future.failedFuture(t);
    }
    reply.onComplete(ar -> {
      try {
        if (ar.succeeded()) {
          msg.reply(ar.result());
        } else {
          refuse(msg, ar.cause());
        }
      } catch (Throwable t) {
        LOG.warn("ControlHandler: could not reply on {}", msg.address(), t);
      }
    });
  }

  private static void refuse(Message<Object> msg, Throwable t) {
    int code;
    String message;
    if (t instanceof Refused) {
      code = ((Refused) t).code;
      message = t.getMessage();
    } else if (t instanceof IllegalStateException) {
      code = TasksClient.CONFLICT;
      message = t.getMessage();
    } else if (t instanceof NoSuchElementException) {
      code = TasksClient.NOT_FOUND;
      message = t.getMessage();
    } else {
      code = TasksClient.INTERNAL_ERROR;
      message = "unexpected error: " + t;
      LOG.warn("ControlHandler: unexpected error on {}", msg.address(), t);
    }
    if (code != TasksClient.INTERNAL_ERROR && LOG.isDebugEnabled()) {
      LOG.debug("ControlHandler: refused with {}: {}", code, message);
    }
    msg.fail(code, message == null ? t.getClass().getName() : message);
  }

  private Future<JsonObject> dispatch(Object body) {
    if (!(body instanceof JsonObject)) {
      throw badRequest("body: must be a JSON object such as {\"action\": \"list\"}, was "
          + kind(body));
    }
    JsonObject json = (JsonObject) body;
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw badRequest("unknown key " + shorten(key) + "; expected action, name");
      }
    }
    String action = action(json.getValue("action"));
    Object rawName = json.getValue("name");
    if (action.equals("list")) {
      if (rawName != null) {
        name(action, rawName);
      }
      return Future.succeededFuture(list());
    }
    String name = name(action, rawName);
    if (action.equals("status")) {
      return Future.succeededFuture(status(name).toJson());
    }
    if (tasks.isClosed()) {
      throw new IllegalStateException("the tracker is closed; " + action + " is refused");
    }
    switch (action) {
      case "cancel":
        TaskHandle h = handle(name);
        return atMost(h.cancel(), cancelWaitMillis).map(v -> h.status().toJson());
      case "restart":
        return then(handle(name), TaskHandle::restartNow);
      case "pause":
        return then(handle(name), TaskHandle::pause);
      case "resume":
        return then(handle(name), TaskHandle::resume);
      default:
        return Future.succeededFuture(starter.start(name).status().toJson());
    }
  }

  private static Future<JsonObject> then(TaskHandle h,
      Function<TaskHandle, Future<Void>> action) {
    return action.apply(h).map(v -> h.status().toJson());
  }

  private JsonObject list() {
    JsonArray array = new JsonArray();
    tasks.list().forEach(s -> array.add(s.toJson()));
    return new JsonObject().put("tasks", array);
  }

  private TaskStatus status(String name) {
    return tasks.status(name).orElseThrow(() -> notFound(name));
  }

  private TaskHandle handle(String name) {
    return tasks.handle(name).orElseThrow(() -> notFound(name));
  }

  private RuntimeException notFound(String name) {
    List<String> matches = tasks.list().stream()
        .filter(s -> name.equals(s.shortName()))
        .map(TaskStatus::name)
        .collect(Collectors.toList());
    if (matches.size() > 1) {
      return new NoSuchElementException("no task named \"" + name + "\"; the short name matches "
          + String.join(", ", matches) + ": use the full name");
    }
    if (starter.isDeclared(name)) {
      return new NoSuchElementException("task \"" + name + "\" is declared but has not been "
          + "started; send {\"action\": \"start\", \"name\": \"" + name + "\"}");
    }
    return new NoSuchElementException("no task named \"" + name + "\"");
  }

  /** Completes when {@code f} does, or after {@code millis}, whichever comes first; never fails. */
  private Future<Void> atMost(Future<Void> f, long millis) {
    if (f.isComplete()) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    long timer = vertx.setTimer(millis, id -> done.tryComplete());
    f.onComplete(ar -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future();
  }

  private static String action(Object value) {
    if (value == null) {
      throw badRequest("action: missing; " + EXPECTED_ACTIONS);
    }
    if (!(value instanceof String)) {
      throw badRequest("action: must be a string, was " + kind(value));
    }
    String action = (String) value;
    if (!ACTIONS.contains(action)) {
      throw badRequest("action: unknown action " + shorten(action) + "; " + EXPECTED_ACTIONS);
    }
    return action;
  }

  private static String name(String action, Object value) {
    if (value == null) {
      throw badRequest("name: missing; action \"" + action + "\" needs the task's name");
    }
    if (!(value instanceof String)) {
      throw badRequest("name: must be a string, was " + kind(value));
    }
    String name = (String) value;
    if (name.isBlank()) {
      throw badRequest("name: must not be blank, was " + shorten(name));
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw badRequest("name: too long, " + name.length() + " characters (at most "
          + MAX_NAME_LENGTH + ")");
    }
    return name;
  }

  /** What a value is, for a message; never renders nested content. */
  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof JsonObject) {
      return "a JSON object";
    }
    if (value instanceof JsonArray) {
      return "a JSON array";
    }
    if (value instanceof Buffer) {
      return "a buffer of " + ((Buffer) value).length() + " bytes";
    }
    if (value instanceof byte[]) {
      return "a byte array of " + ((byte[]) value).length + " bytes";
    }
    if (value instanceof Number) {
      return "a number (" + value + ")";
    }
    if (value instanceof Boolean) {
      return "a boolean (" + value + ")";
    }
    return "a " + value.getClass().getName();
  }

  /** A string quoted and cut to 64 characters. */
  private static String shorten(String s) {
    String quoted = s.length() > 64 ? s.substring(0, 64) + "...\" (" + s.length() + " characters)"
        : s + "\"";
    return "\"" + quoted;
  }

  private static Refused badRequest(String message) {
    return new Refused(TasksClient.BAD_REQUEST, message);
  }

  /** A refusal with its reply code; no stack trace, it is an answer, not a bug. */
  private static final class Refused extends RuntimeException {
    final int code;

    Refused(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
