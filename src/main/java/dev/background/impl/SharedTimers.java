package dev.background.impl;

import dev.background.TasksClock;
import io.vertx.core.Handler;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Schedule timers that come due in the same millisecond share one timer of the clock.
 *
 * <p>Ten thousand schedules re-arm ten thousand timers a second. As clock timers, each is a Vert.x
 * timer: a task in the event loop's priority queue (whose every removal walks a heap of ten
 * thousand entries) and a few objects to collect. Here a timer is a slot in its millisecond's
 * {@link Bucket}, and only the bucket is a clock timer: a herd of fires costs one queue entry per
 * millisecond, and each fire an array slot. A timer's due time is rounded up to a whole
 * millisecond (on the clock's {@link TasksClock#nanoTime()} scale), and the clock timer of its
 * bucket counts whole milliseconds from when it was set: a timer never fires early, and fires
 * up to about two milliseconds after its due time (one on average).
 *
 * <p>A bucket fires on the context its first timer was set from (the clock decides, as for any
 * timer); its targets see where they are and hop when they must. A cancelled timer leaves its
 * bucket at once, so a schedule re-planned many times holds nothing in far buckets. Thread-safe:
 * timers are set from event loops and from the threads of blocking runs.
 */
final class SharedTimers {

  /** What a shared timer calls; the ticket tells a current timer from one replaced since. */
  interface Target {
    void timerFired(long ticket);
  }

  /** Longer delays are cut to this (about 146 years), which leaves room to add the time now. */
  private static final long MAX_DELAY_MS = Long.MAX_VALUE / 2_000_000L;

  private final TasksClock clock;
  private final AtomicLong tickets = new AtomicLong();
  /** The buckets not fired yet, by due millisecond. Guarded by this. */
  private final Map<Long, Bucket> buckets = new HashMap<>();
  /**
   * The bucket armed last, while it has not fired nor emptied: a herd arms into the same
   * millisecond many times in a row, and this spares the map lookup (and its boxed key). Guarded by this.
   */
  private Bucket last;

  SharedTimers(TasksClock clock) {
    this.clock = clock;
  }

  /**
   * The millisecond, on the clock's {@link TasksClock#nanoTime()} scale, at which a timer of
   * {@code delayNanos} from now fires: the first whole one at or after its due time.
   */
  long dueMillis(long delayNanos) {
    long nowNanos = clock.nanoTime();
    long sinceMs = Math.floorMod(nowNanos, 1_000_000L);
    long delayMs = delayNanos > MAX_DELAY_MS * 1_000_000L ? MAX_DELAY_MS
        : RestartDelay.ceilMillis(Math.max(0, delayNanos) + sinceMs);
    return Math.floorDiv(nowNanos, 1_000_000L) + delayMs;
  }

  /**
   * Calls {@code target.timerFired(ticket)} at {@code dueMs} (from {@link #dueMillis}), with the
   * ticket returned here; {@link #cancel} takes both back.
   */
  long arm(long dueMs, Target target) {
    long ticket = tickets.incrementAndGet();
    Bucket created = null;
    synchronized (this) {
      Bucket bucket = last != null && last.dueMs == dueMs && last.targets != null ? last
          : buckets.get(dueMs);
      if (bucket == null) {
        bucket = created = new Bucket(dueMs);
        buckets.put(dueMs, bucket);
      }
      bucket.add(target, ticket);
      last = bucket;
    }
    if (created != null) {
      // Outside the lock: setting a clock timer may take the clock's own locks.
      long delayMs = Math.max(0, dueMs - Math.floorDiv(clock.nanoTime(), 1_000_000L));
      long id = clock.setTimer(delayMs, created);
      boolean emptied;
      synchronized (this) {
        emptied = created.live == 0;
        created.clockTimer = id;
      }
      if (emptied) {
        clock.cancelTimer(id); // every timer of it was cancelled before its clock timer was set
      }
    }
    return ticket;
  }

  /**
   * Takes the timer {@code ticket} out of its bucket, and the bucket's clock timer with the last
   * one; a no-op once the bucket fired.
   */
  void cancel(long dueMs, long ticket) {
    long emptiedTimer = -1;
    synchronized (this) {
      Bucket bucket = buckets.get(dueMs);
      if (bucket != null && bucket.remove(ticket) && bucket.live == 0) {
        buckets.remove(dueMs);
        bucket.targets = null; // closed: the last-armed shortcut must not add to it any more
        emptiedTimer = bucket.clockTimer; // -1 while arm has not set it: arm cancels it then
      }
    }
    if (emptiedTimer >= 0) {
      clock.cancelTimer(emptiedTimer);
    }
  }

  /** The timers of one millisecond, in the order they were set; a cancelled one leaves a hole. */
  private final class Bucket implements Handler<Long> {
    private final long dueMs;
    private Target[] targets = new Target[4];
    private long[] ticketsOf = new long[4];
    private int size;
    private int live;
    /** The clock timer that fires this bucket; -1 until {@code setTimer} returned. */
    private long clockTimer = -1;

    Bucket(long dueMs) {
      this.dueMs = dueMs;
    }

    void add(Target target, long ticket) {
      if (size == targets.length) {
        targets = Arrays.copyOf(targets, size * 2);
        ticketsOf = Arrays.copyOf(ticketsOf, size * 2);
      }
      targets[size] = target;
      ticketsOf[size++] = ticket;
      live++;
    }

    boolean remove(long ticket) {
      for (int i = 0; i < size; i++) {
        if (ticketsOf[i] == ticket && targets[i] != null) {
          targets[i] = null;
          live--;
          return true;
        }
      }
      return false;
    }

    /** The clock timer fired: the bucket leaves the map, then each of its timers fires in turn. */
    @Override
    public void handle(Long clockTimerId) {
      Target[] fired;
      long[] firedTickets;
      int n;
      synchronized (SharedTimers.this) {
        if (targets == null) {
          return; // emptied by cancels while its clock timer was firing
        }
        buckets.remove(dueMs, this);
        fired = targets;
        firedTickets = ticketsOf;
        n = size;
        targets = null; // a cancel from now on finds the bucket gone from the map
      }
      RuntimeException first = null;
      for (int i = 0; i < n; i++) {
        if (fired[i] != null) {
          try {
            fired[i].timerFired(firedTickets[i]);
          } catch (RuntimeException e) {
            // One target's failure must not cost the others their fire: it is thrown once every
            // target has had its own, to the context, as a failing timer handler's would be.
            if (first == null) {
              first = e;
            } else {
              first.addSuppressed(e);
            }
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }
}
