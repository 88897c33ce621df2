package dev.background.impl;

import dev.background.TasksClock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The deadline of {@code close(timeout)}. It must hold whatever a task does, and an async task
 * can block the event loop it runs on, which may be the very loop a Vert.x timer would fire on.
 * So with the default clock ({@link VertxClock}) the deadline is kept off the event loops, by the
 * JDK's delay scheduler; with a clock given in the options (a {@code TestClock}) it is one of
 * that clock's timers, so that tests still move it by hand.
 */
final class Deadline {

  /** The clock's timer, or null off the event loops. */
  private final TasksClock clock;
  private final long timer;
  /** Off the event loops: the action until it ran or was cancelled. */
  private final AtomicReference<Runnable> action;

  private Deadline(TasksClock clock, long timer, AtomicReference<Runnable> action) {
    this.clock = clock;
    this.timer = timer;
    this.action = action;
  }

  /** Runs {@code action} once {@code delayMillis} have passed, unless cancelled first. */
  static Deadline arm(TasksClock clock, long delayMillis, Runnable action) {
    if (!(clock instanceof VertxClock)) {
      return new Deadline(clock, clock.setTimer(delayMillis, id -> action.run()), null);
    }
    // A cancelled deadline leaves only an empty reference in the scheduler's queue until its time.
    AtomicReference<Runnable> pending = new AtomicReference<>(action);
    CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS).execute(() -> {
      Runnable due = pending.getAndSet(null);
      if (due != null) {
        due.run();
      }
    });
    return new Deadline(null, -1, pending);
  }

  void cancel() {
    if (clock != null) {
      clock.cancelTimer(timer);
    } else {
      action.set(null);
    }
  }
}
