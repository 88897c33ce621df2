package dev.background;

/**
 * What a {@link Schedule} does when a fire comes due while the previous run of the same schedule
 * is still running. Whatever the policy, two runs of one schedule never overlap. The JSON form
 * ({@code "overlap"} in a schedule) uses the {@link #wireName() wire names}.
 */
public enum Overlap {
  /**
   * The default: the fire is counted as skipped and not run; the schedule waits for its next
   * slot (Kubernetes {@code concurrencyPolicy: Forbid}, Quartz
   * {@code @DisallowConcurrentExecution}). Wire name {@code "skip"}.
   */
  SKIP("skip"),
  /**
   * The fire waits and runs right after the current run ends; at most one fire waits, so fires
   * that come due while one is already waiting are counted as skipped. Wire name
   * {@code "queue"}.
   */
  QUEUE("queue"),
  /**
   * The running run is cancelled and the new fire starts once it has ended (Kubernetes
   * {@code concurrencyPolicy: Replace}). Wire name {@code "replace"}.
   */
  REPLACE("replace");

  private final String wireName;

  Overlap(String wireName) {
    this.wireName = wireName;
  }

  /**
   * The name used in JSON: {@code "skip"}, {@code "queue"} or {@code "replace"}.
   *
   * @return the wire name
   */
  public String wireName() {
    return wireName;
  }

  /**
   * The policy with this wire name.
   *
   * @param name {@code "skip"}, {@code "queue"} or {@code "replace"}
   * @return the policy
   * @throws ConfigException at {@code overlap} for anything else:
   *     {@code overlap: must be one of skip, queue, replace, was "x"}
   */
  public static Overlap fromWireName(String name) {
    for (Overlap o : values()) {
      if (o.wireName.equals(name)) {
        return o;
      }
    }
    throw new ConfigException("overlap", "must be one of skip, queue, replace, was "
        + JsonConfig.describe(name));
  }
}
