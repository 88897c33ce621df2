package dev.background;

/** How a task is supervised. */
public enum TaskKind {
  /** Started by {@link Tasks#run}: restarted with backoff whenever it ends. */
  RUN,
  /** Started by {@link Tasks#once}: runs one time, never restarted. */
  ONCE
}
