package dev.background.impl;

import dev.background.SingletonLocks;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to run one singleton task: a lock with a fencing token from {@link SingletonLocks},
 * and a shared-map record of the task's backoff state so that a new holder carries on where the
 * last one stopped.
 *
 * <p>Waiting is polling: each try asks for the lock without waiting, then a timer schedules the
 * next try. A blocking lock wait would hold a thread per standby task for as long as it waits.
 * Thread-safe.
 */
final class SingletonLease {

  private static final Logger LOG = LoggerFactory.getLogger(SingletonLease.class);
  static final String STATE_MAP = "dev.background.singletons";

  /** What a new holder learns. */
  record Acquisition(long token, JsonObject lastState) {
  }

  private final Vertx vertx;
  private final TasksImpl tracker;
  private final SingletonLocks locks;
  private final String task;
  private final String node;
  private final long retryMillis;
  private boolean holding;
  private boolean stopped;
  private Future<Void> writes = Future.succeededFuture();
  private volatile String holder;

  SingletonLease(TasksImpl tracker, SingletonLocks locks, String task, String node, long retryMillis) {
    this.tracker = tracker;
    this.vertx = tracker.vertx();
    this.locks = locks;
    this.task = task;
    this.node = node;
    this.retryMillis = retryMillis;
  }

  /** The node that held the lease when last seen, or null. */
  String holder() {
    return holder;
  }

  /** Tries to take the lease until it succeeds or {@link #release()} is called. */
  void acquire(Handler<Acquisition> onAcquired) {
    synchronized (this) {
      if (stopped) {
        return;
      }
    }
    locks.tryAcquire(task).onComplete(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        acquired(ar.result(), onAcquired);
      } else {
        if (ar.failed()) {
          LOG.warn("{}: singleton lock could not be tried; trying again", task, ar.cause());
        }
        refreshHolder();
        retry(onAcquired);
      }
    });
  }

  private void retry(Handler<Acquisition> onAcquired) {
    tracker.setTimer(retryMillis, ref -> acquire(onAcquired));
  }

  private void acquired(long token, Handler<Acquisition> onAcquired) {
    synchronized (this) {
      if (stopped) {
        locks.release(task);
        return;
      }
      holding = true;
    }
    holder = node;
    map().compose(m -> m.get(task))
        .onSuccess(state -> onAcquired.handle(new Acquisition(token, state)))
        .onFailure(e -> {
          LOG.warn("{}: singleton lease taken but its state could not be read; releasing and "
              + "retrying", task, e);
          synchronized (this) {
            holding = false;
          }
          locks.release(task);
          retry(onAcquired);
        });
  }

  private void refreshHolder() {
    map().compose(m -> m.get(task)).onSuccess(state -> {
      if (state != null) {
        holder = state.getString("holder");
      }
    });
  }

  /** Records the task's state for the next holder; writes happen in the order they were asked. */
  synchronized void save(JsonObject state) {
    JsonObject record = state.copy().put("holder", node);
    writes = writes.transform(ar -> map().compose(m -> m.put(task, record)))
        .onFailure(e -> LOG.warn("{}: singleton state not saved", task, e));
  }

  /** Gives the lease up (once pending writes are done) and stops trying to take it. */
  synchronized void release() {
    stopped = true;
    if (holding) {
      holding = false;
      writes.onComplete(ar -> locks.release(task));
    }
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(STATE_MAP);
  }
}
