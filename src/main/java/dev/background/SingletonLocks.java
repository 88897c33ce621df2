package dev.background;

import io.vertx.core.Future;

/**
 * SingletonLocks is where {@link RunOption#singleton() singleton} tasks take their lock and
 * fencing token. The default uses Vert.x shared data (cluster-wide locks and counters when Vert.x
 * is clustered); {@code dev.background.cluster.CpSingletonLocks} uses Hazelcast's CP subsystem for
 * linearizable locks. Set one with {@link TasksOptions#setSingletonLocks(SingletonLocks)}.
 *
 * <p>Implementations must be thread-safe and must not block the calling thread.
 */
public interface SingletonLocks {

  /**
   * Tries to take the lock of {@code task} without waiting for it.
   *
   * @return the fencing token of this acquisition (greater than every token handed out before for
   *     {@code task}), or {@code null} when another holder has the lock
   */
  Future<Long> tryAcquire(String task);

  /** Releases the lock of {@code task} taken by {@link #tryAcquire}; does nothing if not held. */
  Future<Void> release(String task);
}
