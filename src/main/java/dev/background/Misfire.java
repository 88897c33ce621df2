package dev.background;

/**
 * What a {@link Schedule} does with the fires it missed: slots that came due while it was
 * paused, while the JVM was stalled (a long GC, a laptop asleep) or while no node held it during
 * a cluster failover. Whatever the policy, a fire that would start later than the schedule's
 * {@linkplain Schedule#startingDeadline() starting deadline} after its slot is missed, not run
 * (Kubernetes {@code startingDeadlineSeconds}). {@link Schedule#dueSlots} applies the policy; the
 * JSON form ({@code "misfire"} in a schedule) uses the {@link #wireName() wire names}.
 */
public enum Misfire {
  /**
   * The default: one run now stands for all the missed slots (it runs for the latest of them);
   * the others are counted as missed (Quartz {@code MISFIRE_INSTRUCTION_FIRE_ONCE_NOW}, Spring
   * and Kubernetes without a deadline). Wire name {@code "run-once"}.
   */
  RUN_ONCE("run-once"),
  /**
   * Missed slots are not run: the schedule waits for its next slot (Quartz
   * {@code MISFIRE_INSTRUCTION_DO_NOTHING}). A slot is missed when it comes due later than the
   * starting deadline, or, without one, later than {@link Schedule#DEFAULT_MISFIRE_THRESHOLD}
   * (plus the jitter). Wire name {@code "skip"}.
   */
  SKIP("skip"),
  /**
   * Each missed slot runs, one after the other in slot order, but at most
   * {@link Schedule#MAX_CATCH_UP} (the latest ones); older slots are counted as missed. A
   * fixed-delay schedule ({@link Schedule#every}) never has more than one pending fire, so for it
   * this is {@link #RUN_ONCE}. Wire name {@code "catch-up"}.
   */
  CATCH_UP("catch-up");

  private final String wireName;

  Misfire(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The name used in JSON: {@code "run-once"}, {@code "skip"} or {@code "catch-up"}.
   *
   * @return the wire name
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The policy with this wire name.
   *
   * @param name {@code "run-once"}, {@code "skip"} or {@code "catch-up"}
   * @return the policy
   * @throws ConfigException at {@code misfire} for anything else:
   *     {@code misfire: must be one of run-once, skip, catch-up, was "x"}
   */
  public static Misfire fromWireName(String name) {
    for (Misfire m : values()) {
      if (m.wireName.equals(name)) {
        return m;
      }
    }
    throw new ConfigException("misfire", "must be one of run-once, skip, catch-up, was "
        + JsonConfig.describe(name));
  }
}
