package dev.background;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * TasksOptions configures a tracker ({@link Tasks#create(io.vertx.core.Vertx, TasksOptions)}).
 * Setters check their argument at once and return {@code this}; the tracker copies the options,
 * so changing them afterwards changes nothing. Not thread-safe.
 */
public class TasksOptions {

  /** How long {@link Tasks#close()} waits for running tasks: 30 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** How many finished runs each task keeps in {@link TaskStatus#history()}: 50. */
  public static final int DEFAULT_HISTORY_SIZE = 50;

  /** How often a standby singleton tries to take over: 1 s. */
  public static final Duration DEFAULT_SINGLETON_RETRY_INTERVAL = Duration.ofSeconds(1);

  /** Whether the task duration timer publishes histogram buckets: no. */
  public static final boolean DEFAULT_HISTOGRAM = false;

  private static final List<String> METRICS_KEYS = List.of("histogram", "tagKeys");

  /**
   * How many {@code once} names whose executions have all finished the registry keeps: 1000. See
   * {@link #setOnceRetentionCount(int)}.
   */
  public static final int DEFAULT_ONCE_RETENTION_COUNT = 1000;

  /**
   * How long the registry keeps a {@code once} name after its last execution finished: 24 hours.
   * See {@link #setOnceRetentionAge(Duration)}.
   */
  public static final Duration DEFAULT_ONCE_RETENTION_AGE = Duration.ofHours(24);

  private static final List<String> JSON_KEYS = List.of("closeTimeout", "historySize",
      "singletonRetryInterval", "nodeId", "metrics", "onceRetentionCount", "onceRetentionAge");

  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private Duration singletonRetryInterval = DEFAULT_SINGLETON_RETRY_INTERVAL;
  private String nodeId;
  private SingletonLocks singletonLocks;
  private int historySize = DEFAULT_HISTORY_SIZE;
  private int onceRetentionCount = DEFAULT_ONCE_RETENTION_COUNT;
  private Duration onceRetentionAge = DEFAULT_ONCE_RETENTION_AGE;
  private MeterRegistry meterRegistry;
  private boolean histogram = DEFAULT_HISTOGRAM;
  private List<String> metricTagKeys = List.of();

  /** The defaults. */
  public TasksOptions() {
  }

  /**
   * A copy of {@code other}.
   *
   * @param other the options to copy
   */
  public TasksOptions(TasksOptions other) {
    this.closeTimeout = other.closeTimeout;
    this.historySize = other.historySize;
    this.onceRetentionCount = other.onceRetentionCount;
    this.onceRetentionAge = other.onceRetentionAge;
    this.singletonRetryInterval = other.singletonRetryInterval;
    this.nodeId = other.nodeId;
    this.singletonLocks = other.singletonLocks;
    this.meterRegistry = other.meterRegistry;
    this.histogram = other.histogram;
    this.metricTagKeys = other.metricTagKeys;
    this.clock = other.clock;
  }

  /**
   * Reads {@code closeTimeout} ("30s", "500ms", "PT30S" or milliseconds), {@code historySize},
   * {@code singletonRetryInterval}, {@code onceRetentionCount}, {@code onceRetentionAge} (a
   * duration), {@code nodeId} (JSON {@code null}: the default) and {@code metrics}
   * ({@code {"histogram": true, "tagKeys": ["team"]}}, both optional), so that
   * {@link #toJson()} reads back. A meter registry cannot be given in JSON.
   *
   * @param json the JSON form
   * @throws ConfigException at the key, for an unknown key, a wrong type or a bad value
   */
  public TasksOptions(JsonObject json) {
    JsonConfig.knownKeys(json, JSON_KEYS);
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      switch (key) {
        case "closeTimeout":
          setCloseTimeout(JsonConfig.duration(key, value));
          break;
        case "historySize":
          setHistorySize(JsonConfig.wholeNumber(key, value));
          break;
        case "singletonRetryInterval":
          setSingletonRetryInterval(JsonConfig.duration(key, value));
          break;
        case "metrics":
          readMetrics(JsonConfig.object(key, value));
          break;
        case "onceRetentionCount":
          setOnceRetentionCount(JsonConfig.wholeNumber(key, value));
          break;
        case "onceRetentionAge":
          setOnceRetentionAge(JsonConfig.duration(key, value));
          break;
        default:
          setNodeId(value == null ? null : JsonConfig.string(key, value));
          break;
      }
    }
  }

  private void readMetrics(JsonObject json) {
    try {
      JsonConfig.knownKeys(json, METRICS_KEYS);
      for (String key : json.fieldNames()) {
        Object value = json.getValue(key);
        if (key.equals("histogram")) {
          setHistogram(JsonConfig.bool(key, value));
        } else {
          JsonArray array = JsonConfig.array(key, value);
          List<String> keys = new ArrayList<>();
          for (int i = 0; i < array.size(); i++) {
            keys.add(JsonConfig.string(key + "[" + i + "]", array.getValue(i)));
          }
          setMetricTagKeys(keys);
        }
      }
    } catch (ConfigException e) {
      throw e.under("metrics");
    }
  }

  /**
   * The JSON form, readable by {@link #TasksOptions(JsonObject)}; the singleton locks, the
   * meter registry and the clock are left out.
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    JsonObject metrics = new JsonObject().put("histogram", histogram)
        .put("tagKeys", new JsonArray(new ArrayList<>(metricTagKeys)));
    return new JsonObject().put("closeTimeout", Durations.format(closeTimeout))
        .put("historySize", historySize)
        .put("singletonRetryInterval", Durations.format(singletonRetryInterval))
        .put("onceRetentionCount", onceRetentionCount)
        .put("onceRetentionAge", Durations.format(onceRetentionAge))
        .put("nodeId", nodeId)
        .put("metrics", metrics);
  }

  /** @return the deadline of {@link Tasks#close()} */
  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  /**
   * The deadline of {@link Tasks#close()}; must be > 0.
   *
   * @param closeTimeout &gt; 0
   * @return {@code this}
   */
  public TasksOptions setCloseTimeout(Duration closeTimeout) {
    if (closeTimeout == null || closeTimeout.isNegative() || closeTimeout.isZero()) {
      throw new ConfigException("closeTimeout", "must be > 0, was "
          + JsonConfig.describe(closeTimeout));
    }
    this.closeTimeout = closeTimeout;
    return this;
  }

  /** @return how many finished runs each task keeps in its status history */
  public int getHistorySize() {
    return historySize;
  }

  /**
   * How many finished runs each task keeps in its status history; 0 keeps none, at most 1000.
   *
   * @param historySize 0 to 1000
   * @return {@code this}
   */
  public TasksOptions setHistorySize(int historySize) {
    if (historySize < 0 || historySize > 1000) {
      throw new ConfigException("historySize", "must be between 0 and 1000, was " + historySize);
    }
    this.historySize = historySize;
    return this;
  }

  /** @return how many finished {@code once} names the registry keeps */
  public int getOnceRetentionCount() {
    return onceRetentionCount;
  }

  /**
   * How many {@code once} names whose executions have all finished the registry keeps (default
   * {@value #DEFAULT_ONCE_RETENTION_COUNT}). A {@code once} name stays in the registry, with its
   * status, counters and meters, while an execution of it is pending or running; once the last has
   * finished it is kept up to this count and up to {@link #setOnceRetentionAge(Duration) an age},
   * the most recently finished first, so that submitting {@code once} tasks under ever new names
   * does not grow memory (nor the {@code /metrics} scrape) without bound. A name that leaves the
   * retention is dropped from the registry: {@link Tasks#list()} and {@link Tasks#status(String)}
   * no longer show it, its per-task meters are removed, and its counters stay in the totals of
   * {@link Tasks#summary()} (and in the tracker-wide counters). Submitting the name again starts
   * it afresh. A handle kept by the application still reads its execution's status. 0 drops a
   * name as soon as its last execution finishes.
   *
   * @param count 0 or more
   * @return {@code this}
   */
  public TasksOptions setOnceRetentionCount(int count) {
    if (count < 0) {
      throw new ConfigException("onceRetentionCount", "must be >= 0, was " + count);
    }
    this.onceRetentionCount = count;
    return this;
  }

  /** @return how long a finished {@code once} name is kept */
  public Duration getOnceRetentionAge() {
    return onceRetentionAge;
  }

  /**
   * How long the registry keeps a {@code once} name after its last execution finished (default
   * 24 hours); see {@link #setOnceRetentionCount(int)}. Must be at least 1 ms; the name is dropped
   * within a few milliseconds after this age, on a timer of the tracker's clock.
   *
   * @param age at least 1 ms
   * @return {@code this}
   */
  public TasksOptions setOnceRetentionAge(Duration age) {
    if (age == null || age.compareTo(Duration.ofMillis(1)) < 0) {
      throw new ConfigException("onceRetentionAge", "must be at least 1ms, was "
          + JsonConfig.describe(age));
    }
    this.onceRetentionAge = age;
    return this;
  }

  /** @return how often a standby singleton tries to take the lock */
  public Duration getSingletonRetryInterval() {
    return singletonRetryInterval;
  }

  /**
   * How often a standby {@link RunOption#singleton() singleton} tries to take the lock; with the
   * cluster's failure detection this bounds how fast it takes over from a crashed holder. Must be
   * between 10 ms and 1 minute.
   *
   * @param interval 10 ms to 1 minute
   * @return {@code this}
   */
  public TasksOptions setSingletonRetryInterval(Duration interval) {
    if (interval == null || interval.compareTo(Duration.ofMillis(10)) < 0
        || interval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ConfigException("singletonRetryInterval", "must be between 10ms and 1m, was "
          + JsonConfig.describe(interval));
    }
    this.singletonRetryInterval = interval;
    return this;
  }

  /** @return the id reported as {@code node} in statuses, or {@code null} for the default */
  public String getNodeId() {
    return nodeId;
  }

  /**
   * The id this tracker reports as {@code node} in statuses. {@code null} (the default) means
   * {@code "local"} on a Vert.x that is not clustered, else {@code <host>-<pid>-<random>}.
   *
   * @param nodeId 1 to 200 non-blank characters, or {@code null}
   * @return {@code this}
   */
  public TasksOptions setNodeId(String nodeId) {
    if (nodeId != null && (nodeId.isBlank() || nodeId.length() > 200)) {
      throw new ConfigException("nodeId", "must be 1 to 200 non-blank characters, was "
          + JsonConfig.describe(nodeId));
    }
    this.nodeId = nodeId;
    return this;
  }

  /** @return where singleton tasks take their lock, or {@code null} for Vert.x shared data */
  public SingletonLocks getSingletonLocks() {
    return singletonLocks;
  }

  /**
   * Where singleton tasks take their lock and fencing token. {@code null} (the default) means
   * Vert.x shared data; {@code dev.background.cluster.CpSingletonLocks} gives linearizable locks on
   * Hazelcast's CP subsystem. Not read from JSON.
   *
   * @param singletonLocks the locks, or {@code null}
   * @return {@code this}
   */
  public TasksOptions setSingletonLocks(SingletonLocks singletonLocks) {
    this.singletonLocks = singletonLocks;
    return this;
  }

  /** @return the registry for task metrics, or {@code null} */
  public MeterRegistry getMeterRegistry() {
    return meterRegistry;
  }

  /**
   * The registry for task metrics. {@code null}, the default, means the registry of
   * vertx-micrometer-metrics when Vert.x was built with it under the default registry name, else
   * no metrics. A Vert.x built with a registry name of its own is not found by itself: pass
   * {@code BackendRegistries.getNow(name)} here.
   *
   * @param meterRegistry the registry, or {@code null}
   * @return {@code this}
   */
  public TasksOptions setMeterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  /** @return whether the task duration timer publishes histogram buckets */
  public boolean isHistogram() {
    return histogram;
  }

  /**
   * Whether the timer {@code background.task.duration} publishes percentile histogram buckets
   * ({@code _bucket} series in Prometheus), so that percentiles can be computed across nodes
   * ({@code histogram_quantile}). The buckets span 1 ms to 1 h: 100 series ({@code le} values,
   * {@code +Inf} included) per task and outcome, which is why it is off by default. JSON:
   * {@code metrics.histogram}.
   *
   * <p>Every tracker on one registry publishes its meters in one shape, which the first tracker
   * made on that registry fixes (Prometheus cannot hold a timer both with and without buckets):
   * a later tracker left at the default takes the registry's shape, one that turns it on when the
   * registry's is off keeps the registry's and logs a warning.
   *
   * @param histogram on or off
   * @return {@code this}
   */
  public TasksOptions setHistogram(boolean histogram) {
    this.histogram = histogram;
    return this;
  }

  /** @return the tag keys that every task meter carries (empty by default); read-only */
  public List<String> getMetricTagKeys() {
    return metricTagKeys;
  }

  /**
   * The tag keys that every task meter of this tracker carries, besides its own {@code task}
   * (and {@code kind}, {@code outcome} on the duration timer). A task's value for each comes from
   * its {@link RunOption#tags(String...)}; a task without one gets the empty value {@code ""}
   * (which Prometheus reads as "no label"). A task tag whose key is not listed here stays in the
   * task's status ({@link TaskStatus#tags()}) but is left off its meters, with one warning per
   * key.
   *
   * <p>Why declared: Prometheus requires every meter of one name to carry the same tag keys, and
   * refuses (Micrometer then drops, silently) a meter whose keys differ from the first one's. Keys
   * known up front are the only way every task's series exists whatever the mix of tagged and
   * untagged tasks. Every tracker on one registry uses the keys of the first tracker made on it:
   * a later tracker without keys takes them, one that sets other keys keeps the registry's and
   * logs a warning. JSON: {@code metrics.tagKeys}.
   *
   * @param keys distinct, non-blank, not {@code task}, {@code kind} or {@code outcome}; at most 20
   * @return {@code this}
   * @throws ConfigException at {@code metrics.tagKeys} otherwise
   */
  public TasksOptions setMetricTagKeys(List<String> keys) {
    String path = "metrics.tagKeys";
    if (keys == null) {
      throw new ConfigException(path, "must not be null");
    }
    if (keys.size() > 20) {
      throw new ConfigException(path, "must hold at most 20 keys, was " + keys.size());
    }
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (String key : keys) {
      if (key == null || key.isBlank()) {
        throw new ConfigException(path, "keys must not be blank, was " + JsonConfig.describe(key));
      }
      if (key.equals("task") || key.equals("kind") || key.equals("outcome")) {
        throw new ConfigException(path, "\"" + key + "\" is reserved (task, kind and outcome are "
            + "set by the tracker)");
      }
      if (!distinct.add(key)) {
        throw new ConfigException(path, "\"" + key + "\" is given twice");
      }
    }
    this.metricTagKeys = List.copyOf(distinct);
    return this;
  }

  /**
   * See {@link #setMetricTagKeys(List)}.
   *
   * @param keys the keys
   * @return {@code this}
   */
  public TasksOptions setMetricTagKeys(String... keys) {
    if (keys == null) {
      throw new ConfigException("metrics.tagKeys", "must not be null");
    }
    return setMetricTagKeys(java.util.Arrays.asList(keys));
  }

  private TasksClock clock;

  /** @return the clock of the tracker, or {@code null} for Vert.x timers and the system clock */
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
