package dev.background;

import io.vertx.core.Future;

/**
 * SingletonLocks is where {@link RunOption#singleton() singleton} tasks take their lock and
 * fencing token. The default uses Vert.x shared data (cluster-wide locks and counters when Vert.x
 * is clustered); {@code dev.background.cluster.CpSingletonLocks} uses Hazelcast's CP subsystem for
 * linearizable locks. Set one with {@link TasksOptions#setSingletonLocks(SingletonLocks)}.
 *
 * <p>A lock that can tell when its holder may have lost it (a lease or session it can no longer
 * renew) reports it through {@link #onLost(String, Runnable)}: the holder then fences itself (it
 * cancels the run, publishes {@code fenced} and stands by) before another node can take the lock.
 *
 * <p>Implementations must be thread-safe and must not block the calling thread.
 */
public interface SingletonLocks {

  /**
   * A local event-bus address: a message sent or published here (its body says why, as text)
   * fences every singleton that this Vert.x instance holds, as a lost lock does. The cluster
   * support sends it when this member merges into the other side of a healed network partition:
   * a lock taken while apart is void there, and the other side may have its own holder.
   */
  String FENCE_ALL_ADDRESS = "dev.background.singletons.fence-all";

  /**
   * Tries to take the lock of {@code task} without waiting for it.
   *
   * @return the fencing token of this acquisition (greater than every token handed out before for
   *     {@code task}), or {@code null} when another holder has the lock
   */
  Future<Long> tryAcquire(String task);

  /** Releases the lock of {@code task} taken by {@link #tryAcquire}; does nothing if not held. */
  Future<Void> release(String task);

  /**
   * Asks to be told when the lock of {@code task}, taken by the last successful
   * {@link #tryAcquire}, can no longer be confirmed: from then on another node may take it soon,
   * so the holder must stop. The engine calls this right after each successful acquisition; an
   * implementation calls {@code lost} at most once for that acquisition, on any thread, and not
   * after {@link #release} (a call that comes anyway is ignored). It does not release the lock
   * itself: the engine calls {@link #release} afterwards, which must then not fail.
   *
   * <p>The default never calls {@code lost}: the lock is held until it is released (or its holder's
   * cluster member is removed), as with Vert.x shared-data locks.
   *
   * @param task the task whose lock is held
   * @param lost what to run when the lock can no longer be confirmed
   */
  default void onLost(String task, Runnable lost) {
  }
}
