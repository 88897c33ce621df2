package dev.background;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Schedule#dueSlots(Instant, Instant)} computes: the slots that came due between the
 * last handled slot and now, and which of them run under the schedule's {@link Misfire} policy
 * and starting deadline. Kept apart from {@link Schedule} (the value and its slot arithmetic)
 * because it is the one piece of schedule logic that deals with lateness.
 */
final class DueSlots {

  private final Schedule schedule;
  private final Schedule.Kind kind;
  private final Duration interval;
  private final Instant startingAt;
  private final Instant until;
  private final Misfire misfire;
  private final Duration jitter;
  private final Duration startingDeadline;

  DueSlots(Schedule schedule) {
    this.schedule = schedule;
    this.kind = schedule.kind();
    // The fields themselves, not the Optional accessors: this runs twice per fire.
    this.interval = schedule.interval;
    this.startingAt = schedule.startingAt;
    this.until = schedule.until;
    this.misfire = schedule.misfire;
    this.jitter = schedule.jitter;
    this.startingDeadline = schedule.startingDeadline;
  }

  /** See {@link Schedule#dueSlots(Instant, Instant)}. */
  Schedule.Due find(Instant lastSlot, Instant now) {
    Objects.requireNonNull(lastSlot, "lastSlot");
    Objects.requireNonNull(now, "now");
    if (!lastSlot.isBefore(now)) {
      return Schedule.Due.NOTHING; // only slots after lastSlot count: after an every run, none
    }
    if (kind == Schedule.Kind.EVERY) {
      Instant s = schedule.slotAfterOrNull(lastSlot);
      if (s == null || s.isAfter(now)) {
        return Schedule.Due.NOTHING;
      }
      Optional<Instant> slot = Optional.of(s);
      boolean runs = misfire == Misfire.SKIP ? onTime(s, now) : startable(s, now);
      return runs ? new Schedule.Due(List.of(s), 0, false, Optional.empty(), slot)
          : new Schedule.Due(List.of(), 1, false, slot, slot);
    }
    Tail tail = kind == Schedule.Kind.FIXED_RATE ? fixedRateTail(lastSlot, now) : cronTail(lastSlot, now);
    if (tail.count == 0) {
      return Schedule.Due.NOTHING;
    }
    List<Instant> slots = tail.slots;
    Instant latest = slots.get(slots.size() - 1);
    List<Instant> run = new ArrayList<>();
    switch (misfire) {
      case RUN_ONCE:
        if (startable(latest, now)) {
          run.add(latest);
        }
        break;
      case SKIP:
        if (onTime(latest, now)) {
          run.add(latest);
        }
        break;
      default:
        for (Instant s : slots.subList(Math.max(0, slots.size() - Schedule.MAX_CATCH_UP), slots.size())) {
          if (startable(s, now)) {
            run.add(s);
          }
        }
        break;
    }
    long missed = tail.count - run.size();
    // The slots run are the latest ones, so the latest missed one is just before them.
    int lastMissedAt = slots.size() - run.size() - 1;
    Optional<Instant> lastMissed = missed == 0 || lastMissedAt < 0 ? Optional.empty()
        : Optional.of(slots.get(lastMissedAt));
    return new Schedule.Due(run, missed, tail.lowerBound, lastMissed, Optional.of(latest));
    }

  private boolean startable(Instant slot, Instant now) {
    return startingDeadline == null || !now.isAfter(latestStart(slot, startingDeadline));
  }

  private boolean onTime(Instant slot, Instant now) {
    return !now.isAfter(latestStart(slot, startingDeadline != null ? startingDeadline
        : Schedule.DEFAULT_MISFIRE_THRESHOLD));
  }

  /** {@code slot + jitter + allowance}, saturated at {@link Instant#MAX}. */
  private Instant latestStart(Instant slot, Duration allowance) {
    Instant t = Schedule.plus(slot, jitter);
    t = t == null ? null : Schedule.plus(t, allowance);
    return t == null ? Instant.MAX : t;
  }

