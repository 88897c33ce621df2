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

  @Override
  public Future<Long> tryAcquire(String task) {
    return vertx.sharedData().getLockWithTimeout(LOCK_PREFIX + task, 1)
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
