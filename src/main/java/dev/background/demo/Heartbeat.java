package dev.background.demo;

import dev.background.AsyncTask;
import dev.background.TaskContext;
import dev.background.Durations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * Heartbeat is the demo's async task: one long run that publishes {@code {"beat": n, "at": ...}} on
 * the event-bus address {@code demo.heartbeat} every {@code interval} (config, default 1 s) until
 * it is cancelled. It never blocks: a periodic timer does the work on the event loop.
 *
 * <p>Config: {@code {"interval": "1s"}}. Each run uses its own timer; not shared between threads.
 */
public class Heartbeat implements AsyncTask {

  /** Where beats are published. */
  public static final String ADDRESS = "demo.heartbeat";

  private long beats;

  @Override
  public Future<Void> run(TaskContext ctx) {
    long interval = Math.max(1, Durations.parse("interval", ctx.config().getValue("interval", "1s"))
        .toMillis());
    long timer = ctx.vertx().setPeriodic(interval, id -> ctx.vertx().eventBus().publish(ADDRESS,
        new JsonObject().put("beat", ++beats).put("at", Instant.now().toString())));
    // Beats until the run is cancelled or the task paused.
    return Future.any(ctx.onCancel(), ctx.onPause()).<Void>mapEmpty()
        .onComplete(v -> ctx.vertx().cancelTimer(timer));
  }
}
