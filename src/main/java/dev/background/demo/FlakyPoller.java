package dev.background.demo;

import dev.background.AsyncTask;
import dev.background.TaskContext;
import dev.background.Durations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.ThreadLocalRandom;

/**
 * FlakyPoller is the demo's unreliable async task: every {@code interval} it "polls an upstream"
 * that fails with probability {@code failureRate} (about a third by default). A failed poll fails
 * the run, so the tracker restarts it after a backoff delay that grows with each consecutive
 * failure: watch {@code BACKING_OFF} and the next restart in the status table.
 *
 * <p>Config: {@code {"interval": "1s", "failureRate": 0.33}}. Runs on the event loop; a run's
 * state is confined to it.
 */
public class FlakyPoller implements AsyncTask {

  private long polls;

  /** The simulated upstream failure; it has no stack trace, to keep the demo's log short. */
  public static class UpstreamException extends Exception {
    public UpstreamException(String message) {
      super(message, null, false, false);
    }
  }

  @Override
  public Future<Void> run(TaskContext ctx) {
    Vertx vertx = ctx.vertx();
    long interval = Math.max(1, Durations.parse("interval", ctx.config().getValue("interval", "1s"))
        .toMillis());
    double failureRate = ctx.config().getDouble("failureRate", 0.33);
    Promise<Void> ended = Promise.promise();
    long timer = vertx.setPeriodic(interval, id -> {
      polls++;
      if (ThreadLocalRandom.current().nextDouble() < failureRate) {
        vertx.cancelTimer(id);
        ended.tryFail(new UpstreamException("upstream returned 503 on poll " + polls
            + " (simulated)"));
      }
    });
    Future.any(ctx.onCancel(), ctx.onPause()).onComplete(v -> {
      vertx.cancelTimer(timer);
      ended.tryComplete();
    });
    return ended.future();
  }
}
