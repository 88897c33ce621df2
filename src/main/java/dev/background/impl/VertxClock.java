package dev.background.impl;

import dev.background.TasksClock;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default {@link TasksClock}: the system clock and Vert.x timers that no deployment owns.
 *
 * <p>A timer set on a verticle's context dies when that verticle is undeployed, but a restart
 * timer must outlive whoever started the task. So a timer asked for on a deployment's context is
 * set from the tracker's own context after a hop, and its Vert.x id arrives a moment later
 * ({@link TimerRef} absorbs that); the id this clock returns for it is its own, known at once.
 * Every other timer is a plain Vert.x timer and its id is the Vert.x one: nothing of ours is kept
 * for it, because a herd of restarts re-arms thousands of timers at once, and every object a
 * live timer holds is one more for each young collection to copy (schedules go further and share
 * one timer per millisecond, see {@code SharedTimers}). The two kinds of id cannot
 * meet: ours have bit 62 set, which Vert.x's counter never reaches. When Vert.x is closed and
 * refuses timers, the JDK's delay scheduler fires them instead, so that a close deadline is
 * still kept. Thread-safe.
 */
final class VertxClock implements TasksClock {

  /** The bit that marks an id of this clock's own ({@link TimerRef}) rather than a Vert.x id. */
  private static final long OWN_ID = 1L << 62;

  private final Vertx vertx;
  private final Context home;
  private final AtomicLong ids = new AtomicLong();
  /** The timers set after a hop or after Vert.x closed, by their own id. */
  private final Map<Long, TimerRef> timers = new ConcurrentHashMap<>();

  /** {@code home}: an event-loop context of no deployment, where timers are set after a hop. */
  VertxClock(Vertx vertx, Context home) {
    this.vertx = vertx;
    this.home = home;
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long setTimer(long delayMillis, Handler<Long> handler) {
    long delay = Math.max(1, delayMillis);
    Context current = Vertx.currentContext();
    if (current == null || current.deploymentID() == null) {
      try {
        return vertx.setTimer(delay, handler);
      } catch (RejectedExecutionException vertxClosed) {
        return afterVertxClosed(newRef(handler), delay);
      }
    }
    TimerRef ref = newRef(handler);
    // The ref exists before the Vert.x timer does: a 1 ms timer may fire on its event loop
    // before vertx.setTimer has even returned here.
    try {
      home.runOnContext(v -> {
        try {
          ref.set(vertx.setTimer(delay, ref));
        } catch (RejectedExecutionException vertxClosed) {
          afterVertxClosed(ref, delay);
        }
      });
    } catch (RejectedExecutionException vertxClosed) {
      afterVertxClosed(ref, delay);
    }
    return ref.id;
  }

  @Override
  public boolean cancelTimer(long id) {
    if ((id & OWN_ID) == 0) {
      try {
        return vertx.cancelTimer(id);
      } catch (RejectedExecutionException vertxClosed) {
        return false; // its timers are gone with it
      }
    }
    TimerRef ref = timers.remove(id);
    if (ref == null) {
      return false;
    }
    ref.cancel();
    return true;
  }

  private TimerRef newRef(Handler<Long> handler) {
    TimerRef ref = new TimerRef(this, OWN_ID | ids.incrementAndGet(), handler);
    timers.put(ref.id, ref);
    return ref;
  }

  /** Calls the handler unless the timer was cancelled (or already fired). */
  void fire(TimerRef ref) {
    if (timers.remove(ref.id) != null) {
      ref.handler.handle(ref.id);
    }
  }

  Vertx vertx() {
    return vertx;
  }

  /**
   * Vert.x was closed under the tracker and refuses timers: the timer still fires, from the JDK's
   * delay scheduler, so that a close deadline is kept and the close completes or fails.
   */
  private long afterVertxClosed(TimerRef ref, long delayMs) {
    CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(() -> {
      if (!ref.isCancelled()) {
        fire(ref);
      }
    });
    return ref.id;
  }
}
