package dev.background.control;

/**
 * Where a control request acts when the tracker's verticle serves the cluster: on every node that
 * has the task (the default) or on the node that received it. Without a cluster both mean this
 * node.
 */
public enum ControlScope {

  /** Every node: {@code "cluster"}, the default. */
  CLUSTER("cluster"),

  /** The node that received the request: {@code "local"}. */
  LOCAL("local");

  private final String wireName;

  ControlScope(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire and in {@code ?scope=}. */
  public String wireName() {
    return wireName;
  }

  /**
   * The scope called {@code value}: {@link #CLUSTER} when it is {@code null}.
   *
   * @throws ControlException 400 when it is anything but {@code "local"} or {@code "cluster"}
   */
  public static ControlScope fromWire(Object value) {
    if (value == null || CLUSTER.wireName.equals(value)) {
      return CLUSTER;
    }
    if (LOCAL.wireName.equals(value)) {
      return LOCAL;
    }
    throw ControlException.badRequest("scope: must be \"local\" or \"cluster\", was "
        + (value instanceof String ? ControlRequest.shorten((String) value)
            : ControlRequest.describe(value)));
  }
}
