package dev.background.impl;

import dev.background.RunRecord;
import dev.background.TaskError;

import java.time.Instant;
import java.util.List;

/**
 * The last {@code limit} runs of a task, oldest first, as a ring of primitive slots. Why not a
 * deque of {@link RunRecord}s: a schedule firing every second would keep two fresh objects per
 * run for {@code limit} runs, and every young collection would copy them again until they are
 * old (with 10,000 schedules, 30 ms pauses in the middle of the fire bursts). Here a run's end
 * writes three longs; records are made only when a status is read. The ring starts with room
 * for one run (an idle task that ran once keeps one), and at its second run grows at once to
 * {@code limit} when that is at most {@link #DIRECT_GROWTH}, else doubles: a task that runs again
 * will likely fill its history, and growing step by step would make ten thousand schedules that
 * fire together allocate a new long-lived array together five times over. Not thread-safe:
 * {@link Stats} guards it.
 */
final class RunHistory {

  /** Longs per run: the start's epoch second, its nano-of-second with the outcome, the length. */
  private static final int STRIDE = 3;
  private static final long FAILED = 1L << 32;
  private static final long NANOS = 0xFFFF_FFFFL;
  /** Up to this many runs the ring grows from one to its limit in one step. */
  static final int DIRECT_GROWTH = 64;

  private final int limit;
  private long[] slots = new long[STRIDE];
  /** The failures' errors, by run; null until the first failure. */
  private TaskError[] errors;
  /** Where the oldest run is, and how many are kept. */
  private int head;
  private int size;

  /** @param limit how many runs are kept, at least 1 */
  RunHistory(int limit) {
    this.limit = limit;
  }

  /** Adds a run, dropping the oldest when {@code limit} runs are kept already. */
  void add(Instant startedAt, long durationMillis, boolean failed, TaskError error) {
    int capacity = slots.length / STRIDE;
    if (size == capacity && capacity < limit) {
      grow(limit <= DIRECT_GROWTH ? limit : Math.min(limit, capacity * 2));
      capacity = slots.length / STRIDE;
    }
    int at = (head + size) % capacity;
    if (size == capacity) {
      head = (head + 1) % capacity; // full at the limit: the oldest run makes room
    } else {
      size++;
    }
    int i = at * STRIDE;
    slots[i] = startedAt.getEpochSecond();
    slots[i + 1] = startedAt.getNano() | (failed ? FAILED : 0);
    slots[i + 2] = durationMillis;
    if (error != null && errors == null) {
      errors = new TaskError[capacity];
    }
    if (errors != null) {
      errors[at] = error;
    }
  }

  /** The kept runs as records, oldest first. */
  List<RunRecord> records() {
    if (size == 0) {
      return List.of();
    }
    int capacity = slots.length / STRIDE;
    RunRecord[] records = new RunRecord[size];
    for (int k = 0; k < size; k++) {
      int at = (head + k) % capacity;
      int i = at * STRIDE;
      long nanoAndOutcome = slots[i + 1];
      records[k] = new RunRecord(Instant.ofEpochSecond(slots[i], nanoAndOutcome & NANOS),
          slots[i + 2], (nanoAndOutcome & FAILED) != 0 ? RunRecord.FAILURE : RunRecord.SUCCESS,
          errors == null ? null : errors[at]);
    }
    return List.of(records);
  }

  /** Copies the runs, oldest first, to the start of a ring of {@code capacity}. */
  private void grow(int capacity) {
    int old = slots.length / STRIDE;
    long[] grown = new long[capacity * STRIDE];
    TaskError[] grownErrors = errors == null ? null : new TaskError[capacity];
    for (int k = 0; k < size; k++) {
      int from = (head + k) % old;
      System.arraycopy(slots, from * STRIDE, grown, k * STRIDE, STRIDE);
      if (grownErrors != null) {
        grownErrors[k] = errors[from];
      }
    }
    slots = grown;
    errors = grownErrors;
    head = 0;
  }
}
