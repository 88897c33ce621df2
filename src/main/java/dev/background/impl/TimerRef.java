package dev.background.impl;

import io.vertx.core.Vertx;

/**
 * A Vert.x timer that can be cancelled before its id is known: timers are sometimes set from
 * the tracker's own context after a hop (see {@link TasksImpl#setTimer}).
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
      vertx.cancelTimer(id);
    } else {
      this.id = id;
    }
  }

  synchronized void cancel() {
    cancelled = true;
    if (id >= 0) {
      vertx.cancelTimer(id);
      id = -1;
    }
  }
}
