package dev.background.eventbus;

import dev.background.TaskEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * EventPublisher is a {@link dev.background.Tasks#addListener listener} that publishes every
 * lifecycle event on the event bus as JSON ({@link TaskEvent#toJson()}):
 *
 * <pre>{@code
 * {"task": "poller", "event": "restart-scheduled", "at": "2026-01-01T10:00:00.123Z",
 *  "attempt": 3, "delayMs": 400}
 * {"task": "poller", "event": "failed", "at": "...", "attempt": 2,
 *  "error": {"type": "java.io.IOException", "message": "connection refused"}}
 * }</pre>
 *
 * <p>Events are published from one Vert.x context, in the order the tracker delivered them, so a
 * consumer sees each task's events in order. Thread-safe: the tracker may call it from any thread.
 */
public final class EventPublisher implements Handler<TaskEvent> {

  private final Vertx vertx;
  private final Context context;
  private final String address;

  /**
   * @param context the context events are published from, usually the deploying verticle's
   * @param address where events are published
   */
  public EventPublisher(Vertx vertx, Context context, String address) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.context = Objects.requireNonNull(context, "context");
    this.address = Objects.requireNonNull(address, "address");
  }

  /** The address events are published on. */
  public String address() {
    return address;
  }

  @Override
  public void handle(TaskEvent event) {
    JsonObject json = event.toJson();
    context.runOnContext(v -> vertx.eventBus().publish(address, json));
  }

  /** Completes once every event handed to this publisher so far has been published. */
  public Future<Void> flush() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> done.complete());
    return done.future();
  }
}
