package dev.background.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.lock.FencedLock;
import dev.background.SingletonLocks;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * Singleton locks on Hazelcast's CP subsystem: a {@link FencedLock} per task, whose fence is the
 * task's fencing token. With the CP subsystem enabled on 3 or more members
 * ({@code conf/cluster-cp.xml}) these locks and tokens are linearizable (Raft): even when the
 * network splits, at most one side (the one with a majority of CP members) can take a lock, and
 * tokens never repeat. A crashed holder's lock is freed when its CP session expires
 * ({@code session-time-to-live-seconds}).
 *
 * <p>A FencedLock belongs to the thread that took it, so every lock and unlock of this JVM runs on
 * one daemon thread, {@code vertx-background-cp-locks}; it also refuses a second local holder of a
 * task (FencedLock is reentrant for its owner thread). Calls never block the caller. Thread-safe.
 */
public final class CpSingletonLocks implements SingletonLocks {

  static final String PREFIX = "dev.background.singleton.";

  private final HazelcastInstance hazelcast;
  private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vertx-background-cp-locks");
    t.setDaemon(true);
    return t;
  });
  /** Tasks whose lock this JVM holds; touched on the owner thread only. */
  private final Set<String> held = new HashSet<>();

  /**
   * Locks on the CP subsystem of {@code hazelcast} (see {@code ClusterVertx.hazelcast(vertx)} for
   * the instance under a clustered Vert.x).
   */
  public CpSingletonLocks(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  @Override
  public Future<Long> tryAcquire(String task) {
    return onOwner(promise -> {
      if (held.contains(task)) {
        promise.complete(null);
        return;
      }
      FencedLock lock = hazelcast.getCPSubsystem().getLock(PREFIX + task);
      long fence = lock.tryLockAndGetFence();
      if (fence == FencedLock.INVALID_FENCE) {
        promise.complete(null);
      } else {
        held.add(task);
        promise.complete(fence);
      }
    });
  }

  @Override
  public Future<Void> release(String task) {
    return onOwner(promise -> {
      if (held.remove(task)) {
        FencedLock lock = hazelcast.getCPSubsystem().getLock(PREFIX + task);
        if (lock.isLockedByCurrentThread()) {
          lock.unlock();
        }
      }
      promise.complete();
    });
  }

  private interface Work<T> {
    void run(Promise<T> promise) throws Exception;
  }

  private <T> Future<T> onOwner(Work<T> work) {
    Promise<T> promise = Promise.promise();
    try {
      owner.execute(() -> {
        try {
          work.run(promise);
        } catch (Exception | LinkageError e) {
          promise.tryFail(e);
        }
      });
    } catch (RejectedExecutionException e) {
      promise.fail(e);
    }
    return promise.future();
  }
}
