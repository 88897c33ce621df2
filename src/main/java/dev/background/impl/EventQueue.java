package dev.background.impl;

import dev.background.TaskError;
import dev.background.TaskEvent;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The events of one name, in order. A supervisor queues them while it holds its monitor and
 * {@link #flush() delivers} them after releasing it; one thread delivers at a time, so the
 * listeners see each task's events in the order they happened. Every incarnation of a name
 * shares its queue (a {@code run} task resubmitted after it ended, each execution of a
 * {@code once} name): the last events of an old one were queued before its name was free, so
 * the events of the new one queue behind them. Thread-safe; its own monitor is taken after the
 * supervisor's and never held while a listener runs.
 */
final class EventQueue {

  private final TasksImpl tracker;
  private final String task;
  private ArrayDeque<TaskEvent> events;
  private boolean delivering;

  EventQueue(TasksImpl tracker, String task) {
    this.tracker = tracker;
    this.task = task;
  }

  /** Queues an event, when someone listens; {@code delayMs} is -1 but for a scheduled restart. */
  void add(TaskEvent.Type type, int attempt, long delayMs, TaskError error, Instant at) {
    add(type, attempt, delayMs, error, at, null);
  }

  /** Queues an event about a schedule's {@code slot} (null for none). */
  void add(TaskEvent.Type type, int attempt, long delayMs, TaskError error, Instant at,
      Instant slot) {
    if (!tracker.hasListeners()) {
      return;
    }
    TaskEvent e = new TaskEvent(task, type, at, attempt, delayMs, error, slot);
    synchronized (this) {
      if (events == null) {
        events = new ArrayDeque<>(4);
      }
      events.add(e);
    }
  }

  /**
   * Delivers the queued events, unless another thread is delivering (it then delivers these too).
   * Call without holding the supervisor's monitor.
   */
  void flush() {
    // Without listeners nothing was ever queued: no lock (a name's executions share this queue).
    // A stale null read here is harmless: whoever queues an event flushes after it.
    if (events == null) {
      return;
    }
    for (;;) {
      TaskEvent e;
      synchronized (this) {
        if (delivering || events == null || events.isEmpty()) {
          return;
        }
        delivering = true;
        e = events.poll();
      }
      try {
        tracker.deliver(e);
      } finally {
        synchronized (this) {
          delivering = false;
        }
      }
    }
  }
}
