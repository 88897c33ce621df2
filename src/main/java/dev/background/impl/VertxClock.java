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
 * ({@link TimerRef} absorbs that); the id this clock returns is its own, known at once. When
 * Vert.x is closed and refuses timers, the JDK's delay scheduler fires them instead, so that a
 * close deadline is still kept. Thread-safe.
 */
final class VertxClock implements TasksClock {

  private final Vertx vertx;
  private final Context home;
  private final AtomicLong ids = new AtomicLong();
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
    long id = ids.incrementAndGet();
    TimerRef ref = new TimerRef(this, id, handler);
    timers.put(id, ref);
    // The ref exists before the Vert.x timer does: a 1 ms timer may fire on its event loop
    // before vertx.setTimer has even returned here.
    long delay = Math.max(1, delayMillis);
    Context current = Vertx.currentContext();
    try {
      if (current == null || current.deploymentID() == null) {
        ref.set(vertx.setTimer(delay, ref));
      } else {
        home.runOnContext(v -> {
          try {
            ref.set(vertx.setTimer(delay, ref));
          } catch (RejectedExecutionException vertxClosed) {
            afterVertxClosed(ref, delay);
          }
        });
      }
    } catch (RejectedExecutionException vertxClosed) {
      afterVertxClosed(ref, delay);
    }
    return id;
  }

  @Override
  public boolean cancelTimer(long id) {
    TimerRef ref = timers.remove(id);
    if (ref == null) {
      return false;
    }
    ref.cancel();
    return true;
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
  private void afterVertxClosed(TimerRef ref, long delayMs) {
    CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS).execute(() -> {
      if (!ref.isCancelled()) {
        fire(ref);
      }
    });
  }
}
