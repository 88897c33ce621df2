package dev.background;

/** How a task is supervised. */
public enum TaskKind {
  /** Started by {@link Tasks#run}: restarted with backoff whenever it ends. */
  RUN,
  /** Started by {@link Tasks#once}: runs one time, never restarted. */
  ONCE,
  /** Started by {@link Tasks#schedule}: fires at the slots of its {@link Schedule}. */
  SCHEDULE;

  /**
   * The kind's name in JSON, in configuration and in meter tags: {@code "run"}, {@code "once"},
   * {@code "schedule"}.
   *
   * @return the lower-case name
   */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
