package dev.background;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * TasksOptions configures a tracker ({@link Tasks#create(io.vertx.core.Vertx, TasksOptions)}).
 * Setters check their argument at once and return {@code this}; the tracker copies the options,
 * so changing them afterwards changes nothing. Not thread-safe.
 */
public class TasksOptions {

  /** How long {@link Tasks#close()} waits for running tasks: 30 s, as in the seed. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** How many finished runs each task keeps in {@link TaskStatus#history()}: 50. */
  public static final int DEFAULT_HISTORY_SIZE = 50;

  /** How often a standby singleton tries to take over: 1 s. */
  public static final Duration DEFAULT_SINGLETON_RETRY_INTERVAL = Duration.ofSeconds(1);

  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private Duration singletonRetryInterval = DEFAULT_SINGLETON_RETRY_INTERVAL;
  private String nodeId;
  private SingletonLocks singletonLocks;
  private int historySize = DEFAULT_HISTORY_SIZE;
  private MeterRegistry meterRegistry;

  public TasksOptions() {
  }

  public TasksOptions(TasksOptions other) {
    this.closeTimeout = other.closeTimeout;
    this.historySize = other.historySize;
    this.singletonRetryInterval = other.singletonRetryInterval;
    this.nodeId = other.nodeId;
    this.singletonLocks = other.singletonLocks;
    this.meterRegistry = other.meterRegistry;
    this.clock = other.clock;
  }

  /**
   * Reads {@code closeTimeout} ("30s", "500ms", "PT30S" or milliseconds), {@code historySize},
   * {@code singletonRetryInterval} and {@code nodeId} (JSON {@code null}: the default), so that
   * {@link #toJson()} reads back. A meter registry cannot be given in JSON.
   *
   * @throws IllegalArgumentException naming the key, for an unknown key or a bad value
   */
  public TasksOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      if (key.equals("closeTimeout")) {
        setCloseTimeout(Durations.parse(key, value));
      } else if (key.equals("historySize")) {
        if (!(value instanceof Integer)) {
          throw new IllegalArgumentException("historySize: must be a whole number, was "
              + Durations.describe(value));
        }
        setHistorySize((Integer) value);
      } else if (key.equals("singletonRetryInterval")) {
        setSingletonRetryInterval(Durations.parse(key, value));
      } else if (key.equals("nodeId")) {
        if (value != null && !(value instanceof String)) {
          throw new IllegalArgumentException("nodeId: must be a string, was " + Durations.describe(value));
        }
        setNodeId((String) value);
      } else {
        throw new IllegalArgumentException(key + ": unknown key (expected closeTimeout, historySize, "
            + "singletonRetryInterval, nodeId)");
      }
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("closeTimeout", Durations.format(closeTimeout))
        .put("historySize", historySize)
        .put("singletonRetryInterval", Durations.format(singletonRetryInterval))
        .put("nodeId", nodeId);
  }

  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  /** The deadline of {@link Tasks#close()}; must be > 0. */
  public TasksOptions setCloseTimeout(Duration closeTimeout) {
    if (closeTimeout == null || closeTimeout.isNegative() || closeTimeout.isZero()) {
      throw new IllegalArgumentException("closeTimeout: must be > 0, was " + closeTimeout);
    }
    this.closeTimeout = closeTimeout;
    return this;
  }

  public int getHistorySize() {
    return historySize;
  }

  /** How many finished runs each task keeps in its status history; 0 keeps none, at most 1000. */
  public TasksOptions setHistorySize(int historySize) {
    if (historySize < 0 || historySize > 1000) {
      throw new IllegalArgumentException("historySize: must be between 0 and 1000, was " + historySize);
    }
    this.historySize = historySize;
    return this;
  }

  public Duration getSingletonRetryInterval() {
    return singletonRetryInterval;
  }

  /**
   * How often a standby {@link RunOption#singleton() singleton} tries to take the lock; with the
   * cluster's failure detection this bounds how fast it takes over from a crashed holder. Must be
   * between 10 ms and 1 minute.
   */
  public TasksOptions setSingletonRetryInterval(Duration interval) {
    if (interval == null || interval.compareTo(Duration.ofMillis(10)) < 0
        || interval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "singletonRetryInterval: must be between 10ms and 1m, was " + interval);
    }
    this.singletonRetryInterval = interval;
    return this;
  }

  public String getNodeId() {
    return nodeId;
  }

  /**
   * The id this tracker reports as {@code node} in statuses. {@code null} (the default) means
   * {@code "local"} on a Vert.x that is not clustered, else {@code <host>-<pid>-<random>}.
   */
  public TasksOptions setNodeId(String nodeId) {
    if (nodeId != null && (nodeId.isBlank() || nodeId.length() > 200)) {
      throw new IllegalArgumentException("nodeId: must be 1 to 200 non-blank characters, was \""
          + nodeId + "\"");
    }
    this.nodeId = nodeId;
    return this;
  }

  public SingletonLocks getSingletonLocks() {
    return singletonLocks;
  }

  /**
   * Where singleton tasks take their lock and fencing token. {@code null} (the default) means
   * Vert.x shared data; {@code dev.background.cluster.CpSingletonLocks} gives linearizable locks on
   * Hazelcast's CP subsystem. Not read from JSON.
   */
  public TasksOptions setSingletonLocks(SingletonLocks singletonLocks) {
    this.singletonLocks = singletonLocks;
    return this;
  }

  public MeterRegistry getMeterRegistry() {
    return meterRegistry;
  }

  /**
   * The registry for task metrics when Vert.x itself was not built with vertx-micrometer-metrics
   * (whose registry takes precedence). {@code null}, the default, means no metrics.
   */
  public TasksOptions setMeterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  private TasksClock clock;

  public TasksClock getClock() {
    return clock;
  }

  /**
   * Where the tracker reads the time and sets its timers (restart and start delays, run timeouts,
   * the {@code maxRestarts} window, {@code resetAfter}, singleton retries, the close deadline).
   * {@code null}, the default, means the system clock and Vert.x timers; tests give a
   * {@link dev.background.testing.TestClock} to move time by hand. Not read from JSON.
   */
  public TasksOptions setClock(TasksClock clock) {
    this.clock = clock;
    return this;
  }
}
