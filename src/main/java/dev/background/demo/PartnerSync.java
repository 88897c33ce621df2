package dev.background.demo;

import dev.background.AsyncTask;
import dev.background.TaskContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * PartnerSync is the demo's fixed-rate schedule: a non-blocking "poll of a partner" at every
 * slot (in the demo, every 10 s with up to 2 s of jitter, so that a fleet of nodes does not call
 * the partner at the same instant). Each poll takes {@code latency} on the event loop's timer and
 * fails with probability {@code failureRate}; a failed poll is retried by the schedule's
 * {@code retry} backoff until the next slot.
 *
 * <p>Config: {@code {"latency": "200ms", "failureRate": 0.2}}. Holds no state between fires.
 */
public class PartnerSync implements AsyncTask {

  @Override
  public Future<Void> run(TaskContext ctx) {
    long latency = dev.background.Durations.parse("latency",
        ctx.config().getValue("latency", "200ms")).toMillis();
    double failureRate = ctx.config().getDouble("failureRate", 0.2);
    Promise<Void> done = Promise.promise();
    ctx.vertx().setTimer(Math.max(1, latency), id -> {
      if (Math.random() < failureRate) {
        done.fail("partner answered 503");
      } else {
        done.complete();
      }
    });
    return done.future();
  }
}
