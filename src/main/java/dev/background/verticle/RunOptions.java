package dev.background.verticle;

import dev.background.ConfigException;
import dev.background.Durations;
import dev.background.JsonConfig;
import dev.background.RunOption;
import dev.background.TaskKind;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * RunOptions is the {@code options} object of a declared task: the JSON form of the
 * {@link RunOption}s it is started with. Each key is the {@link RunOption#name()} of its option.
 *
 * <pre>{@code
 * "options": {
 *   "restartOnFailureOnly": false, "resetAfter": "1m", "startDelay": "2s", "runTimeout": "30s",
 *   "interruptOnCancel": true, "virtualThread": false, "singleton": false,
 *   "maxRestarts": { "count": 5, "window": "1m" }, "tags": { "team": "billing" },
 *   "critical": true, "logLevel": "info"
 * }
 * }</pre>
 *
 * <p>This class only maps JSON to {@link RunOption} values and back: the options check their own
 * values (a setter throws the option's {@link ConfigException}, at the JSON key instead of
 * {@code RunOption.<name>}), and decide which tasks they apply to
 * ({@link RunOption#checkAppliesTo(TaskKind, boolean)}, asked by
 * {@link TaskDeclaration#validate()}).
 * Not thread-safe.
 */
public class RunOptions {

  static final List<String> KEYS = List.of("restartOnFailureOnly", "resetAfter", "startDelay",
      "runTimeout", "interruptOnCancel", "virtualThread", "maxRestarts", "tags", "singleton",
      "critical", "logLevel");
  private static final List<String> MAX_RESTARTS_KEYS = List.of("count", "window");

  // Each field is the option, or null when it is not set. Options are immutable values.
  private RunOption restartOnFailureOnly;
  private RunOption.ResetAfter resetAfter;
  private RunOption.StartDelay startDelay;
  private RunOption.RunTimeout runTimeout;
  private RunOption interruptOnCancel;
  private RunOption virtualThread;
  private RunOption singleton;
  private RunOption.MaxRestarts maxRestarts;
  private RunOption.Tags tags;
  private RunOption.Critical critical;
  private RunOption.LogLevel logLevel;

  /** No option set. */
  public RunOptions() {
  }

  /**
   * A copy of {@code other}.
   *
   * @param other the options to copy
   */
  public RunOptions(RunOptions other) {
    this.restartOnFailureOnly = other.restartOnFailureOnly;
    this.resetAfter = other.resetAfter;
    this.startDelay = other.startDelay;
    this.runTimeout = other.runTimeout;
    this.interruptOnCancel = other.interruptOnCancel;
    this.virtualThread = other.virtualThread;
    this.singleton = other.singleton;
    this.maxRestarts = other.maxRestarts;
    this.tags = other.tags;
    this.critical = other.critical;
    this.logLevel = other.logLevel;
  }

  /**
   * Reads the JSON form.
   *
   * @param json the {@code options} object
   * @throws ConfigException naming the key (relative to this object) for an unknown key, a wrong
   *     type or a bad value
   */
  public RunOptions(JsonObject json) {
    JsonConfig.knownKeys(json, KEYS);
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
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
        case "critical":
          setCritical(value == null ? null : JsonConfig.bool(key, value));
          break;
        case "logLevel":
          setLogLevel(value == null ? null : JsonConfig.string(key, value));
          break;
        default:
          readTags(JsonConfig.object(key, value));
          break;
      }
    }
  }

  private void readMaxRestarts(JsonObject json) {
    try {
      JsonConfig.knownKeys(json, MAX_RESTARTS_KEYS);
      for (String key : MAX_RESTARTS_KEYS) {
        if (!json.containsKey(key)) {
          throw new ConfigException(key, "is required");
        }
      }
    } catch (ConfigException e) {
      throw e.under("maxRestarts");
    }
    int count = JsonConfig.wholeNumber("maxRestarts.count", json.getValue("count"));
    Duration window = JsonConfig.duration("maxRestarts.window", json.getValue("window"));
    setMaxRestarts(count, window);
  }

  private void readTags(JsonObject json) {
    Map<String, String> read = new LinkedHashMap<>();
    for (String key : json.fieldNames()) {
      read.put(key, JsonConfig.string("tags." + key, json.getValue(key)));
    }
    setTags(read);
  }

  /**
   * The JSON form, readable by {@link #RunOptions(JsonObject)}; unset durations, {@code critical}
   * and {@code logLevel} are left out.
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("restartOnFailureOnly", isRestartOnFailureOnly())
        .put("interruptOnCancel", isInterruptOnCancel())
        .put("virtualThread", isVirtualThread())
        .put("singleton", isSingleton());
    if (resetAfter != null) {
      json.put("resetAfter", Durations.format(resetAfter.minRunTime()));
    }
    if (startDelay != null) {
      json.put("startDelay", Durations.format(startDelay.delay()));
    }
    if (runTimeout != null) {
      json.put("runTimeout", Durations.format(runTimeout.timeout()));
    }
    if (maxRestarts != null) {
      json.put("maxRestarts", new JsonObject().put("count", maxRestarts.count())
          .put("window", Durations.format(maxRestarts.window())));
    }
    if (critical != null) {
      json.put("critical", critical.critical());
    }
    if (logLevel != null) {
      json.put("logLevel", logLevel.level());
    }
    return json.put("tags", new JsonObject(new LinkedHashMap<>(getTags())));
  }

  /**
   * These options as {@link RunOption}s (without {@code exactName} and {@code config}), in the
   * order of {@code KEYS} but with tags last.
   *
   * @return a new list
   */
  public List<RunOption> toRunOptions() {
    List<RunOption> options = new ArrayList<>();
    Stream.of(restartOnFailureOnly, resetAfter, startDelay, runTimeout, interruptOnCancel,
        virtualThread, maxRestarts, singleton, critical, logLevel, tags).forEach(o -> {
          if (o != null) {
            options.add(o);
          }
        });
    return options;
  }

  /**
   * Checks that every option applies to the task: the options decide it
   * ({@link RunOption#checkAppliesTo(TaskKind, boolean)}).
   *
   * @throws ConfigException at the option's key (relative to this object)
   */
  void validate(TaskKind mode, boolean blocking) {
    for (RunOption o : toRunOptions()) {
      try {
        o.checkAppliesTo(mode, blocking);
      } catch (ConfigException e) {
        throw e.relativeTo(RunOption.PATH);
      }
    }
  }

  /** Makes an option, reporting its mistake at its JSON key ({@code maxRestarts.count}). */
  private static <T extends RunOption> T option(Supplier<T> make) {
    try {
      return make.get();
    } catch (ConfigException e) {
      throw e.relativeTo(RunOption.PATH);
    }
  }

  /**
   * Whether the task runs on one node of the cluster at a time.
   *
   * @return whether {@link RunOption#singleton()} is set
   */
  public boolean isSingleton() {
    return singleton != null;
  }

  /**
   * Run on one node of the cluster at a time; see {@link RunOption#singleton()}. Mode run only.
   *
   * @param singleton on or off
   * @return {@code this}
   */
  public RunOptions setSingleton(boolean singleton) {
    this.singleton = singleton ? option(RunOption.Singleton::new) : null;
    return this;
  }

  /**
   * Whether the task is restarted only after a failure.
   *
   * @return whether {@link RunOption#restartOnFailureOnly()} is set
   */
  public boolean isRestartOnFailureOnly() {
    return restartOnFailureOnly != null;
  }

  /**
   * Restart only after a failure; see {@link RunOption#restartOnFailureOnly()}. Mode run only.
   *
   * @param restartOnFailureOnly on or off
   * @return {@code this}
   */
  public RunOptions setRestartOnFailureOnly(boolean restartOnFailureOnly) {
    this.restartOnFailureOnly = restartOnFailureOnly
        ? option(RunOption.RestartOnFailureOnly::new) : null;
    return this;
  }

  /**
   * The run time after which the backoff sequence starts over.
   *
   * @return the duration, or {@code null} when not set
   */
  public Duration getResetAfter() {
    return resetAfter == null ? null : resetAfter.minRunTime();
  }

  /**
   * See {@link RunOption#resetAfter(Duration)}. Mode run only.
   *
   * @param resetAfter {@code null} (the default) or a duration that option accepts
   * @return {@code this}
   * @throws ConfigException at {@code resetAfter} for a value the option refuses
   */
  public RunOptions setResetAfter(Duration resetAfter) {
    this.resetAfter = resetAfter == null ? null
        : option(() -> new RunOption.ResetAfter(resetAfter));
    return this;
  }

  /**
   * The wait before the first run.
   *
   * @return the duration, or {@code null} when not set
   */
  public Duration getStartDelay() {
    return startDelay == null ? null : startDelay.delay();
  }

  /**
   * See {@link RunOption#startDelay(Duration)}.
   *
   * @param startDelay {@code null} (the default) or a duration that option accepts
   * @return {@code this}
   * @throws ConfigException at {@code startDelay} for a value the option refuses
   */
  public RunOptions setStartDelay(Duration startDelay) {
    this.startDelay = startDelay == null ? null
        : option(() -> new RunOption.StartDelay(startDelay));
    return this;
  }

  /**
   * The longest a run may last.
   *
   * @return the duration, or {@code null} when not set
   */
  public Duration getRunTimeout() {
    return runTimeout == null ? null : runTimeout.timeout();
  }

  /**
   * See {@link RunOption#runTimeout(Duration)}.
   *
   * @param runTimeout {@code null} (the default) or a duration that option accepts
   * @return {@code this}
   * @throws ConfigException at {@code runTimeout} for a value the option refuses
   */
  public RunOptions setRunTimeout(Duration runTimeout) {
    this.runTimeout = runTimeout == null ? null
        : option(() -> new RunOption.RunTimeout(runTimeout));
    return this;
  }

  /**
   * Whether a blocking task's thread is interrupted when its context is cancelled.
   *
   * @return whether {@link RunOption#interruptOnCancel()} is set
   */
  public boolean isInterruptOnCancel() {
    return interruptOnCancel != null;
  }

  /**
   * See {@link RunOption#interruptOnCancel()}. Blocking tasks only.
   *
   * @param interruptOnCancel on or off
   * @return {@code this}
   */
  public RunOptions setInterruptOnCancel(boolean interruptOnCancel) {
    this.interruptOnCancel = interruptOnCancel ? option(RunOption.InterruptOnCancel::new) : null;
    return this;
  }

  /**
   * Whether a blocking task runs on a virtual thread.
   *
   * @return whether {@link RunOption#virtualThread()} is set
   */
  public boolean isVirtualThread() {
    return virtualThread != null;
  }

  /**
   * See {@link RunOption#virtualThread()}. Blocking tasks only.
   *
   * @param virtualThread on or off
   * @return {@code this}
   * @throws ConfigException at {@code virtualThread} when turned on in a JVM without virtual
   *     threads
   */
  public RunOptions setVirtualThread(boolean virtualThread) {
    this.virtualThread = virtualThread ? option(RunOption.VirtualThread::new) : null;
    return this;
  }

  /**
   * The restart intensity's count.
   *
   * @return the count, or {@code null} when not set
   */
  public Integer getMaxRestarts() {
    return maxRestarts == null ? null : maxRestarts.count();
  }

  /**
   * The restart intensity's window.
   *
   * @return the window, or {@code null} when not set
   */
  public Duration getMaxRestartsWindow() {
    return maxRestarts == null ? null : maxRestarts.window();
  }

  /**
   * See {@link RunOption#maxRestarts(int, Duration)}: more than {@code count} restarts inside
   * {@code window} gives up. Mode run only.
   *
   * @param count a count that option accepts
   * @param window a window that option accepts
   * @return {@code this}
   * @throws ConfigException at {@code maxRestarts.count} or {@code maxRestarts.window} for a
   *     value the option refuses
   */
  public RunOptions setMaxRestarts(int count, Duration window) {
    this.maxRestarts = option(() -> new RunOption.MaxRestarts(count, window));
    return this;
  }

  /**
   * Metric tags.
   *
   * @return a copy, in insertion order
   */
  public Map<String, String> getTags() {
    return tags == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tags.tags());
  }

  /**
   * Extra metric tags; see {@link RunOption#tags(String...)} for the keys and values accepted.
   *
   * @param tags the tags (copied); empty for none
   * @return {@code this}
   * @throws ConfigException at {@code tags} or {@code tags.<key>} for a key or value the option
   *     refuses
   */
  public RunOptions setTags(Map<String, String> tags) {
    RunOption.Tags option = option(() -> new RunOption.Tags(tags));
    this.tags = option.tags().isEmpty() ? null : option;
    return this;
  }

  /**
   * Whether the task's failure makes health DOWN, when set.
   *
   * @return the value of {@link RunOption#critical(boolean)}, or {@code null} for the default of
   *     the mode (run and schedule critical, once not)
   */
  public Boolean getCritical() {
    return critical == null ? null : critical.critical();
  }

  /**
   * See {@link RunOption#critical(boolean)}.
   *
   * @param critical on, off, or {@code null} for the default of the mode
   * @return {@code this}
   */
  public RunOptions setCritical(Boolean critical) {
    this.critical = critical == null ? null : option(() -> new RunOption.Critical(critical));
    return this;
  }

  /**
   * The level of the task's failure lines, when set.
   *
   * @return {@code "warn"}, {@code "info"}, {@code "debug"}, or {@code null} for the default (warn)
   */
  public String getLogLevel() {
    return logLevel == null ? null : logLevel.level();
  }

  /**
   * See {@link RunOption#logLevel(String)}.
   *
   * @param logLevel {@code "warn"}, {@code "info"}, {@code "debug"}, or {@code null} for the
   *     default
   * @return {@code this}
   * @throws ConfigException at {@code logLevel} for another value
   */
  public RunOptions setLogLevel(String logLevel) {
    this.logLevel = logLevel == null ? null : option(() -> new RunOption.LogLevel(logLevel));
    return this;
  }
}
