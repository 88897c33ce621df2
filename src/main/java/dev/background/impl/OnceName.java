package dev.background.impl;

import dev.background.TaskHandle;
import dev.background.TaskStatus;

/** Every execution of one {@code once} name: their summed statistics and the latest handle. */
final class OnceName implements TaskEntry {

  private final Stats stats;
  /** The events of every execution of the name, in order. */
  private final EventQueue events;
  private volatile Supervisor latest;

  OnceName(Stats stats, EventQueue events) {
    this.stats = stats;
    this.events = events;
  }

  @Override
  public EventQueue events() {
    return events;
  }

  void latest(Supervisor s) {
    latest = s;
  }

  @Override
  public Stats stats() {
    return stats;
  }

  @Override
  public TaskStatus status() {
    return stats.onceStatus();
  }

  @Override
  public TaskHandle handle() {
    return latest;
  }

  /** A once name is never taken over by a run task; this says whether its latest execution ended. */
  @Override
  public boolean isFinished() {
    Supervisor s = latest;
    return s == null || s.isFinished();
  }
}
