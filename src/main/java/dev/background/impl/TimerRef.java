package dev.background.impl;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.util.concurrent.RejectedExecutionException;

/**
 * One timer of {@link VertxClock}: its id, its handler, and the Vert.x timer that fires it, which
 * can be cancelled before its Vert.x id is known (the clock sometimes sets timers from the
 * tracker's own context after a hop). It is itself the Vert.x timer's handler, so a timer costs
 * one object here. When Vert.x refuses timers (it is closed), the timer has no Vert.x id and its
 * delayed firing checks {@link #isCancelled()}.
 */
final class TimerRef implements Handler<Long> {

  private final VertxClock clock;
  /** The clock's id of this timer (not the Vert.x one). */
  final long id;
  final Handler<Long> handler;
  private long vertxId = -1;
  private boolean cancelled;

  TimerRef(VertxClock clock, long id, Handler<Long> handler) {
    this.clock = clock;
    this.id = id;
    this.handler = handler;
  }

  /** The Vert.x timer fired. */
  @Override
  public void handle(Long vertxTimerId) {
    clock.fire(this);
  }

  synchronized void set(long vertxTimerId) {
    if (cancelled) {
      cancelTimer(vertxTimerId);
    } else {
      this.vertxId = vertxTimerId;
    }
  }

  synchronized boolean isCancelled() {
    return cancelled;
  }

  synchronized void cancel() {
    cancelled = true;
    if (vertxId >= 0) {
      cancelTimer(vertxId);
      vertxId = -1;
    }
  }

  /** Cancels the Vert.x timer; once Vert.x is closed its timers are gone and it refuses this. */
  private void cancelTimer(long timerId) {
    try {
      clock.vertx().cancelTimer(timerId);
    } catch (RejectedExecutionException vertxClosed) {
      // nothing left to cancel
    }
  }
}
