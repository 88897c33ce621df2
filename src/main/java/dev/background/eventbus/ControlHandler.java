package dev.background.eventbus;

import dev.background.Tasks;
import dev.background.control.ControlException;
import dev.background.control.ControlRequest;
import dev.background.control.TaskStarter;
import dev.background.control.TasksControl;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * ControlHandler answers control requests sent to a {@link dev.background.verticle.TasksVerticle}'s
 * address. A request is a JSON object {@code {"action": ..., "name": ...}}, read by
 * {@link ControlRequest#fromBody(Object)}; the actions, their replies and refusals are those of
 * {@link TasksControl}.
 *
 * <p>A refused request fails the reply with the {@link ControlException} code: 400 when the
 * request is malformed ({@code body}, {@code action} or {@code name} wrong, unknown keys, names
 * over {@value dev.background.Tasks#MAX_NAME_LENGTH} characters), 404, 409, and 500 for an
 * unexpected error; the message says what was wrong. Every request gets exactly one reply, and a
 * refused request changes nothing. The body is only looked at one level deep, so huge or deeply
 * nested bodies cost nothing more than being refused.
 *
 * <p>Thread-safe; it never blocks. Register it with
 * {@code vertx.eventBus().consumer(address, handler)}.
 */
public final class ControlHandler implements Handler<Message<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);

  private final TasksControl control;

  /** A handler for {@code tasks} whose {@code start} action uses {@code starter}. */
  public ControlHandler(Vertx vertx, Tasks tasks, TaskStarter starter) {
    this(new TasksControl(vertx, tasks, starter));
  }

  /**
   * @param cancelWait how long a {@code cancel} reply waits for the current run to end; > 0
   */
  public ControlHandler(Vertx vertx, Tasks tasks, TaskStarter starter, Duration cancelWait) {
    this(new TasksControl(vertx, tasks, starter, cancelWait));
  }

  /** A handler that carries requests out with {@code control}. */
  public ControlHandler(TasksControl control) {
    this.control = Objects.requireNonNull(control, "control");
  }

  @Override
  public void handle(Message<Object> msg) {
    Future<JsonObject> reply;
    try {
      reply = control.execute(ControlRequest.fromBody(msg.body()));
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(ar -> {
      try {
        if (ar.succeeded()) {
          msg.reply(ar.result());
        } else {
          refuse(msg, ControlException.of(ar.cause()));
        }
      } catch (Throwable t) {
        LOG.warn("ControlHandler: could not reply on {}", msg.address(), t);
      }
    });
  }

  private static void refuse(Message<Object> msg, ControlException e) {
    if (e.code() == ControlException.INTERNAL_ERROR) {
      LOG.warn("ControlHandler: unexpected error on {}", msg.address(), e.getCause());
    } else if (LOG.isDebugEnabled()) {
      LOG.debug("ControlHandler: refused with {}: {}", e.code(), e.getMessage());
    }
    msg.fail(e.code(), e.getMessage());
  }
}
