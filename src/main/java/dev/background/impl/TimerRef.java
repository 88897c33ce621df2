package dev.background.impl;

import io.vertx.core.Vertx;

import java.util.concurrent.RejectedExecutionException;

/**
 * A Vert.x timer that can be cancelled before its id is known: {@link VertxClock} sometimes sets
 * timers from the tracker's own context after a hop. When Vert.x refuses timers (it is closed),
 * the timer has no id and its handler checks {@link #isCancelled()}.
 */
final class TimerRef {

  private final Vertx vertx;
  private long id = -1;
  private boolean cancelled;

  TimerRef(Vertx vertx) {
    this.vertx = vertx;
  }

  synchronized void set(long id) {
    if (cancelled) {
      cancelTimer(id);
    } else {
      this.id = id;
    }
  }

  synchronized boolean isCancelled() {
    return cancelled;
  }

  synchronized void cancel() {
    cancelled = true;
    if (id >= 0) {
      cancelTimer(id);
      id = -1;
    }
  }

  /** Cancels the Vert.x timer; once Vert.x is closed its timers are gone and it refuses this. */
  private void cancelTimer(long timerId) {
    try {
      vertx.cancelTimer(timerId);
    } catch (RejectedExecutionException vertxClosed) {
      // nothing left to cancel
    }
  }
}