  /**
   * The slots in {@code (after, now]}: how many, and the latest {@code Schedule.MAX_CATCH_UP + 1} of them
   * in order (one more than can run, to name the latest missed one).
   */
  private static final class Tail {
    private final long count;
    private final boolean lowerBound;
    private final List<Instant> slots;

    private Tail(long count, boolean lowerBound, List<Instant> slots) {
      this.count = count;
      this.lowerBound = lowerBound;
      this.slots = slots;
    }
  }

  /** The tail of a fixed rate, by arithmetic: exact whatever the pause. */
  private Tail fixedRateTail(Instant after, Instant now) {
    Optional<Instant> first = schedule.nextFireAfter(after);
    if (first.isEmpty() || first.get().isAfter(now)) {
      return new Tail(0, false, List.of());
    }
    Instant upper = until != null && until.isBefore(now) ? until : now;
    Instant anchor = startingAt != null ? startingAt : Instant.EPOCH;
    try {
      long firstK = Duration.between(anchor, first.get()).dividedBy(interval);
      long lastK = Duration.between(anchor, upper).dividedBy(interval);
      List<Instant> slots = new ArrayList<>();
      for (long k = Math.max(firstK, lastK - Schedule.MAX_CATCH_UP); k <= lastK; k++) {
        slots.add(anchor.plus(interval.multipliedBy(k)));
      }
      return new Tail(lastK - firstK + 1, false, slots);
    } catch (ArithmeticException | DateTimeException e) {
      // Beyond what a long of periods holds: only for instants some billions of years apart.
      return new Tail(1, true, List.of(first.get()));
    }
  }

  /**
   * The tail of a cron schedule, slot by slot: counted exactly up to {@link #Schedule.CRON_COUNT_LIMIT};
   * past it the latest slots are found from {@code now} backwards, in windows that double.
   */
  private Tail cronTail(Instant after, Instant now) {
    ArrayDeque<Instant> slots = new ArrayDeque<>();
    long count = 0;
    Instant cursor = after;
    while (count < Schedule.CRON_COUNT_LIMIT) {
      Optional<Instant> next = schedule.nextFireAfter(cursor);
      if (next.isEmpty() || next.get().isAfter(now)) {
        return new Tail(count, false, new ArrayList<>(slots));
      }
      count++;
      keep(slots, next.get());
      cursor = next.get();
    }
    Instant scanned = cursor;
    // The last Schedule.MAX_CATCH_UP + 1 slots scanned span about as long as the tail: a first window a
    // little longer usually holds it at once.
    Duration window = Duration.between(slots.getFirst(), slots.getLast()).multipliedBy(3)
        .dividedBy(2);
    if (window.compareTo(Duration.ofSeconds(1)) < 0) {
      window = Duration.ofSeconds(1);
    }
    while (true) {
      Instant start = now.minus(window);
      boolean exact = !start.isAfter(scanned);
      if (exact) {
        start = scanned;
      }
      ArrayDeque<Instant> latest = new ArrayDeque<>();
      long found = 0;
      Instant c = start;
      while (true) {
        Optional<Instant> next = schedule.nextFireAfter(c);
        if (next.isEmpty() || next.get().isAfter(now)) {
          break;
        }
        found++;
        keep(latest, next.get());
        c = next.get();
      }
      if (exact) {
        for (Instant s : latest) {
          keep(slots, s);
        }
        return new Tail(count + found, false, new ArrayList<>(slots));
      }
      if (found > Schedule.MAX_CATCH_UP) {
        return new Tail(count + found, true, new ArrayList<>(latest));
      }
      window = window.multipliedBy(2);
    }
  }

  private static void keep(ArrayDeque<Instant> slots, Instant slot) {
    slots.addLast(slot);
    if (slots.size() > Schedule.MAX_CATCH_UP + 1) {
      slots.removeFirst();
    }
  }
}
