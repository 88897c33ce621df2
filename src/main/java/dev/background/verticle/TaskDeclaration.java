package dev.background.verticle;

import dev.background.JsonConfig;
import dev.background.ConfigException;
import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.Schedule;
import dev.background.Task;
import dev.background.TaskKind;
import dev.background.Tasks;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;

/**
 * TaskDeclaration is one entry of the {@code tasks} list of a
 * {@link dev.background.verticle.TasksVerticle} configuration: a task the verticle starts by itself.
 *
 * <pre>{@code
 * { "name": "poller", "class": "com.acme.Poller", "mode": "run", "autoStart": true,
 *   "backoff": { "initialInterval": "1s" }, "options": { "resetAfter": "1m" },
 *   "config": { "url": "https://example.org" } }
 * { "name": "compact", "class": "com.acme.Compact", "mode": "schedule",
 *   "schedule": { "cron": "0 3 * * *", "zone": "Europe/Paris", "misfire": "run-once" } }
 * }</pre>
 *
 * <p>{@code mode} is {@code run} (restarted with backoff), {@code once} or {@code schedule}; a
 * schedule needs a {@code schedule} object ({@link Schedule#fromJson(JsonObject)}: exactly one of
 * {@code every}, {@code fixedRate}, {@code cron}, plus {@code zone}, {@code jitter},
 * {@code overlap}, {@code misfire}, {@code startingDeadline}, {@code startAt}, {@code until},
 * {@code retry}), which no other mode takes.
 *
 * <p>The class is a public, concrete class with a public no-arg constructor that implements
 * {@link Task} (blocking code, run on a thread of its own) or {@link AsyncTask} (non-blocking
 * code, run on the verticle's event loop). Each start makes a new instance; a {@code run} task
 * keeps its instance across restarts. The {@code config} object reaches the task through
 * {@link dev.background.TaskContext#config()}. The name is used verbatim (no caller prefix).
 *
 * <p>Setters check their argument at once; {@link #validate()} checks the whole (loading the
 * class). Not thread-safe.
 */
public class TaskDeclaration {

  /** Declared tasks are restarted ({@link TaskKind#RUN}) unless said otherwise. */
  public static final TaskKind DEFAULT_MODE = TaskKind.RUN;

  /** Declared tasks start with the verticle unless said otherwise. */
  public static final boolean DEFAULT_AUTO_START = true;

  static final List<String> KEYS = List.of("name", "class", "mode", "autoStart", "backoff",
      "schedule", "options", "config");

  private String name;
  private String className;
  private TaskKind mode = DEFAULT_MODE;
  private boolean autoStart = DEFAULT_AUTO_START;
  private Backoff backoff;
  private Schedule schedule;
  private RunOptions options = new RunOptions();
  private JsonObject config = new JsonObject();

  /** An empty declaration: mode {@code run}, started with the verticle, no name or class yet. */
  public TaskDeclaration() {
  }

  /**
   * A copy of {@code other} (its options and config copied too).
   *
   * @param other the declaration to copy
   */
  public TaskDeclaration(TaskDeclaration other) {
    this.name = other.name;
    this.className = other.className;
    this.mode = other.mode;
    this.autoStart = other.autoStart;
    this.backoff = other.backoff;
    this.schedule = other.schedule;
    this.options = new RunOptions(other.options);
    this.config = other.config.copy();
  }

  /**
   * Reads the JSON form; a {@code backoff} object is applied on top of {@link Backoff#defaults()}.
   *
   * @param json the declaration's JSON object
   */
  public TaskDeclaration(JsonObject json) {
    this(json, Backoff.defaults());
  }

