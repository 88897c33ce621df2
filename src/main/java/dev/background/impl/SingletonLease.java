package dev.background.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to run one singleton task: a Vert.x shared-data lock (cluster-wide when Vert.x is
 * clustered), a fencing counter incremented at every acquisition, and a shared-map record of the
 * task's backoff state so that a new holder carries on where the last one stopped.
 *
 * <p>Waiting is polling: each try asks for the lock with a 1 ms timeout, then a timer schedules
 * the next try. A blocking lock wait would hold one of Vert.x's internal threads per standby task
 * for as long as it waits. Thread-safe.
 */
final class SingletonLease {

  private static final Logger LOG = LoggerFactory.getLogger(SingletonLease.class);
  static final String LOCK_PREFIX = "dev.background.singleton.";
  static final String FENCE_PREFIX = "dev.background.fence.";
  static final String STATE_MAP = "dev.background.singletons";

  /** What a new holder learns. */
  record Acquisition(long token, JsonObject lastState) {
  }

  private final Vertx vertx;
  private final TasksImpl tracker;
  private final String task;
  private final String node;
  private final long retryMillis;
  private Lock lock;
  private boolean stopped;
  private Future<Void> writes = Future.succeededFuture();
  private volatile String holder;

  SingletonLease(TasksImpl tracker, String task, String node, long retryMillis) {
    this.tracker = tracker;
    this.vertx = tracker.vertx();
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
    vertx.sharedData().getLockWithTimeout(LOCK_PREFIX + task, 1)
        .onSuccess(l -> acquired(l, onAcquired))
        .onFailure(e -> {
          refreshHolder();
          tracker.setTimer(retryMillis, ref -> acquire(onAcquired));
        });
  }

  private void acquired(Lock l, Handler<Acquisition> onAcquired) {
    synchronized (this) {
      if (stopped) {
        l.release();
        return;
      }
      lock = l;
    }
    holder = node;
    vertx.sharedData().getCounter(FENCE_PREFIX + task)
        .compose(counter -> counter.incrementAndGet())
        .compose(token -> map().compose(m -> m.get(task)).map(state -> new Acquisition(token, state)))
        .onSuccess(onAcquired)
        .onFailure(e -> {
          LOG.warn("{}: singleton lease taken but its fencing token or state could not be read; "
              + "releasing and retrying", task, e);
          Lock held;
          synchronized (this) {
            held = lock;
            lock = null;
          }
          if (held != null) {
            held.release();
          }
          tracker.setTimer(retryMillis, ref -> acquire(onAcquired));
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
    Lock l = lock;
    lock = null;
    if (l != null) {
      writes.onComplete(ar -> l.release());
    }
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(STATE_MAP);
  }
}
