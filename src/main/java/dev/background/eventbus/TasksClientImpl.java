package dev.background.eventbus;

import dev.background.TaskPage;
import dev.background.TaskStatus;
import dev.background.TasksSummary;
import dev.background.control.ControlAction;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds the request JSON of {@link ControlHandler} and reads its replies. Thread-safe. */
final class TasksClientImpl implements TasksClient {

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions options;

  TasksClientImpl(Vertx vertx, String address, DeliveryOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "TasksClient.create: vertx must not be null");
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("TasksClient.create: address must not be blank, was "
          + (address == null ? "null" : "\"" + address + "\""));
    }
    this.address = address;
    this.options = new DeliveryOptions(
        Objects.requireNonNull(options, "TasksClient.create: options must not be null"));
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public Future<List<TaskStatus>> list() {
    JsonObject body = new JsonObject().put("action", ControlAction.LIST.wireName());
    return request(ControlAction.LIST, body).map(reply -> {
      JsonArray array = reply.getJsonArray("tasks");
      List<TaskStatus> all = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        all.add(TaskStatus.fromJson(array.getJsonObject(i)));
      }
      return all;
    });
  }

  @Override
  public Future<TaskPage> list(int limit, String after) {
    JsonObject body = new JsonObject().put("action", ControlAction.LIST.wireName()).put("limit", limit);
    if (after != null) {
      body.put("after", after);
    }
    // Not checked here: the handler's 400 says what is wrong with a limit or cursor.
    return request(ControlAction.LIST, body).map(TaskPage::fromJson);
  }

  @Override
  public Future<TasksSummary> summary() {
    JsonObject body = new JsonObject().put("action", ControlAction.SUMMARY.wireName());
    return request(ControlAction.SUMMARY, body).map(TasksSummary::fromJson);
  }

  @Override
  public Future<TaskStatus> status(String name) {
    return action(ControlAction.STATUS, name);
  }

  @Override
  public Future<TaskStatus> cancel(String name) {
    return action(ControlAction.CANCEL, name);
  }

  @Override
  public Future<TaskStatus> restart(String name) {
    return action(ControlAction.RESTART, name);
  }

  @Override
  public Future<TaskStatus> pause(String name) {
    return action(ControlAction.PAUSE, name);
  }

  @Override
  public Future<TaskStatus> resume(String name) {
    return action(ControlAction.RESUME, name);
  }

  @Override
  public Future<TaskStatus> start(String name) {
    return action(ControlAction.START, name);
  }

  @Override
  public Future<TaskStatus> trigger(String name) {
    return action(ControlAction.TRIGGER, name);
  }

  private Future<TaskStatus> action(ControlAction action, String name) {
    Objects.requireNonNull(name, "TasksClient." + action.wireName() + ": name must not be null");
    // Not checked here: the handler's 400 says what is wrong with a name, whoever sends it.
    return request(action, new JsonObject().put("action", action.wireName()).put("name", name))
        .map(TaskStatus::fromJson);
  }

  private Future<JsonObject> request(ControlAction action, JsonObject body) {
    Future<Message<Object>> reply = vertx.eventBus().request(address, body, options);
    if (!action.mutates()) {
      // In a cluster the event bus may hand a request to a node that has just died (until the
      // cluster manager removes it): a read that timed out is asked once more, of the next node.
      reply = reply.recover(e -> isTimeout(e)
          ? vertx.eventBus().request(address, body, options) : Future.failedFuture(e));
    }
    return reply.compose(this::body);
  }

  private static boolean isTimeout(Throwable e) {
    return e instanceof ReplyException && ((ReplyException) e).failureType() == ReplyFailure.TIMEOUT;
  }

  private Future<JsonObject> body(Message<Object> reply) {
    Object body = reply.body();
    if (body instanceof JsonObject) {
      return Future.succeededFuture((JsonObject) body);
    }
    return Future.failedFuture(new IllegalStateException("TasksClient: unexpected reply from "
        + address + ": " + (body == null ? "null" : body.getClass().getName())));
  }
}