  /**
   * Reads the JSON form. Only types and single values are checked here; {@link #validate()}
   * checks the rest.
   *
   * @param json the declaration's JSON object
   * @param defaultBackoff what a {@code backoff} object's missing keys are taken from
   * @throws ConfigException naming the key relative to this object ({@code backoff.multiplier})
   */
  public TaskDeclaration(JsonObject json, Backoff defaultBackoff) {
    JsonConfig.knownKeys(json, KEYS);
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      switch (key) {
        case "name":
          setName(JsonConfig.string(key, value));
          break;
        case "class":
          setClassName(JsonConfig.string(key, value));
          break;
        case "mode":
          setMode(mode(JsonConfig.string(key, value)));
          break;
        case "autoStart":
          setAutoStart(JsonConfig.bool(key, value));
          break;
        case "backoff":
          JsonObject b = JsonConfig.object(key, value);
          try {
            setBackoff(Backoff.fromJson(b, defaultBackoff));
          } catch (ConfigException e) {
            throw e.under(key);
          }
          break;
        case "schedule":
          JsonObject sch = JsonConfig.object(key, value);
          try {
            setSchedule(Schedule.fromJson(sch));
          } catch (ConfigException e) {
            throw e.under(key);
          }
          break;
        case "options":
          JsonObject o = JsonConfig.object(key, value);
          try {
            setOptions(new RunOptions(o));
          } catch (ConfigException e) {
            throw e.under(key);
          }
          break;
        default:
          setConfig(JsonConfig.object(key, value).copy());
          break;
      }
    }
  }

  private static TaskKind mode(String value) {
    switch (value) {
      case "run":
        return TaskKind.RUN;
      case "once":
        return TaskKind.ONCE;
      case "schedule":
        return TaskKind.SCHEDULE;
      default:
        throw new ConfigException("mode", "must be \"run\", \"once\" or \"schedule\", was "
            + JsonConfig.describe(value));
    }
  }

  /**
   * The JSON form, readable by {@link #TaskDeclaration(JsonObject)}.
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("name", name)
        .put("class", className)
        .put("mode", mode.wireName())
        .put("autoStart", autoStart);
    if (backoff != null) {
      json.put("backoff", backoff.toJson());
    }
    if (schedule != null) {
      json.put("schedule", schedule.toJson());
    }
    return json.put("options", options.toJson()).put("config", config.copy());
  }

  /**
   * Checks the declaration as a whole: name and class present, the class loadable and a task,
   * the options fit for the mode and the kind of task.
   *
   * @throws ConfigException naming the key relative to this object ({@code class},
   *     {@code options.resetAfter})
   */
  public void validate() {
    if (name == null) {
      throw new ConfigException("name", "is required");
    }
    if (className == null) {
      throw new ConfigException("class", "is required (a public class implementing "
          + Task.class.getName() + " or " + AsyncTask.class.getName() + ")");
    }
    Class<?> c = taskClass();
    if (mode != TaskKind.RUN && backoff != null) {
      throw new ConfigException("backoff", "applies to mode \"run\" only"
          + (mode == TaskKind.SCHEDULE ? " (a schedule retries with schedule.retry)" : ""));
    }
    if (mode == TaskKind.SCHEDULE && schedule == null) {
      throw new ConfigException("schedule", "is required with mode \"schedule\" (an object with "
          + "one of every, fixedRate, cron)");
    }
    if (mode != TaskKind.SCHEDULE && schedule != null) {
      throw new ConfigException("schedule", "applies to mode \"schedule\" only, the mode is \""
          + mode.wireName() + "\"");
    }
    try {
      options.validate(mode, Task.class.isAssignableFrom(c));
    } catch (ConfigException e) {
      throw e.under("options");
    }
  }

  /**
   * Loads the class and checks that it can be a task: public, concrete, a {@link Task} or an
   * {@link AsyncTask} (their {@code run} methods clash, so never both), with a public no-arg
   * constructor.
   *
   * @return the loaded class
   * @throws ConfigException at {@code class} otherwise
   */
  public Class<?> taskClass() {
    if (className == null) {
      throw new ConfigException("class", "is required");
    }
    Class<?> c = load(className);
    boolean blocking = Task.class.isAssignableFrom(c);
    boolean async = AsyncTask.class.isAssignableFrom(c);
    if (!blocking && !async) {
      throw badClass("must implement " + Task.class.getName() + " or " + AsyncTask.class.getName());
    }
    int m = c.getModifiers();
    if (!Modifier.isPublic(m) || Modifier.isAbstract(m) || c.isInterface()
        || (c.getEnclosingClass() != null && !Modifier.isStatic(m))) {
      throw badClass("must be a public, concrete, top-level or static nested class");
    }
    try {
      c.getConstructor();
    } catch (NoSuchMethodException e) {
      throw badClass("must have a public no-arg constructor");
    }
    return c;
  }

  /**
   * A new instance of the task class: a {@link Task} or an {@link AsyncTask}.
   *
   * @return a new instance
   * @throws ConfigException at {@code class} when the class is unfit or its constructor fails
   */
  public Object newInstance() {
    Class<?> c = taskClass();
    try {
      return c.getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new ConfigException("class", "constructor of " + className + " failed: " + cause, cause);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ConfigException("class", "cannot instantiate " + className + ": " + e, e);
    }
  }

  private ConfigException badClass(String problem) {
    return new ConfigException("class", problem + ", was " + JsonConfig.describe(className));
  }

  private Class<?> load(String name) {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    ClassLoader own = TaskDeclaration.class.getClassLoader();
    for (ClassLoader loader : new ClassLoader[] {context, own}) {
      if (loader == null) {
        continue;
      }
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next loader
      }
    }
    throw new ConfigException("class", "no such class, was " + JsonConfig.describe(name));
  }

  /** @return the task's full name, or {@code null} when not set */
  public String getName() {
    return name;
  }

  /**
   * The task's full name, used verbatim: non-blank, at most {@link Tasks#MAX_NAME_LENGTH}
   * characters.
   *
   * @param name the full name
   * @return {@code this}
   */
  public TaskDeclaration setName(String name) {
    if (name == null || name.isBlank()) {
      throw new ConfigException("name", "must not be blank, was " + JsonConfig.describe(name));
    }
    if (name.length() > Tasks.MAX_NAME_LENGTH) {
      throw new ConfigException("name", "must be at most " + Tasks.MAX_NAME_LENGTH
          + " characters, was " + name.length());
    }
    this.name = name;
    return this;
  }

  /** @return the binary name of the task class, or {@code null} when not set */
  public String getClassName() {
    return className;
  }

  /**
   * The binary name of the task class ({@code com.acme.Jobs$Poller} for a nested class).
   *
   * @param className the binary name
   * @return {@code this}
   */
  public TaskDeclaration setClassName(String className) {
    if (className == null || className.isBlank()) {
      throw new ConfigException("class", "must not be blank, was "
          + JsonConfig.describe(className));
    }
    this.className = className;
    return this;
  }

  /**
   * Sets the class name from a class.
   *
   * @param taskClass a task class
   * @return {@code this}
   */
  public TaskDeclaration setTaskClass(Class<?> taskClass) {
    return setClassName(Objects.requireNonNull(taskClass, "taskClass").getName());
  }

  /** @return {@link TaskKind#RUN} or {@link TaskKind#ONCE} */
  /**
   * The schedule of a {@code schedule} task.
   *
   * @return the schedule, or null when none is set
   */
  public Schedule getSchedule() {
    return schedule;
  }

  /**
   * Sets the schedule of a {@code schedule} task (mode {@link TaskKind#SCHEDULE}).
   *
   * @param schedule when the task fires
   * @return this
   */
  public TaskDeclaration setSchedule(Schedule schedule) {
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    return this;
  }

  public TaskKind getMode() {
    return mode;
  }

  /**
   * {@link TaskKind#RUN} (restarted with backoff, the default) or {@link TaskKind#ONCE}.
   *
   * @param mode not null
   * @return {@code this}
   */
  public TaskDeclaration setMode(TaskKind mode) {
    this.mode = Objects.requireNonNull(mode, "mode");
    return this;
  }

  /** @return whether the verticle starts the task when deployed */
  public boolean isAutoStart() {
    return autoStart;
  }

  /**
   * Whether the verticle starts the task when deployed (the default); otherwise it waits for a
   * {@code start} request.
   *
   * @param autoStart on or off
   * @return {@code this}
   */
  public TaskDeclaration setAutoStart(boolean autoStart) {
    this.autoStart = autoStart;
    return this;
  }

  /**
   * The task's backoff, or {@code null} to use the verticle's {@code defaultBackoff}.
   *
   * @return the policy, or {@code null}
   */
  public Backoff getBackoff() {
    return backoff;
  }

  /**
   * The restart policy of a {@code run} task; {@code null} means the verticle's default.
   *
   * @param backoff the policy, or {@code null} for the verticle's default
   * @return {@code this}
   */
  public TaskDeclaration setBackoff(Backoff backoff) {
    this.backoff = backoff;
    return this;
  }

  /** @return the task's run options (the object itself, not a copy) */
  public RunOptions getOptions() {
    return options;
  }

  /**
   * The task's run options.
   *
   * @param options not null
   * @return {@code this}
   */
  public TaskDeclaration setOptions(RunOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    return this;
  }

  /**
   * The object the task reads through {@link dev.background.TaskContext#config()}.
   *
   * @return the object itself, not a copy
   */
  public JsonObject getConfig() {
    return config;
  }

  /**
   * The object the task reads through {@link dev.background.TaskContext#config()}.
   *
   * @param config not null
   * @return {@code this}
   */
  public TaskDeclaration setConfig(JsonObject config) {
    this.config = Objects.requireNonNull(config, "config");
    return this;
  }
}
