package dev.background;

import io.vertx.core.Handler;

import java.time.Instant;

/**
 * Where a tracker reads the time and sets its timers: restart delays, start delays, run timeouts,
 * the {@code maxRestarts} window, {@code resetAfter}, a standby singleton's retries and the close
 * deadline all go through it.
 *
 * <p>The default, used when {@link TasksOptions#getClock()} is {@code null}, is the system clock
 * and Vert.x timers; with it, the close deadline alone is kept off the event loops (on the JDK's
 * delay scheduler), so that an async task that blocks its event loop cannot delay it. Tests give a {@link dev.background.testing.TestClock} instead, to move time
 * forward by hand and see restarts happen without waiting for them.
 *
 * <p>An implementation must be thread-safe: the tracker calls it from event loops, from the
 * threads of blocking tasks and from the threads that call {@link TaskHandle} methods, sometimes
 * while holding a lock of its own. So none of these methods may block, nor call a timer's handler
 * from inside {@link #setTimer} or {@link #cancelTimer}.
 */
public interface TasksClock {

  /**
   * The current time, used for {@code nextRunAt}, event and run timestamps.
   *
   * @return the current instant
   */
  Instant now();

  /**
   * A monotonic time in nanoseconds, used only for differences (how long a run took, for
   * {@code resetAfter} and the duration metrics), like {@link System#nanoTime()}.
   *
   * @return nanoseconds since some fixed origin
   */
  long nanoTime();

  /**
   * Calls {@code handler}, on any thread, once {@code delayMillis} milliseconds have passed, with
   * the id this method returns. {@code delayMillis} is never negative; 0 means as soon as the
   * clock can.
   *
   * @param delayMillis how long to wait, in milliseconds
   * @param handler what to call then, with the timer's id
   * @return a non-negative id, unique among this clock's timers, for {@link #cancelTimer}
   */
  long setTimer(long delayMillis, Handler<Long> handler);

  /**
   * Cancels a timer so that its handler is not called.
   *
   * @param id what {@link #setTimer} returned
   * @return whether the timer was still pending (false once it fired or was cancelled)
   */
  boolean cancelTimer(long id);
}
