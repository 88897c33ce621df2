package dev.background.cluster;

import com.hazelcast.config.cp.CPSubsystemConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.lock.FencedLock;
import com.hazelcast.cp.lock.exception.LockOwnershipLostException;
import dev.background.SingletonLocks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Singleton locks on Hazelcast's CP subsystem: a {@link FencedLock} per task, whose fence is the
 * task's fencing token. With the CP subsystem enabled on 3 or more members
 * ({@code conf/cluster-cp.xml}) these locks and tokens are linearizable (Raft): even when the
 * network splits, at most one side (the one with a majority of CP members) can take a lock, and
 * tokens never repeat. A crashed holder's lock is freed when its CP session expires
 * ({@code session-time-to-live-seconds}).
 *
 * <p><b>Self-fencing.</b> While this JVM holds a lock, it confirms with the CP group every session
 * heartbeat interval that the lock is still its own (a linearizable read of the lock's owner). A
 * confirmation sent at time <i>t</i> proves that the group cannot expire the session, and so
 * cannot hand the lock to anyone else, before <i>t</i> + TTL − heartbeat interval (heartbeats go
 * out every interval); a lock operation, itself a heartbeat, before <i>t</i> + TTL.
 * When no confirmation has come for TTL − heartbeat interval − {@code fenceMargin} (3 s with
 * {@code conf/cluster-cp.xml}: TTL 5 s, heartbeat 1 s, margin 1 s), or the group says the lock is
 * no longer this JVM's (its session was closed), every such lock is reported lost ({@link SingletonLocks#onLost}) and its holder
 * cancels its run. A task that honours cancellation within the margin has therefore stopped
 * before another node can start. This assumes that the clocks of this JVM and the CP members run
 * at about the same rate (the TTL is measured on the group's leader, the deadline here) and that
 * session heartbeats flow whenever a confirmation does (both need the group's majority); a JVM
 * paused longer than the margin (a long GC) can still overlap, which fencing tokens cover.
 *
 * <p><b>Taking over.</b> The group also hands a lock over before the holder's session could
 * expire: when it closes the session (its member left the cluster, or an operator closed it), the
 * lock is free at once, while the holder still thinks it holds it until its next confirmation
 * (one heartbeat interval later) or its deadline (cut off from the group). So a lock just taken
 * is reported acquired only after the session TTL ({@link #takeoverWait()}, 5 s with
 * {@code conf/cluster-cp.xml}): by then any previous holder has either been told its lock is gone
 * or passed its deadline (at most TTL − margin after its last confirmation or lock operation,
 * both before the hand-over), and its run has had the margin to stop. Without it a run started
 * while the previous one was still ending (a clean-clone run of CpFailoverTest measured 1,028 ms
 * of overlap). Every CP acquisition, a failover's included, therefore takes the TTL longer; a
 * release during the wait makes it report "not acquired".
 *
 * <p>A FencedLock belongs to the thread that took it, so every lock and unlock of this JVM runs on
 * one daemon thread, {@code vertx-background-cp-locks}; it also refuses a second local holder of a
 * task (FencedLock is reentrant for its owner thread), and asks the confirmations. The deadline is
 * kept by another daemon thread, {@code vertx-background-cp-fence}, which a confirmation that
 * hangs (the group cannot be reached) does not hold up. Calls never block the caller. Thread-safe.
 */
public final class CpSingletonLocks implements SingletonLocks {

  private static final Logger LOG = LoggerFactory.getLogger(CpSingletonLocks.class);
  static final String PREFIX = "dev.background.singleton.";
  /** How long before the session could expire a holder fences itself by default: 1 s. */
  public static final Duration DEFAULT_FENCE_MARGIN = Duration.ofSeconds(1);
  private static final Runnable NOT_YET = () -> { };

  private final HazelcastInstance hazelcast;
  private final long ttlNanos;
  private final long heartbeatNanos;
  private final long marginNanos;
  private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> daemon(r,
      "vertx-background-cp-locks"));
  private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r ->
      daemon(r, "vertx-background-cp-fence"));
  /**
   * Tasks whose lock this JVM holds, to the fence of that acquisition (a lock released and taken
   * again has a new fence); touched on the owner thread only.
   */
  private final Map<String, Long> held = new HashMap<>();

  // The session watch, guarded by this.
  /** Held locks not reported lost: task to its onLost callback (NOT_YET before it is given). */
  private final Map<String, Runnable> watched = new HashMap<>();
  /** Held locks reported lost before their callback was given. */
  private final Set<String> lostEarly = new HashSet<>();
  /** Until when (nanoTime) the group cannot have expired this JVM's session. */
  private long confirmedUntil;
  /** When the last lock was taken (nanoTime): a confirmation sent before says nothing of it. */
  private long acquiredAt;
  private long querySentAt;
  private boolean querying;
  private boolean watching;

  /**
   * Locks on the CP subsystem of {@code hazelcast} (see {@code ClusterVertx.hazelcast(vertx)} for
   * the instance under a clustered Vert.x), fencing {@link #DEFAULT_FENCE_MARGIN} before the
   * session could expire.
   */
  public CpSingletonLocks(HazelcastInstance hazelcast) {
    this(hazelcast, DEFAULT_FENCE_MARGIN);
  }

  /**
   * Locks on the CP subsystem of {@code hazelcast}, fencing {@code fenceMargin} before the session
   * could expire: the time a task has to stop once cancelled.
   *
   * @param fenceMargin &gt; 0 and &lt; the session TTL − 2 × heartbeat interval of the CP
   *     configuration, so that a confirmation every heartbeat interval keeps a healthy holder
   * @throws IllegalArgumentException naming the margin and the configuration when it does not fit
   */
  public CpSingletonLocks(HazelcastInstance hazelcast, Duration fenceMargin) {
    this.hazelcast = hazelcast;
    CPSubsystemConfig cp = hazelcast.getConfig().getCPSubsystemConfig();
    this.ttlNanos = TimeUnit.SECONDS.toNanos(cp.getSessionTimeToLiveSeconds());
    this.heartbeatNanos = TimeUnit.SECONDS.toNanos(cp.getSessionHeartbeatIntervalSeconds());
    if (fenceMargin == null || fenceMargin.isNegative() || fenceMargin.isZero()
        || fenceMargin.toNanos() >= ttlNanos - 2 * heartbeatNanos) {
      throw new IllegalArgumentException("CpSingletonLocks: fenceMargin must be > 0 and < "
          + "session-time-to-live-seconds (" + cp.getSessionTimeToLiveSeconds() + " s) - 2 x "
          + "session-heartbeat-interval-seconds (" + cp.getSessionHeartbeatIntervalSeconds()
          + " s), was " + fenceMargin);
    }
    this.marginNanos = fenceMargin.toNanos();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public Future<Long> tryAcquire(String task) {
    return onOwner(promise -> {
      if (held.containsKey(task)) {
        promise.complete(null);
        return;
      }
      FencedLock lock = hazelcast.getCPSubsystem().getLock(PREFIX + task);
      long sent = System.nanoTime();
      long fence = lock.tryLockAndGetFence();
      if (fence == FencedLock.INVALID_FENCE) {
        promise.complete(null);
      } else {
        held.put(task, fence);
        watch(task, sent);
        // See "Taking over" in the class comment: the previous holder may not know yet. Not
        // acquired if released meanwhile, even if taken again since (that is another fence).
        watcher.schedule(() -> owner.execute(() -> promise.complete(
            Long.valueOf(fence).equals(held.get(task)) ? fence : null)),
            ttlNanos, TimeUnit.NANOSECONDS);
      }
    });
  }

  /**
   * How long a lock just taken is held before it is reported acquired: the session TTL. See
   * "Taking over" in the class comment.
   *
   * @return the wait
   */
  public Duration takeoverWait() {
    return Duration.ofNanos(ttlNanos);
  }

  @Override
  public Future<Void> release(String task) {
    synchronized (this) {
      watched.remove(task);
      lostEarly.remove(task);
    }
    return onOwner(promise -> {
      if (held.remove(task) != null) {
        FencedLock lock = hazelcast.getCPSubsystem().getLock(PREFIX + task);
        try {
          if (lock.isLockedByCurrentThread()) {
            lock.unlock();
          }
        } catch (RuntimeException e) {
          // The session is gone (the lock with it) or the group cannot be reached: nothing to free.
          LOG.debug("{}: CP lock not released: {}", task, e.toString());
        }
      }
      promise.complete();
    });
  }

  @Override
  public void onLost(String task, Runnable lost) {
    boolean now;
    synchronized (this) {
      now = lostEarly.remove(task);
      if (!now && watched.containsKey(task)) {
        watched.put(task, lost);
      }
    }
    if (now) {
      lost.run();
    }
  }

  // ---------------------------------------------------------------- the session watch

  /** A lock was taken by an operation sent at {@code sent}: watch the session from now on. */
  private void watch(String task, long sent) {
    boolean start;
    synchronized (this) {
      // A lock operation is a session heartbeat, committed after it was sent.
      if (watched.isEmpty()) {
        confirmedUntil = sent + ttlNanos;
      } else {
        confirmedUntil = Math.max(confirmedUntil, sent + ttlNanos);
      }
      watched.put(task, NOT_YET);
      lostEarly.remove(task);
      acquiredAt = sent;
      start = !watching;
      watching = true;
    }
    if (start) {
      long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), Math.min(heartbeatNanos / 4,
          TimeUnit.MILLISECONDS.toNanos(250)));
      watcher.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
    }
  }

  /** Fences when the deadline has passed; otherwise asks the group once per heartbeat interval. */
  private void tick() {
    try {
      long now = System.nanoTime();
      boolean ask = false;
      long overdue;
      synchronized (this) {
        if (watched.isEmpty()) {
          return;
        }
        overdue = now - (confirmedUntil - marginNanos);
        if (overdue < 0 && (!querying || now - querySentAt > ttlNanos)
            && now - querySentAt >= heartbeatNanos) {
          querying = true;
          querySentAt = now;
          ask = true;
        }
      }
      if (overdue >= 0) {
        lose(null, "its CP session has not been confirmed for "
            + TimeUnit.NANOSECONDS.toMillis(ttlNanos - heartbeatNanos - marginNanos + overdue)
            + " ms (fencing after " + TimeUnit.NANOSECONDS.toMillis(ttlNanos - heartbeatNanos
            - marginNanos) + " ms)");
      } else if (ask) {
        confirm(now);
      }
    } catch (RuntimeException e) {
      // A Hazelcast that is shutting down; the deadline still holds.
      LOG.debug("CP session check failed", e);
    }
  }

  /**
   * Asks the CP group, on the owner thread (a FencedLock's owner is a thread), whether each held
   * lock is still this JVM's: a linearizable read on the locks' own group, answered only while
   * the group has a majority and this JVM's session is open.
   */
  private void confirm(long sent) {
    this.<Set<String>>onOwner(promise -> {
      Set<String> gone = new HashSet<>();
      for (String task : new ArrayList<>(held.keySet())) {
        FencedLock lock = hazelcast.getCPSubsystem().getLock(PREFIX + task);
        try {
          if (!lock.isLockedByCurrentThread()) {
            gone.add(task);
          }
        } catch (LockOwnershipLostException e) {
          gone.add(task);
        }
      }
      promise.complete(gone);
    }).onComplete(ar -> answered(sent, ar.result(), ar.cause()));
  }

  /** What a confirmation sent at {@code sent} found: the held locks that are no longer held. */
  private void answered(long sent, Set<String> gone, Throwable failure) {
    synchronized (this) {
      if (sent == querySentAt) {
        querying = false;
      }
      if (failure != null) {
        LOG.debug("CP locks not confirmed: {}", failure.toString());
        return;
      }
      if (gone.isEmpty() && sent >= acquiredAt) {
        confirmedUntil = Math.max(confirmedUntil, sent + ttlNanos - heartbeatNanos);
      }
    }
    if (!gone.isEmpty()) {
      lose(gone, "the CP group no longer has them as this node's (its CP session was closed)");
    }
  }

  /**
   * Reports the held locks of {@code only} (all when null) lost: each callback once, a callback not
   * given yet when it is given.
   */
  private void lose(Set<String> only, String why) {
    List<Runnable> callbacks = new ArrayList<>();
    List<String> tasks = new ArrayList<>();
    synchronized (this) {
      for (Map.Entry<String, Runnable> e : new ArrayList<>(watched.entrySet())) {
        if (only != null && !only.contains(e.getKey())) {
          continue;
        }
        tasks.add(e.getKey());
        watched.remove(e.getKey());
        if (e.getValue() == NOT_YET) {
          lostEarly.add(e.getKey());
        } else {
          callbacks.add(e.getValue());
        }
      }
    }
    if (tasks.isEmpty()) {
      return;
    }
    LOG.warn("cluster: this node can no longer confirm its CP locks of {}: {}", tasks, why);
    for (Runnable callback : callbacks) {
      try {
        callback.run();
      } catch (RuntimeException e) {
        LOG.warn("cluster: a lost-lock callback failed", e);
      }
    }
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
