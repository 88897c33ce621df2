package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * RunOption is an optional argument of {@link Tasks#run} and {@link Tasks#once}, like the
 * {@code RunOption} of the Go package {@code background} (gostdlib/base). Each option is a
 * record of its own; make them with the static factories ({@link #resetAfter(Duration)}, ...).
 *
 * <p>Every option checks its arguments when it is made: a bad value throws a
 * {@link ConfigException} at {@code RunOption.<name>} ({@code RunOption.resetAfter: must be > 0,
 * was -1s}). Whether an option fits a task is decided by the option too
 * ({@link #checkAppliesTo(TaskKind, boolean)}): {@code run}/{@code once} refuse, for example,
 * {@code resetAfter} for a task that is never restarted. The JSON form of the options
 * ({@code dev.background.verticle.RunOptions}) uses the same records, so a rule is written once.
 *
 * <p>Options are immutable values, equal when their arguments are.
 */
public sealed interface RunOption {

  /** The root of the key paths of the options' mistakes: {@code RunOption.resetAfter}. */
  String PATH = "RunOption";

  /**
   * The option's name, as written in its factory method ("resetAfter"); it is also its key in the
   * JSON form of the options.
   *
   * @return the name
   */
  String name();

  /**
   * The kinds of task this option applies to: every kind unless the option says otherwise.
   *
   * @return an immutable set
   */
  default Set<TaskKind> kinds() {
    return Set.of(TaskKind.values());
  }

  /**
   * Whether this option applies to blocking tasks ({@link Task}) only, not to {@link AsyncTask}s.
   *
   * @return {@code true} for the options about the task's thread
   */
  default boolean blockingOnly() {
    return false;
  }

  /**
   * Checks that this option applies to a task of {@code kind}; this is the only place that
   * decides it, for the Java API and for the JSON configuration.
   *
   * @param kind the kind of task it is given to
   * @param blocking whether the task is a blocking {@link Task} (else an {@link AsyncTask})
   * @throws ConfigException at {@code RunOption.<name>} when it does not apply
   *     ({@code applies to restarted (run) tasks only}, {@code applies to blocking tasks only})
   */
  default void checkAppliesTo(TaskKind kind, boolean blocking) {
    Set<TaskKind> kinds = kinds();
    if (!kinds.contains(kind)) {
      throw new ConfigException(PATH + "." + name(), "applies to " + describe(kinds) + " only");
    }
    if (blockingOnly() && !blocking) {
      throw new ConfigException(PATH + "." + name(), "applies to blocking tasks only");
    }
  }

  // ------------------------------------------------------------------ factories

  /**
   * Use {@code name} verbatim as the full name, without the calling class and method prefix.
   *
   * @return the option
   */
  static RunOption exactName() {
    return new ExactName();
  }

  /**
   * Restart only after a failure (Erlang's transient restart); a run that returns normally ends
   * the task in state {@link TaskState#COMPLETED}. By default a task is restarted whenever it
   * ends, as in the Go package {@code background}. Restarted ({@code run}) tasks only.
   *
   * @return the option
   */
  static RunOption restartOnFailureOnly() {
    return new RestartOnFailureOnly();
  }

  /**
   * A run that lasted at least {@code minRunTime} starts the backoff sequence over (attempt 1).
   * Restarted ({@code run}) tasks only.
   *
   * @param minRunTime &gt; 0
   * @return the option
   * @throws ConfigException when {@code minRunTime} is null or not positive
   */
  static RunOption resetAfter(Duration minRunTime) {
    return new ResetAfter(minRunTime);
  }

  /**
   * Wait {@code delay} before the first run (state {@link TaskState#PENDING} meanwhile).
   *
   * @param delay &gt;= 0
   * @return the option
   * @throws ConfigException when {@code delay} is null or negative
   */
  static RunOption startDelay(Duration delay) {
    return new StartDelay(delay);
  }

  /**
   * A run that lasts longer than {@code timeout} has its context cancelled and counts as failed
   * (with a {@link java.util.concurrent.TimeoutException}), even if it then returns normally. An
   * async run ends there and then, and is restarted on its backoff; a later completion of its
   * future is ignored. A blocking run ends when it returns (ending it earlier would let the next
   * run overlap it on another thread).
   *
   * @param timeout &gt; 0
   * @return the option
   * @throws ConfigException when {@code timeout} is null or not positive
   */
  static RunOption runTimeout(Duration timeout) {
    return new RunTimeout(timeout);
  }

  /**
   * Interrupt a blocking task's thread when its context is cancelled. Blocking tasks only.
   *
   * @return the option
   */
  static RunOption interruptOnCancel() {
    return new InterruptOnCancel();
  }

  /**
   * Restart intensity, as in OTP supervisors: more than {@code maxRestarts} restarts inside any
   * {@code window} makes the task give up ({@link TaskState#GAVE_UP}). Restarted ({@code run})
   * tasks only.
   *
   * @param maxRestarts &gt;= 0
   * @param window &gt; 0
   * @return the option
   * @throws ConfigException at {@code RunOption.maxRestarts.count} or
   *     {@code RunOption.maxRestarts.window} for a bad argument
   */
  static RunOption maxRestarts(int maxRestarts, Duration window) {
    return new MaxRestarts(maxRestarts, window);
  }

  /**
   * Run a blocking task on a virtual thread instead of a dedicated platform thread. Blocking
   * tasks only.
   *
   * @return the option
   * @throws ConfigException on a JVM without virtual threads (before Java 21)
   */
  static RunOption virtualThread() {
    return new VirtualThread();
  }

  /**
   * Extra metric tags for this task, as alternating keys and values ({@code "team", "billing"});
   * a key given twice keeps its last value.
   *
   * @param keyValues keys and values; keys non-blank and not {@code task}, {@code kind} or
   *     {@code outcome} (the tracker's own), values non-null
   * @return the option
   * @throws ConfigException for an odd count, a blank or reserved key or a null value
   */
  static RunOption tags(String... keyValues) {
    if (keyValues == null) {
      throw new ConfigException(PATH + ".tags", "must not be null");
    }
    if (keyValues.length % 2 != 0) {
      throw new ConfigException(PATH + ".tags", "needs key/value pairs, was " + keyValues.length
          + " strings");
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      tags.put(keyValues[i], keyValues[i + 1]);
    }
    return new Tags(tags);
  }

  /**
   * Run this task on one node at a time: among all trackers of a Vert.x cluster (or of one Vert.x
   * instance) that run a task with the same full name, one holds it and runs it, the others wait
   * in {@link TaskState#STANDBY} and take over when the holder leaves, closes or cancels it. Uses
   * Vert.x shared data: cluster-wide locks, counters and maps when Vert.x is clustered, local ones
   * otherwise. Each takeover gets a new {@link TaskContext#fencingToken()}. Restarted
   * ({@code run}) tasks only.
   *
   * @return the option
   */
  static RunOption singleton() {
    return new Singleton();
  }

  /**
   * The configuration that the task reads through {@link TaskContext#config()}; a copy is kept.
   *
   * @param config any JSON object
   * @return the option
   * @throws ConfigException when {@code config} is null
   */
  static RunOption config(JsonObject config) {
    return new Config(config);
  }

  /**
   * Whether this task's failure makes the tracker's health DOWN: a critical task that ended in
   * {@link TaskState#GAVE_UP} or {@link TaskState#FAILED} does; any other task that ended so is
   * reported as a warning and leaves health UP. Without this option, {@code run} and
   * {@code schedule} tasks are critical and {@code once} tasks are not. The rule is
   * {@code dev.background.control.HealthVerdict}'s, used by {@code GET /health} and
   * {@code dev.background.health.TasksHealth}. JSON: {@code "critical": true}.
   *
   * @param critical whether the task's failure is the application's
   * @return the option
   */
  static RunOption critical(boolean critical) {
    return new Critical(critical);
  }

  /**
   * The level at which this task's failures are logged (on the logger
   * {@code dev.background.Tasks}), for tasks whose failures are expected: {@code "warn"} (the
   * default), {@code "info"} or {@code "debug"}. Giving up is always logged at ERROR. JSON:
   * {@code "logLevel": "info"}.
   *
   * @param level {@code "warn"}, {@code "info"} or {@code "debug"} (any case)
   * @return the option
   * @throws ConfigException at {@code RunOption.logLevel} for another value
   */
  static RunOption logLevel(String level) {
    return new LogLevel(level);
  }

  // ------------------------------------------------------------------ the options

  /** See {@link RunOption#exactName()}. */
  record ExactName() implements RunOption {
    @Override
    public String name() {
      return "exactName";
    }

    @Override
    public String toString() {
      return text(this);
    }
  }

  /** See {@link RunOption#restartOnFailureOnly()}. */
  record RestartOnFailureOnly() implements RunOption {
    @Override
    public String name() {
      return "restartOnFailureOnly";
    }

    @Override
    public Set<TaskKind> kinds() {
      return restarted();
    }

    @Override
    public String toString() {
      return text(this);
    }
  }

  /**
   * See {@link RunOption#resetAfter(Duration)}.
   *
   * @param minRunTime &gt; 0
   */
  record ResetAfter(Duration minRunTime) implements RunOption {
    /**
     * Checks the argument.
     *
     * @param minRunTime &gt; 0
     * @throws ConfigException at {@code RunOption.resetAfter} otherwise
     */
    public ResetAfter {
      positive("resetAfter", minRunTime);
    }

    @Override
    public String name() {
      return "resetAfter";
    }

    @Override
    public Set<TaskKind> kinds() {
      return restarted();
    }

    @Override
    public String toString() {
      return text(this, minRunTime);
    }
  }

  /**
   * See {@link RunOption#startDelay(Duration)}.
   *
   * @param delay &gt;= 0
   */
  record StartDelay(Duration delay) implements RunOption {
    /**
     * Checks the argument.
     *
     * @param delay &gt;= 0
     * @throws ConfigException at {@code RunOption.startDelay} otherwise
     */
    public StartDelay {
      notNegative("startDelay", delay);
    }

    @Override
    public String name() {
      return "startDelay";
    }

    @Override
    public String toString() {
      return text(this, delay);
    }
  }

  /**
   * See {@link RunOption#runTimeout(Duration)}.
   *
   * @param timeout &gt; 0
   */
  record RunTimeout(Duration timeout) implements RunOption {
    /**
     * Checks the argument.
     *
     * @param timeout &gt; 0
     * @throws ConfigException at {@code RunOption.runTimeout} otherwise
     */
    public RunTimeout {
      positive("runTimeout", timeout);
    }

    @Override
    public String name() {
      return "runTimeout";
    }

    @Override
    public String toString() {
      return text(this, timeout);
    }
  }

  /** See {@link RunOption#interruptOnCancel()}. */
  record InterruptOnCancel() implements RunOption {
    @Override
    public String name() {
      return "interruptOnCancel";
    }

    @Override
    public boolean blockingOnly() {
      return true;
    }

    @Override
    public String toString() {
      return text(this);
    }
  }

  /**
   * See {@link RunOption#maxRestarts(int, Duration)}.
   *
   * @param count &gt;= 0
   * @param window &gt; 0
   */
  record MaxRestarts(int count, Duration window) implements RunOption {
    /**
     * Checks the arguments.
     *
     * @param count &gt;= 0
     * @param window &gt; 0
     * @throws ConfigException at {@code RunOption.maxRestarts.count} or
     *     {@code RunOption.maxRestarts.window} otherwise
     */
    public MaxRestarts {
      if (count < 0) {
        throw new ConfigException(PATH + ".maxRestarts.count", "must be >= 0, was " + count);
      }
      positive("maxRestarts.window", window);
    }

    @Override
    public String name() {
      return "maxRestarts";
    }

    @Override
    public Set<TaskKind> kinds() {
      return restarted();
    }

    @Override
    public String toString() {
      return text(this, count, window);
    }
  }

  /** See {@link RunOption#virtualThread()}. */
  record VirtualThread() implements RunOption {
    /**
     * Checks that this JVM has virtual threads.
     *
     * @throws ConfigException at {@code RunOption.virtualThread} before Java 21
     */
    public VirtualThread {
      int feature = Runtime.version().feature();
      if (feature < 21) {
        throw new ConfigException(PATH + ".virtualThread", "this JVM (Java " + feature
            + ") has no virtual threads; they need Java 21 or later");
      }
    }

    @Override
    public String name() {
      return "virtualThread";
    }

    @Override
    public boolean blockingOnly() {
      return true;
    }

    @Override
    public String toString() {
      return text(this);
    }
  }

  /**
   * See {@link RunOption#tags(String...)}.
   *
   * @param tags keys non-blank and not reserved, values non-null; kept in their order, read-only
   */
  record Tags(Map<String, String> tags) implements RunOption {
    /**
     * Checks and copies the tags.
     *
     * @param tags keys non-blank and not {@code task}, {@code kind} or {@code outcome}, values
     *     non-null
     * @throws ConfigException at {@code RunOption.tags} or {@code RunOption.tags.<key>} otherwise
     */
    public Tags {
      if (tags == null) {
        throw new ConfigException(PATH + ".tags", "must not be null");
      }
      for (Map.Entry<String, String> e : tags.entrySet()) {
        String key = e.getKey();
        if (key == null || key.isBlank()) {
          throw new ConfigException(PATH + ".tags", "keys must not be blank, was "
              + JsonConfig.describe(key));
        }
        if (key.equals("task") || key.equals("kind") || key.equals("outcome")) {
          throw new ConfigException(PATH + ".tags." + key, "is reserved (task, kind and outcome "
              + "are set by the tracker)");
        }
        if (e.getValue() == null) {
          throw new ConfigException(PATH + ".tags." + key, "must not be null");
        }
      }
      tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    @Override
    public String name() {
      return "tags";
    }

    @Override
    public String toString() {
      return "RunOption.tags(" + tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", ")) + ")";
    }
  }

  /** See {@link RunOption#singleton()}. */
  record Singleton() implements RunOption {
    @Override
    public String name() {
      return "singleton";
    }

    /** A task that runs one time has nothing to hand over to another node. */
    @Override
    public Set<TaskKind> kinds() {
      return Set.of(TaskKind.RUN, TaskKind.SCHEDULE);
    }

    @Override
    public String toString() {
      return text(this);
    }
  }

  /**
   * See {@link RunOption#config(JsonObject)}.
   *
   * @param config the task's configuration; a copy is kept and {@link #config()} returns copies
   */
  record Config(JsonObject config) implements RunOption {
    /**
     * Checks and copies the configuration.
     *
     * @param config any JSON object
     * @throws ConfigException at {@code RunOption.config} when it is null
     */
    public Config {
      if (config == null) {
        throw new ConfigException(PATH + ".config", "must not be null");
      }
      config = config.copy();
    }

    /**
     * The configuration.
     *
     * @return a copy, so the option stays unchanged
     */
    @Override
    public JsonObject config() {
      return config.copy();
    }

    @Override
    public String name() {
      return "config";
    }

    @Override
    public String toString() {
      String json = config.encode();
      return PATH + ".config(" + (json.length() > 64 ? json.substring(0, 64) + "..." : json)
          + ")";
    }
  }

  /**
   * See {@link RunOption#critical(boolean)}.
   *
   * @param critical whether the task's failure makes health DOWN
   */
  record Critical(boolean critical) implements RunOption {
    @Override
    public String name() {
      return "critical";
    }

    @Override
    public String toString() {
      return text(this, critical);
    }
  }

  /**
   * See {@link RunOption#logLevel(String)}.
   *
   * @param level {@code "warn"}, {@code "info"} or {@code "debug"}, kept in lower case
   */
  record LogLevel(String level) implements RunOption {

    /** The levels accepted, in lower case. */
    public static final List<String> LEVELS = List.of("warn", "info", "debug");

    /**
     * Checks the level and keeps it in lower case.
     *
     * @param level {@code "warn"}, {@code "info"} or {@code "debug"}, any case
     * @throws ConfigException at {@code RunOption.logLevel} otherwise
     */
    public LogLevel {
      String lower = level == null ? null : level.trim().toLowerCase(Locale.ROOT);
      if (lower == null || !LEVELS.contains(lower)) {
        throw new ConfigException(PATH + ".logLevel", "must be one of \"warn\", \"info\", "
            + "\"debug\", was " + JsonConfig.describe(level));
      }
      level = lower;
    }

    @Override
    public String name() {
      return "logLevel";
    }

    @Override
    public String toString() {
      return text(this, level);
    }
  }

  // ------------------------------------------------------------------ shared by the records

  /** The kinds of the options about restarts and their backoff: run tasks. */
  private static Set<TaskKind> restarted() {
    return Set.of(TaskKind.RUN);
  }

  /** "restarted (run) tasks", or the kinds' names: "run and once tasks". */
  private static String describe(Set<TaskKind> kinds) {
    if (kinds.equals(restarted())) {
      return "restarted (run) tasks";
    }
    return kinds.stream().sorted().map(k -> k.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(" and ")) + " tasks";
  }

  private static void positive(String key, Duration d) {
    check(key, d, false);
  }

  private static void notNegative(String key, Duration d) {
    check(key, d, true);
  }

  private static void check(String key, Duration d, boolean zeroAllowed) {
    if (d == null) {
      throw new ConfigException(PATH + "." + key, "must not be null");
    }
    if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
      throw new ConfigException(PATH + "." + key, (zeroAllowed ? "must be >= 0" : "must be > 0")
          + ", was " + JsonConfig.describe(d));
    }
  }

  private static String text(RunOption o, Object... args) {
    StringBuilder s = new StringBuilder(PATH).append('.').append(o.name()).append('(');
    for (int i = 0; i < args.length; i++) {
      s.append(i == 0 ? "" : ", ").append(args[i] instanceof Duration
          ? Durations.format((Duration) args[i]) : String.valueOf(args[i]));
    }
    return s.append(')').toString();
  }
}
