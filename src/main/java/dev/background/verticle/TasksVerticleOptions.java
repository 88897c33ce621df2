package dev.background.verticle;

import dev.background.JsonConfig;
import dev.background.ConfigException;
import dev.background.Backoff;
import dev.background.Durations;
import dev.background.TasksOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * TasksVerticleOptions is the configuration of {@link dev.background.verticle.TasksVerticle}, read from the
 * verticle's JSON config:
 *
 * <pre>{@code
 * {
 *   "address": "background.tasks",
 *   "eventsAddress": "background.tasks.events",
 *   "closeTimeout": "30s",
 *   "defaultBackoff": { "initialInterval": "100ms", "multiplier": 2.0, "randomizationFactor": 0.5,
 *                       "maxInterval": "60s", "maxAttempts": 0 },
 *   "tasks": [ { "name": "poller", "class": "com.acme.Poller" } ],
 *   "http": { "enabled": true, "port": 8080 },
 *   "cluster": { "enabled": true },
 *   "metrics": { "histogram": true, "tagKeys": ["team"] }
 * }
 * }</pre>
 *
 * <p>Every key is optional. Reading JSON is strict: an unknown key, a wrong type or a bad value
 * throws a {@link ConfigException} whose message names the key path and the value
 * ({@code tasks[2].backoff.multiplier: must be >= 1, was 0.5}); the first mistake found is the one
 * reported. {@code http} and {@code cluster} are kept as raw objects for the HTTP and cluster
 * features (the verticle reads them with {@code TasksWebOptions} and {@code ClusterOptions}).
 *
 * <p>Setters check their argument at once and return {@code this}; {@link #validate()} checks the
 * whole, and the JSON constructor calls it. Not thread-safe: the verticle copies the options.
 */
public class TasksVerticleOptions {

  /** Where control requests are sent: {@code background.tasks}. */
  public static final String DEFAULT_ADDRESS = "background.tasks";

  /** Where lifecycle events are published: {@code background.tasks.events}. */
  public static final String DEFAULT_EVENTS_ADDRESS = "background.tasks.events";

  /** How long undeploying waits for running tasks: 30 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  static final List<String> KEYS = List.of("address", "eventsAddress", "closeTimeout",
      "defaultBackoff", "tasks", "http", "cluster", "metrics");

  private String address = DEFAULT_ADDRESS;
  private String eventsAddress = DEFAULT_EVENTS_ADDRESS;
  private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  private Backoff defaultBackoff = Backoff.defaults();
  private List<TaskDeclaration> tasks = new ArrayList<>();
  private JsonObject http;
  private JsonObject cluster;
  private JsonObject metrics;

  /** The defaults, with no declared task. */
  public TasksVerticleOptions() {
  }

  /**
   * A deep copy of {@code other}.
   *
   * @param other the options to copy
   */
  public TasksVerticleOptions(TasksVerticleOptions other) {
    this.address = other.address;
    this.eventsAddress = other.eventsAddress;
    this.closeTimeout = other.closeTimeout;
    this.defaultBackoff = other.defaultBackoff;
    for (TaskDeclaration t : other.tasks) {
      this.tasks.add(new TaskDeclaration(t));
    }
    this.http = other.http == null ? null : other.http.copy();
    this.cluster = other.cluster == null ? null : other.cluster.copy();
    this.metrics = other.metrics == null ? null : other.metrics.copy();
  }

  /**
   * Reads and validates a configuration ({@code null} reads as empty).
   *
   * @param json the verticle's configuration, or {@code null}
   * @throws ConfigException for the first mistake found, naming its key path and value
   */
  public TasksVerticleOptions(JsonObject json) {
    if (json == null) {
      json = new JsonObject();
    }
    JsonConfig.knownKeys(json, KEYS);
    if (json.containsKey("address")) {
      setAddress(JsonConfig.string("address", json.getValue("address")));
    }
    if (json.containsKey("eventsAddress")) {
      setEventsAddress(JsonConfig.string("eventsAddress", json.getValue("eventsAddress")));
    }
    if (json.containsKey("closeTimeout")) {
      setCloseTimeout(JsonConfig.duration("closeTimeout", json.getValue("closeTimeout")));
    }
    if (json.containsKey("defaultBackoff")) {
      JsonObject b = JsonConfig.object("defaultBackoff", json.getValue("defaultBackoff"));
      try {
        setDefaultBackoff(Backoff.fromJson(b, Backoff.defaults()));
      } catch (ConfigException e) {
        throw e.under("defaultBackoff");
      }
    }
    if (json.containsKey("cluster")) {
      setCluster(JsonConfig.object("cluster", json.getValue("cluster")).copy());
    }
    if (json.containsKey("http")) {
      setHttp(JsonConfig.object("http", json.getValue("http")).copy());
    }
    if (json.containsKey("metrics")) {
      setMetrics(JsonConfig.object("metrics", json.getValue("metrics")).copy());
    }
    if (json.containsKey("tasks")) {
      JsonArray array = JsonConfig.array("tasks", json.getValue("tasks"));
      for (int i = 0; i < array.size(); i++) {
        String at = "tasks[" + i + "]";
        JsonObject t = JsonConfig.object(at, array.getValue(i));
        try {
          addTask(new TaskDeclaration(t, defaultBackoff));
        } catch (ConfigException e) {
          throw e.under(at);
        }
      }
    }
    validate();
  }

  /**
   * The JSON form, readable by {@link #TasksVerticleOptions(JsonObject)}.
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    JsonArray t = new JsonArray();
    tasks.forEach(d -> t.add(d.toJson()));
    JsonObject json = new JsonObject()
        .put("address", address)
        .put("eventsAddress", eventsAddress)
        .put("closeTimeout", Durations.format(closeTimeout))
        .put("defaultBackoff", defaultBackoff.toJson())
        .put("tasks", t);
    if (cluster != null) {
      json.put("cluster", cluster.copy());
    }
    if (http != null) {
      json.put("http", http.copy());
    }
    if (metrics != null) {
      json.put("metrics", metrics.copy());
    }
    return json;
  }

  /**
   * Checks the configuration as a whole: distinct addresses, every declaration valid (its class
   * loadable and a task), no two declarations with one name.
   *
   * @throws ConfigException for the first mistake found
   */
  public void validate() {
    if (address.equals(eventsAddress)) {
      throw new ConfigException("eventsAddress", "must differ from address, was "
          + JsonConfig.describe(eventsAddress));
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      String at = "tasks[" + i + "]";
      TaskDeclaration t = tasks.get(i);
      try {
        t.validate();
      } catch (ConfigException e) {
        throw e.under(at);
      }
      Integer first = seen.putIfAbsent(t.getName(), i);
      if (first != null) {
        throw new ConfigException(at + ".name", "duplicate: " + JsonConfig.describe(t.getName())
            + " is also the name of tasks[" + first + "]");
      }
    }
  }

  /** @return the event-bus address of control requests */
  public String getAddress() {
    return address;
  }

  /**
   * The event-bus address of control requests; non-blank.
   *
   * @param address non-blank
   * @return {@code this}
   */
  public TasksVerticleOptions setAddress(String address) {
    this.address = nonBlank("address", address);
    return this;
  }

  /** @return the event-bus address where lifecycle events are published */
  public String getEventsAddress() {
    return eventsAddress;
  }

  /**
   * The event-bus address where lifecycle events are published; non-blank.
   *
   * @param eventsAddress non-blank
   * @return {@code this}
   */
  public TasksVerticleOptions setEventsAddress(String eventsAddress) {
    this.eventsAddress = nonBlank("eventsAddress", eventsAddress);
    return this;
  }

  /** @return how long undeploying waits for running tasks */
  public Duration getCloseTimeout() {
    return closeTimeout;
  }

  /**
   * How long undeploying waits for running tasks before failing; > 0.
   *
   * @param closeTimeout &gt; 0
   * @return {@code this}
   */
  public TasksVerticleOptions setCloseTimeout(Duration closeTimeout) {
    if (closeTimeout == null || closeTimeout.isNegative() || closeTimeout.isZero()) {
      throw new ConfigException("closeTimeout", "must be > 0, was "
          + JsonConfig.describe(closeTimeout));
    }
    this.closeTimeout = closeTimeout;
    return this;
  }

  /** @return the backoff of declared {@code run} tasks that have none of their own */
  public Backoff getDefaultBackoff() {
    return defaultBackoff;
  }

  /**
   * The backoff of declared {@code run} tasks that have none of their own.
   *
   * @param defaultBackoff not null
   * @return {@code this}
   */
  public TasksVerticleOptions setDefaultBackoff(Backoff defaultBackoff) {
    this.defaultBackoff = Objects.requireNonNull(defaultBackoff, "defaultBackoff");
    return this;
  }

  /**
   * The declared tasks, in order (the list itself, not a copy).
   *
   * @return the list itself
   */
  public List<TaskDeclaration> getTasks() {
    return tasks;
  }

  /**
   * Replaces the declared tasks.
   *
   * @param tasks not null; the list is copied, the declarations are not
   * @return {@code this}
   */
  public TasksVerticleOptions setTasks(List<TaskDeclaration> tasks) {
    this.tasks = new ArrayList<>(Objects.requireNonNull(tasks, "tasks"));
    return this;
  }

  /**
   * Adds a declared task at the end of the list.
   *
   * @param task not null
   * @return {@code this}
   */
  public TasksVerticleOptions addTask(TaskDeclaration task) {
    tasks.add(Objects.requireNonNull(task, "task"));
    return this;
  }

  /**
   * The raw {@code http} object, or {@code null} when the configuration has none. It is kept for
   * the HTTP feature and not interpreted by the verticle itself.
   *
   * @return the object, or {@code null}
   */
  public JsonObject getHttp() {
    return http;
  }

  /**
   * The raw {@code http} object, read by the verticle with {@code TasksWebOptions}.
   *
   * @param http the object, or {@code null} for none
   * @return {@code this}
   */
  public TasksVerticleOptions setHttp(JsonObject http) {
    this.http = http;
    return this;
  }

  /**
   * The raw {@code cluster} object, or {@code null} when the configuration has none.
   *
   * @return the object, or {@code null}
   */
  public JsonObject getCluster() {
    return cluster;
  }

  /**
   * The raw {@code cluster} object, read by the verticle with {@code ClusterOptions}.
   *
   * @param cluster the object, or {@code null} for none
   * @return {@code this}
   */
  public TasksVerticleOptions setCluster(JsonObject cluster) {
    this.cluster = cluster;
    return this;
  }

  /**
   * The {@code metrics} object ({@code histogram}, {@code tagKeys}: see
   * {@link TasksOptions#setHistogram(boolean)} and {@link TasksOptions#setMetricTagKeys}), or
   * {@code null} when the configuration has none. With it, the verticle makes a tracker of its
   * own with those settings instead of using the shared one.
   *
   * @return the object, or {@code null}
   */
  public JsonObject getMetrics() {
    return metrics;
  }

  /**
   * The {@code metrics} object, checked at once as {@link TasksOptions} reads it.
   *
   * @param metrics the object, or {@code null} for none
   * @return {@code this}
   * @throws ConfigException at {@code metrics.<key>} for an unknown key or a bad value
   */
  public TasksVerticleOptions setMetrics(JsonObject metrics) {
    if (metrics != null) {
      new TasksOptions(new JsonObject().put("metrics", metrics.copy()));
    }
    this.metrics = metrics;
    return this;
  }

  private static String nonBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(field, "must not be blank, was " + JsonConfig.describe(value));
    }
    return value;
  }
}
