package dev.background.impl;

import dev.background.SingletonLocks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link SingletonLocks}: a Vert.x shared-data lock per task, tried with a 1 ms
 * timeout, and a shared counter for fencing tokens. Cluster-wide when Vert.x is clustered
 * (vertx-hazelcast implements both on Hazelcast maps), local otherwise. Thread-safe.
 */
final class SharedDataLocks implements SingletonLocks {

  static final String LOCK_PREFIX = "dev.background.singleton.";
  static final String FENCE_PREFIX = "dev.background.fence.";

  private final Vertx vertx;
  private final Map<String, Lock> held = new ConcurrentHashMap<>();

  SharedDataLocks(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * How long one try waits for a local lock. Not 1 ms: Vert.x grants a free local lock on the
   * event loop and times the wait with a timer there, so on a busy loop a 1 ms timer can fire
   * first and refuse a free lock; the standby then waits a whole retry interval for nothing (seen
   * under load). A local wait holds no thread.
   */
  static final long LOCAL_TRY_MILLIS = 200;

  /**
   * How long one try waits for a clustered lock: vertx-hazelcast waits on a worker thread, so a
   * try must not wait; Hazelcast itself grants a free lock.
   */
  static final long CLUSTERED_TRY_MILLIS = 1;

  @Override
  public Future<Long> tryAcquire(String task) {
    long wait = vertx.isClustered() ? CLUSTERED_TRY_MILLIS : LOCAL_TRY_MILLIS;
    return vertx.sharedData().getLockWithTimeout(LOCK_PREFIX + task, wait)
        .transform(ar -> {
          if (ar.failed()) {
            return Future.succeededFuture(null);
          }
          Lock lock = ar.result();
          return vertx.sharedData().getCounter(FENCE_PREFIX + task)
              .compose(counter -> counter.incrementAndGet())
              .onSuccess(token -> held.put(task, lock))
              .onFailure(e -> lock.release());
        });
  }

  @Override
  public Future<Void> release(String task) {
    Lock lock = held.remove(task);
    if (lock != null) {
      lock.release();
    }
    return Future.succeededFuture();
  }
}
