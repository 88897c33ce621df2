package dev.background.impl;

import dev.background.SingletonLocks;
import dev.background.TaskState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The right to run one singleton task: a lock with a fencing token from {@link SingletonLocks},
 * and a shared-map record of the task's backoff state ({@link LeaseState}) so that a new holder
 * carries on where the last one stopped.
 *
 * <p>Waiting is polling: each try asks for the lock without waiting, then a timer schedules the
 * next try. A blocking lock wait would hold a thread per standby task for as long as it waits.
 *
 * <p>Fencing: when the lock reports that it can no longer be confirmed
 * ({@link SingletonLocks#onLost}), or this member merged into the other side of a healed network
 * partition ({@link SingletonLocks#FENCE_ALL_ADDRESS}), the lease stops holding (it writes no more
 * state; it releases the lock unless that would free another holder's) and runs the handler given
 * to {@link #onFenced(Runnable)}. The owner (a run task's {@link Supervisor}, a schedule) then
 * cancels its run, publishes {@code fenced}, stands by, and calls {@link #acquire} again once the
 * run has ended. Thread-safe.
 */
final class SingletonLease {

  private static final Logger LOG = LoggerFactory.getLogger(SingletonLease.class);
  static final String STATE_MAP = "dev.background.singletons";

  /**
   * What a holder records for the next one, in the shared map under the task's name.
   *
   * @param attempt the attempt of the next run
   * @param consecutiveFailures failures since the last success
   * @param nextRunAtMillis when the pending restart is due (epoch ms), or null
   * @param token the fencing token of the holder that wrote it
   * @param finalState the task's final state when it ended on its holder (never CANCELLED), or null
   * @param finalAtMillis when it reached that state (epoch ms); 0 without one
   * @param holder the node that wrote it
   * @param lastSlot for a schedule, the last slot handled (fired, missed or skipped), written
   *     before its run starts so that no holder fires it again; otherwise null
   */
  record LeaseState(int attempt, int consecutiveFailures, Long nextRunAtMillis, long token,
      TaskState finalState, long finalAtMillis, String holder, Instant lastSlot) {

    /** This state, ended in {@code end} at {@code at}. */
    LeaseState finished(TaskState end, Instant at) {
      return new LeaseState(attempt, consecutiveFailures, nextRunAtMillis, token, end,
          at.toEpochMilli(), holder, lastSlot);
    }

    /** This state with a schedule's last handled slot. */
    LeaseState withLastSlot(Instant slot) {
      return new LeaseState(attempt, consecutiveFailures, nextRunAtMillis, token, finalState,
          finalAtMillis, holder, slot);
    }

    JsonObject toJson() {
      JsonObject json = new JsonObject()
          .put("attempt", attempt)
          .put("consecutiveFailures", consecutiveFailures)
          .put("nextRunAt", nextRunAtMillis)
          .put("token", token);
      if (finalState != null) {
        json.put("final", finalState.name()).put("finalAt", finalAtMillis);
      }
      if (lastSlot != null) {
        json.put("lastSlot", lastSlot.toString());
      }
      return json.put("holder", holder);
    }

    /** Reads what {@link #toJson()} wrote; null for null. */
    static LeaseState fromJson(JsonObject json) {
      if (json == null) {
        return null;
      }
      String end = json.getString("final");
      return new LeaseState(json.getInteger("attempt", 1), json.getInteger("consecutiveFailures", 0),
          json.getLong("nextRunAt"), json.getLong("token", 0L),
          end == null ? null : TaskState.valueOf(end), json.getLong("finalAt", 0L),
          json.getString("holder"),
          json.getString("lastSlot") == null ? null : Instant.parse(json.getString("lastSlot")));
    }
  }

  /** What a new holder learns: its fencing token and the last holder's state (or null). */
  record Acquisition(long token, LeaseState lastState) {
  }

  private final Vertx vertx;
  private final TasksImpl tracker;
  private final SingletonLocks locks;
  private final String task;
  private final String node;
  private final long retryMillis;
  private final long createdAtMillis;
  private boolean holding;
  private boolean stopped;
  /** Counts acquisitions, so that a late loss report of an earlier one is ignored. */
  private long acquisitions;
  private Runnable fencedHandler;
  /** The consumer of {@link SingletonLocks#FENCE_ALL_ADDRESS} while holding, or null. */
  private MessageConsumer<Object> fenceAll;
  private Future<Void> writes = Future.succeededFuture();
  private volatile String holder;
  private volatile long token;

  SingletonLease(TasksImpl tracker, String task) {
    this.tracker = tracker;
    this.vertx = tracker.vertx();
    this.locks = tracker.singletonLocks();
    this.task = task;
    this.node = tracker.nodeId();
    this.retryMillis = tracker.options().getSingletonRetryInterval().toMillis();
    this.createdAtMillis = tracker.clock().now().toEpochMilli();
  }

  /**
   * What to run when the lock of the current acquisition can no longer be confirmed: at most once
   * per acquisition, on any thread, never under this lease's monitor, and only while holding (not
   * after {@link #release()}). By then the lease no longer holds: the owner must cancel its run,
   * publish {@code fenced}, stand by, and call {@link #acquire} again once its run has ended (a
   * second run must not start on this node while the first still runs). Set it once, before the
   * first {@link #acquire}.
   */
  synchronized void onFenced(Runnable handler) {
    this.fencedHandler = handler;
  }

  /** Whether this node holds the lease now (acquired, not released, not fenced). */
  synchronized boolean isHolding() {
    return holding;
  }

  /** The node that held the lease when last seen, or null. */
  String holder() {
    return holder;
  }

  /** The fencing token of the last acquisition, 0 before the first. */
  long token() {
    return token;
  }

  /**
   * The final state to adopt from the last holder's {@code last} state: the task finished there
   * after this one was submitted, so it must not run here. Null when it should run.
   */
  TaskState adoptedEnd(LeaseState last) {
    return last != null && last.finalState() != null && last.finalAtMillis() >= createdAtMillis
        ? last.finalState() : null;
  }

  /** This holder's state for the next one; {@code nextRunAt} may be null. */
  LeaseState state(int attempt, int consecutiveFailures, Instant nextRunAt) {
    return new LeaseState(attempt, consecutiveFailures,
        nextRunAt == null ? null : nextRunAt.toEpochMilli(), token, null, 0L, node, null);
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
    tracker.clock().setTimer(retryMillis, id -> acquire(onAcquired));
  }

  private void acquired(long fencingToken, Handler<Acquisition> onAcquired) {
    long acquisition;
    synchronized (this) {
      if (stopped) {
        locks.release(task);
        return;
      }
      holding = true;
      acquisition = ++acquisitions;
    }
    holder = node;
    map().compose(m -> m.get(task))
        .onSuccess(state -> {
          token = fencingToken;
          onAcquired.handle(new Acquisition(fencingToken, LeaseState.fromJson(state)));
          // After the owner took over, so that a loss reported at once finds it holding.
          locks.onLost(task, () -> lost(acquisition, "the lock can no longer be confirmed", true));
          watchFenceAll(acquisition);
        })
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

  /**
   * While {@code acquisition} holds, a message on {@link SingletonLocks#FENCE_ALL_ADDRESS} fences
   * it: this member merged into the other side of a healed network partition, where another node
   * may hold the lock. The lock is not released: a Vert.x shared-data lock of the side that merged
   * is void, and releasing it (vertx-hazelcast force-unlocks) would free the other side's holder's
   * lock; other locks (CP) are released, as they release only what they hold.
   */
  private void watchFenceAll(long acquisition) {
    MessageConsumer<Object> consumer = vertx.eventBus().localConsumer(SingletonLocks.FENCE_ALL_ADDRESS);
    consumer.handler(msg -> lost(acquisition, String.valueOf(msg.body()),
        !(locks instanceof SharedDataLocks)));
    synchronized (this) {
      if (holding && !stopped && acquisition == acquisitions) {
        fenceAll = consumer;
        return;
      }
    }
    consumer.unregister();
  }

  /**
   * The lock of {@code acquisition} can no longer be confirmed: stop holding, release the lock when
   * {@code release}, tell the owner.
   */
  private void lost(long acquisition, String why, boolean release) {
    Runnable handler;
    synchronized (this) {
      if (!holding || stopped || acquisition != acquisitions) {
        return;
      }
      holding = false;
      handler = fencedHandler;
      unwatchLocked();
    }
    holder = null;
    LOG.warn("{}: singleton lock (fencing token {}) lost: {}; fencing: the run is cancelled and "
        + "this node stands by until it holds the lock again", task, token, why);
    if (release) {
      locks.release(task).onFailure(e -> LOG.debug("{}: releasing a lost lock failed", task, e));
    }
    if (handler != null) {
      handler.run();
    }
  }

  private void refreshHolder() {
    map().compose(m -> m.get(task)).onSuccess(state -> {
      if (state != null) {
        holder = state.getString("holder");
      }
    });
  }

  /**
   * Records the task's state for the next holder; writes happen in the order they were asked. A
   * lease that does not hold (fenced) writes nothing: the lock may be someone else's by now. The
   * future completes (never fails: a failure is logged) when this write is done.
   */
  synchronized Future<Void> save(LeaseState state) {
    if (!holding) {
      return Future.succeededFuture();
    }
    JsonObject record = state.toJson();
    writes = writes.transform(ar -> map().compose(m -> m.put(task, record)))
        .onFailure(e -> LOG.warn("{}: singleton state not saved", task, e));
    return writes.otherwiseEmpty().mapEmpty();
  }

  private void unwatchLocked() {
    if (fenceAll != null) {
      fenceAll.unregister();
      fenceAll = null;
    }
  }

  /** Gives the lease up (once pending writes are done) and stops trying to take it. */
  synchronized void release() {
    stopped = true;
    unwatchLocked();
    if (holding) {
      holding = false;
      writes.onComplete(ar -> locks.release(task));
    }
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(STATE_MAP);
  }
}
