package dev.background.verticle;

import dev.background.JsonConfig;
import dev.background.ConfigException;
import dev.background.RunOption;
import dev.background.TaskKind;
import dev.background.Durations;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RunOptions is the {@code options} object of a declared task: the JSON form of the
 * {@link RunOption}s it is started with.
 *
 * <pre>{@code
 * "options": {
 *   "restartOnFailureOnly": false, "resetAfter": "1m", "startDelay": "2s", "runTimeout": "30s",
 *   "interruptOnCancel": true, "virtualThread": false,
 *   "maxRestarts": { "count": 5, "window": "1m" }, "tags": { "team": "billing" }
 * }
 * }</pre>
 *
 * <p>Setters check their argument at once and throw {@link IllegalArgumentException} naming the
 * field; rules that depend on the task ({@code restartOnFailureOnly} only for mode {@code run},
 * {@code interruptOnCancel} only for a blocking {@code Task}) are checked by
 * {@link TaskDeclaration#validate()}. Not thread-safe.
 */
public class RunOptions {

  static final List<String> KEYS = List.of("restartOnFailureOnly", "resetAfter", "startDelay",
      "runTimeout", "interruptOnCancel", "virtualThread", "maxRestarts", "tags", "singleton");
  private static final List<String> MAX_RESTARTS_KEYS = List.of("count", "window");
  private static final List<String> RESERVED_TAGS = List.of("task", "kind", "outcome");

  private boolean restartOnFailureOnly;
  private Duration resetAfter;
  private Duration startDelay;
  private Duration runTimeout;
  private boolean interruptOnCancel;
  private boolean virtualThread;
  private boolean singleton;
  private Integer maxRestarts;
  private Duration maxRestartsWindow;
  private Map<String, String> tags = new LinkedHashMap<>();

  /** No option set. */
  public RunOptions() {
  }

  public RunOptions(RunOptions other) {
    this.restartOnFailureOnly = other.restartOnFailureOnly;
    this.resetAfter = other.resetAfter;
    this.startDelay = other.startDelay;
    this.runTimeout = other.runTimeout;
    this.interruptOnCancel = other.interruptOnCancel;
    this.virtualThread = other.virtualThread;
    this.singleton = other.singleton;
    this.maxRestarts = other.maxRestarts;
    this.maxRestartsWindow = other.maxRestartsWindow;
    this.tags = new LinkedHashMap<>(other.tags);
  }

  /**
   * Reads the JSON form.
   *
   * @throws ConfigException naming the key (relative to this object) for an unknown key, a wrong
   *     type or a bad value
   */
  public RunOptions(JsonObject json) {
    JsonConfig.knownKeys(json, KEYS);
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      try {
        switch (key) {
          case "restartOnFailureOnly":
            setRestartOnFailureOnly(JsonConfig.bool(key, value));
            break;
          case "resetAfter":
            setResetAfter(JsonConfig.duration(key, value));
            break;
          case "startDelay":
            setStartDelay(JsonConfig.duration(key, value));
            break;
          case "runTimeout":
            setRunTimeout(JsonConfig.duration(key, value));
            break;
          case "interruptOnCancel":
            setInterruptOnCancel(JsonConfig.bool(key, value));
            break;
          case "virtualThread":
            setVirtualThread(JsonConfig.bool(key, value));
            break;
          case "maxRestarts":
            readMaxRestarts(JsonConfig.object(key, value));
            break;
          case "singleton":
            setSingleton(JsonConfig.bool(key, value));
            break;
          default:
            readTags(JsonConfig.object(key, value));
            break;
        }
      } catch (IllegalArgumentException e) {
        throw ConfigException.of("", e);
      }
    }
  }

  private void readMaxRestarts(JsonObject json) {
    try {
      JsonConfig.knownKeys(json, MAX_RESTARTS_KEYS);
      if (!json.containsKey("count")) {
        throw new ConfigException("count", "is required");
      }
      if (!json.containsKey("window")) {
        throw new ConfigException("window", "is required");
      }
      int count = JsonConfig.wholeNumber("count", json.getValue("count"));
      Duration window = JsonConfig.duration("window", json.getValue("window"));
      if (count < 0) {
        throw new ConfigException("count", "must be >= 0, was " + count);
      }
      if (window.isZero()) {
        throw new ConfigException("window", "must be > 0, was " + Durations.format(window));
      }
      setMaxRestarts(count, window);
    } catch (IllegalArgumentException e) {
      throw ConfigException.of("maxRestarts", e);
    }
  }

  private void readTags(JsonObject json) {
    Map<String, String> read = new LinkedHashMap<>();
    for (String key : json.fieldNames()) {
      read.put(key, JsonConfig.string("tags." + key, json.getValue(key)));
    }
    setTags(read);
  }

  /** The JSON form, readable by {@link #RunOptions(JsonObject)}; unset durations are left out. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("restartOnFailureOnly", restartOnFailureOnly)
        .put("interruptOnCancel", interruptOnCancel)
        .put("virtualThread", virtualThread)
        .put("singleton", singleton);
    putDuration(json, "resetAfter", resetAfter);
    putDuration(json, "startDelay", startDelay);
    putDuration(json, "runTimeout", runTimeout);
    if (maxRestarts != null) {
      json.put("maxRestarts", new JsonObject().put("count", maxRestarts)
          .put("window", Durations.format(maxRestartsWindow)));
    }
    JsonObject t = new JsonObject();
    tags.forEach(t::put);
    return json.put("tags", t);
  }

  private static void putDuration(JsonObject json, String key, Duration d) {
    if (d != null) {
      json.put(key, Durations.format(d));
    }
  }

  /** These options as {@link RunOption}s (without {@code exactName} and {@code config}). */
  public List<RunOption> toRunOptions() {
    List<RunOption> options = new ArrayList<>();
    if (restartOnFailureOnly) {
      options.add(RunOption.restartOnFailureOnly());
    }
    if (resetAfter != null) {
      options.add(RunOption.resetAfter(resetAfter));
    }
    if (startDelay != null) {
      options.add(RunOption.startDelay(startDelay));
    }
    if (runTimeout != null) {
      options.add(RunOption.runTimeout(runTimeout));
    }
    if (interruptOnCancel) {
      options.add(RunOption.interruptOnCancel());
    }
    if (virtualThread) {
      options.add(RunOption.virtualThread());
    }
    if (maxRestarts != null) {
      options.add(RunOption.maxRestarts(maxRestarts, maxRestartsWindow));
    }
    if (singleton) {
      options.add(RunOption.singleton());
    }
    if (!tags.isEmpty()) {
      List<String> kv = new ArrayList<>();
      tags.forEach((k, v) -> {
        kv.add(k);
        kv.add(v);
      });
      options.add(RunOption.tags(kv.toArray(new String[0])));
    }
    return options;
  }

  /**
   * Checks the options that depend on the task: {@code restartOnFailureOnly}, {@code resetAfter}
   * and {@code maxRestarts} need mode {@code run}; {@code interruptOnCancel} and
   * {@code virtualThread} need a blocking {@code Task}; {@code virtualThread} needs Java 21+.
   *
   * @throws ConfigException naming the option (relative to this object)
   */
  void validate(TaskKind mode, boolean blocking) {
    if (mode != TaskKind.RUN) {
      if (restartOnFailureOnly) {
        throw runOnly("restartOnFailureOnly");
      }
      if (resetAfter != null) {
        throw runOnly("resetAfter");
      }
      if (maxRestarts != null) {
        throw runOnly("maxRestarts");
      }
      if (singleton) {
        throw runOnly("singleton");
      }
    }
    if (!blocking) {
      if (interruptOnCancel) {
        throw blockingOnly("interruptOnCancel");
      }
      if (virtualThread) {
        throw blockingOnly("virtualThread");
      }
    }
    if (virtualThread && Runtime.version().feature() < 21) {
      throw new ConfigException("virtualThread", "this JVM (Java " + Runtime.version().feature()
          + ") has no virtual threads; they need Java 21 or later");
    }
  }

  private static ConfigException runOnly(String key) {
    return new ConfigException(key, "applies to mode \"run\" only");
  }

  private static ConfigException blockingOnly(String key) {
    return new ConfigException(key, "applies to blocking tasks (dev.background.Task) only");
  }

  public boolean isSingleton() {
    return singleton;
  }

  /** Run on one node of the cluster at a time; see {@link RunOption#singleton()}. Mode run only. */
  public RunOptions setSingleton(boolean singleton) {
    this.singleton = singleton;
    return this;
  }

  public boolean isRestartOnFailureOnly() {
    return restartOnFailureOnly;
  }

  /** Restart only after a failure; see {@link RunOption#restartOnFailureOnly()}. Mode run only. */
  public RunOptions setRestartOnFailureOnly(boolean restartOnFailureOnly) {
    this.restartOnFailureOnly = restartOnFailureOnly;
    return this;
  }

  public Duration getResetAfter() {
    return resetAfter;
  }

  /** See {@link RunOption#resetAfter(Duration)}; {@code null} (the default) or > 0. Mode run only. */
  public RunOptions setResetAfter(Duration resetAfter) {
    this.resetAfter = positiveOrNull("resetAfter", resetAfter);
    return this;
  }

  public Duration getStartDelay() {
    return startDelay;
  }

  /** See {@link RunOption#startDelay(Duration)}; {@code null} (the default) or >= 0. */
  public RunOptions setStartDelay(Duration startDelay) {
    if (startDelay != null && startDelay.isNegative()) {
      throw new ConfigException("startDelay", "must be >= 0, was " + startDelay);
    }
    this.startDelay = startDelay;
    return this;
  }

  public Duration getRunTimeout() {
    return runTimeout;
  }

  /** See {@link RunOption#runTimeout(Duration)}; {@code null} (the default) or > 0. */
  public RunOptions setRunTimeout(Duration runTimeout) {
    this.runTimeout = positiveOrNull("runTimeout", runTimeout);
    return this;
  }

  public boolean isInterruptOnCancel() {
    return interruptOnCancel;
  }

  /** See {@link RunOption#interruptOnCancel()}. Blocking tasks only. */
  public RunOptions setInterruptOnCancel(boolean interruptOnCancel) {
    this.interruptOnCancel = interruptOnCancel;
    return this;
  }

  public boolean isVirtualThread() {
    return virtualThread;
  }

  /** See {@link RunOption#virtualThread()}. Blocking tasks only, on Java 21 or later. */
  public RunOptions setVirtualThread(boolean virtualThread) {
    this.virtualThread = virtualThread;
    return this;
  }

  /** The restart intensity's count, or {@code null} when not set. */
  public Integer getMaxRestarts() {
    return maxRestarts;
  }

  /** The restart intensity's window, or {@code null} when not set. */
  public Duration getMaxRestartsWindow() {
    return maxRestartsWindow;
  }

  /**
   * See {@link RunOption#maxRestarts(int, Duration)}: more than {@code count} (>= 0) restarts
   * inside {@code window} (> 0) gives up. Mode run only.
   */
  public RunOptions setMaxRestarts(int count, Duration window) {
    if (count < 0) {
      throw new ConfigException("maxRestarts.count", "must be >= 0, was " + count);
    }
    if (window == null || window.isNegative() || window.isZero()) {
      throw new ConfigException("maxRestarts.window", "must be > 0, was " + window);
    }
    this.maxRestarts = count;
    this.maxRestartsWindow = window;
    return this;
  }

  /** Metric tags, in insertion order (a copy). */
  public Map<String, String> getTags() {
    return new LinkedHashMap<>(tags);
  }

  /**
   * Extra metric tags: keys non-blank and not {@code task}, {@code kind} or {@code outcome} (the
   * tracker's own), values non-null.
   */
  public RunOptions setTags(Map<String, String> tags) {
    Objects.requireNonNull(tags, "tags");
    for (Map.Entry<String, String> e : tags.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isBlank()) {
        throw new ConfigException("tags", "keys must not be blank, was " + JsonConfig.describe(key));
      }
      if (RESERVED_TAGS.contains(key)) {
        throw new ConfigException("tags." + key, "is reserved (task, kind and outcome are set by "
            + "the tracker)");
      }
      if (e.getValue() == null) {
        throw new ConfigException("tags." + key, "must be a string, was null");
      }
    }
    this.tags = new LinkedHashMap<>(tags);
    return this;
  }

  private static Duration positiveOrNull(String field, Duration d) {
    if (d != null && (d.isNegative() || d.isZero())) {
      throw new ConfigException(field, "must be > 0, was " + Durations.format(d));
    }
    return d;
  }
}
