package dev.background.testing;

import dev.background.TasksClock;
import io.vertx.core.Handler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A {@link TasksClock} whose time moves only when a test calls {@link #advance(Duration)}, so that
 * restart delays, start delays, run timeouts, {@code resetAfter} and {@code maxRestarts} windows
 * can be tested without waiting for them.
 *
 * <p>Give it to the tracker in its options, start tasks, then move time forward: every timer that
 * comes due fires, in order, on the thread that called {@code advance}. A timer's handler often
 * only starts a run (on a task thread or an event loop), so await the result rather than expect it
 * when {@code advance} returns:
 *
 * <pre>{@code
 * TestClock clock = new TestClock();
 * Tasks tasks = Tasks.create(vertx, new TasksOptions().setClock(clock));
 * TaskHandle h = tasks.run("poller", ctx -> poll(), Backoff.fixed(Duration.ofMinutes(5)));
 * await().until(() -> h.status().state() == TaskState.BACKING_OFF);
 *
 * clock.advance(Duration.ofMinutes(5));
 *
 * await().until(() -> h.status().runs() == 2);
 * }</pre>
 *
 * <p>Timers fire in the order they are due; timers due at the same time fire in the order they
 * were set. While a timer fires, {@link #now()} reads its due time; when {@code advance} returns,
 * the clock reads the start time plus every duration advanced so far. A timer of 0 ms fires at
 * the next {@code advance}, even {@code advance(Duration.ZERO)}. Everything the tracker times is
 * on this clock, the close deadline too: {@code close()} still completes as soon as every task
 * has stopped, but fails for a task that ignores cancellation only once the clock passes the
 * deadline.
 *
 * <p>Thread-safe. Handlers are called without any lock of this clock held, so they may set and
 * cancel timers (one set during an advance fires in it when it falls within the advanced window).
 * Calls to {@code advance} from several threads add up. A handler that throws does not stop the
 * others: the advance completes, then throws the first exception.
 */
public final class TestClock implements TasksClock {

  /** Where a clock made with {@link #TestClock()} starts: 2026-01-01T00:00:00Z. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private static final class Timer {
    final long id;
    final long dueNanos;
    final Handler<Long> handler;

    Timer(long id, long dueNanos, Handler<Long> handler) {
      this.id = id;
      this.dueNanos = dueNanos;
      this.handler = handler;
    }
  }

  private final Instant start;
  /** Ids grow with creation, so ordering by (due, id) fires ties in creation order. */
  private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) -> a.dueNanos != b.dueNanos
      ? Long.compare(a.dueNanos, b.dueNanos) : Long.compare(a.id, b.id));
  private final Map<Long, Timer> pending = new HashMap<>();
  /** Nanoseconds since {@link #start}: what {@link #now()} and {@link #nanoTime()} read. */
  private long elapsed;
  /** Where the advances asked so far lead; {@code elapsed} catches up as timers fire. */
  private long horizon;
  private long nextId;

  /** A clock that starts at {@link #DEFAULT_START}. */
  public TestClock() {
    this(DEFAULT_START);
  }

  /**
   * A clock that starts at {@code start}.
   *
   * @param start what {@link #now()} reads until the first advance
   */
  public TestClock(Instant start) {
    this.start = Objects.requireNonNull(start, "TestClock: start must not be null");
  }

  @Override
  public synchronized Instant now() {
    return start.plusNanos(elapsed);
  }

  /** The nanoseconds advanced since this clock was made (0 at first). */
  @Override
  public synchronized long nanoTime() {
    return elapsed;
  }

  /**
   * Sets a timer due {@code delayMillis} after {@link #now()}; it fires during a later
   * {@link #advance(Duration)}, never from this call.
   *
   * @throws IllegalArgumentException for a negative delay
   */
  @Override
  public synchronized long setTimer(long delayMillis, Handler<Long> handler) {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("TestClock.setTimer: delayMillis must be >= 0, was " + delayMillis);
    }
    Objects.requireNonNull(handler, "TestClock.setTimer: handler must not be null");
    long delayNanos = delayMillis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : delayMillis * 1_000_000;
    Timer t = new Timer(nextId++, saturatedSum(elapsed, delayNanos), handler);
    queue.add(t);
    pending.put(t.id, t);
    return t.id;
  }

  @Override
  public synchronized boolean cancelTimer(long id) {
    Timer t = pending.remove(id);
    if (t == null) {
      return false;
    }
    queue.remove(t);
    return true;
  }

  /**
   * Moves time forward by {@code duration} and fires every timer that comes due on the way, in
   * due-time order, on this thread, including timers set by those handlers when they fall due
   * within the window. Returns once no timer is due.
   *
   * @param duration how far to move time; may be zero, to fire what is due now
   * @throws IllegalArgumentException for a null or negative duration
   */
  public void advance(Duration duration) {
    if (duration == null || duration.isNegative()) {
      throw new IllegalArgumentException("TestClock.advance: duration must be >= 0, was " + duration);
    }
    long nanos = duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE
        : duration.toNanos();
    long target;
    synchronized (this) {
      horizon = saturatedSum(horizon, nanos);
      target = horizon;
    }
    List<Throwable> failures = null;
    for (;;) {
      Timer due;
      synchronized (this) {
        due = queue.peek();
        if (due == null || due.dueNanos > target) {
          elapsed = Math.max(elapsed, target);
          break;
        }
        queue.poll();
        pending.remove(due.id);
        elapsed = Math.max(elapsed, due.dueNanos);
      }
      try {
        due.handler.handle(due.id);
      } catch (Throwable t) {
        if (failures == null) {
          failures = new ArrayList<>();
        }
        failures.add(t);
      }
    }
    rethrow(failures);
  }

  /**
   * How many timers are set and have neither fired nor been cancelled.
   *
   * @return the number of pending timers
   */
  public synchronized int pendingTimers() {
    return pending.size();
  }

  /**
   * When the earliest pending timer is due.
   *
   * @return its due time, or empty when no timer is pending
   */
  public synchronized Optional<Instant> nextTimerAt() {
    Timer next = queue.peek();
    return next == null ? Optional.empty() : Optional.of(start.plusNanos(next.dueNanos));
  }

  @Override
  public synchronized String toString() {
    return "TestClock(" + now() + ", " + pending.size() + " pending timers)";
  }

  private static long saturatedSum(long a, long b) {
    long sum = a + b;
    return sum < a ? Long.MAX_VALUE : sum;
  }

  private static void rethrow(List<Throwable> failures) {
    if (failures == null) {
      return;
    }
    Throwable first = failures.get(0);
    for (int i = 1; i < failures.size(); i++) {
      if (failures.get(i) != first) {
        first.addSuppressed(failures.get(i));
      }
    }
    if (first instanceof RuntimeException) {
      throw (RuntimeException) first;
    }
    if (first instanceof Error) {
      throw (Error) first;
    }
    throw new IllegalStateException("TestClock.advance: a timer handler failed", first);
  }
}
