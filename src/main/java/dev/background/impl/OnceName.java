package dev.background.impl;

import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Every execution of one {@code once} name: their summed statistics and the latest handle.
 *
 * <p>It counts its executions that have not finished ({@link #claim()} at submission,
 * {@link #release()} when one finishes). While the count is above 0 the name stays in the registry;
 * at 0 it is idle and the tracker's retention may drop it, which sets the count to -1 for good
 * ({@link #tryDrop()}): a submission that finds a dropped name makes a new one.
 */
final class OnceName implements TaskEntry {

  private static final VarHandle ACTIVE;

  static {
    try {
      ACTIVE = MethodHandles.lookup().findVarHandle(OnceName.class, "active", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Stats stats;
  /** The events of every execution of the name, in order. */
  private final EventQueue events;
  private volatile Supervisor latest;
  /** Executions submitted and not finished; -1 once dropped by the retention. */
  @SuppressWarnings("unused") // through ACTIVE
  private volatile int active;
  /** The clock's nanoTime when an execution last finished (written before {@link #release()}). */
  volatile long idleSince;
  /** Whether it is in the retention queue; written under the retention's lock. */
  volatile boolean queued;
  /** The {@link #idleSince} it was queued with; under the retention's lock. */
  long queuedStamp;

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

  /** Counts a new execution in; false when the name has been dropped (make a new one). */
  boolean claim() {
    for (;;) {
      int a = (int) ACTIVE.getVolatile(this);
      if (a < 0) {
        return false;
      }
      if (ACTIVE.compareAndSet(this, a, a + 1)) {
        return true;
      }
    }
  }

  /** Counts a finished execution out; true when none is left (the name is idle). */
  boolean release() {
    return (int) ACTIVE.getAndAdd(this, -1) == 1;
  }

  /** Executions not finished; 0 when idle, -1 once dropped. */
  int active() {
    return (int) ACTIVE.getVolatile(this);
  }

  /** Marks an idle name dropped; false when an execution came in meanwhile. */
  boolean tryDrop() {
    return ACTIVE.compareAndSet(this, 0, -1);
  }

  boolean isDropped() {
    return active() < 0;
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
  public TaskState state() {
    return stats.onceState();
  }

  @Override
  public TaskKind kind() {
    return TaskKind.ONCE;
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
