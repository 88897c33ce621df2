package dev.background.verticle;

import dev.background.ConfigException;
import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.TaskHandle;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * DeclaredTasks starts the tasks declared in a {@link TasksVerticleOptions} on a tracker: all the
 * {@code autoStart} ones at once ({@link #startAll()}), or one on request ({@link #start(String)}).
 *
 * <p>Thread-safe: the declarations are copied and never change, and the tracker is thread-safe.
 * Two concurrent {@link #start(String)} calls for one {@code run} task cannot both succeed (the
 * tracker refuses the second name).
 */
public final class DeclaredTasks {

  private final Tasks tasks;
  private final Backoff defaultBackoff;
  private final Map<String, Declared> byName = new LinkedHashMap<>();

  private static final class Declared {
    final int index;
    final TaskDeclaration declaration;

    Declared(int index, TaskDeclaration declaration) {
      this.index = index;
      this.declaration = declaration;
    }
  }

  /**
   * @param tasks the tracker that runs the tasks
   * @param options validated here ({@link TasksVerticleOptions#validate()}); copied
   * @throws ConfigException when the options are invalid
   */
  public DeclaredTasks(Tasks tasks, TasksVerticleOptions options) {
    this.tasks = tasks;
    TasksVerticleOptions copy = new TasksVerticleOptions(options);
    copy.validate();
    this.defaultBackoff = copy.getDefaultBackoff();
    List<TaskDeclaration> list = copy.getTasks();
    for (int i = 0; i < list.size(); i++) {
      byName.put(list.get(i).getName(), new Declared(i, list.get(i)));
    }
  }

  /**
   * The declared names, in configuration order.
   *
   * @return a read-only view
   */
  public Set<String> names() {
    return Collections.unmodifiableSet(byName.keySet());
  }

  /**
   * Whether {@code name} is a declared task.
   *
   * @param name the declared name
   * @return whether it is declared
   */
  public boolean isDeclared(String name) {
    return name != null && byName.containsKey(name);
  }

  /**
   * Starts every {@code autoStart} task, all or nothing: names are checked against the tracker's
   * live tasks and every instance is made before the first task starts; if a task still fails to
   * start, the ones started before it are cancelled.
   *
   * @return the handles of the started tasks, in configuration order
   * @throws ConfigException naming the declaration ({@code tasks[1].name: ...}) when a name is
   *     taken by a live task or a constructor fails
   * @throws IllegalStateException when the tracker is closed
   */
  public List<TaskHandle> startAll() {
    if (tasks.isClosed()) {
      throw new IllegalStateException("the tracker is closed");
    }
    List<Declared> toStart = new ArrayList<>();
    List<Object> instances = new ArrayList<>();
    for (Declared d : byName.values()) {
      if (!d.declaration.isAutoStart()) {
        continue;
      }
      String conflict = conflict(d.declaration);
      if (conflict != null) {
        throw new ConfigException(at(d) + ".name", conflict);
      }
      try {
        instances.add(d.declaration.newInstance());
      } catch (ConfigException e) {
        throw e.under(at(d));
      }
      toStart.add(d);
    }
    List<TaskHandle> started = new ArrayList<>();
    for (int i = 0; i < toStart.size(); i++) {
      Declared d = toStart.get(i);
      try {
        started.add(submit(d.declaration, instances.get(i)));
      } catch (RuntimeException e) {
        started.forEach(TaskHandle::cancel);
        if (e instanceof IllegalStateException) {
          throw e;
        }
        throw new ConfigException(at(d), String.valueOf(e.getMessage()), e);
      }
    }
    return started;
  }

  /**
   * Starts one declared task that is not running: a {@code run} task that was never started or
   * has ended (cancelled, gave up, completed, failed); a {@code once} task that is not running
   * (it runs again, adding to its statistics).
   *
   * @param name the declared name
   * @return the handle of the started task
   * @throws NoSuchElementException when no task has this name
   * @throws IllegalStateException when the task is not declared (it exists in the tracker but was
   *     not started from this configuration), is running, or the tracker is closed
   * @throws ConfigException when the class's constructor fails
   */
  public TaskHandle start(String name) {
    Declared d = name == null ? null : byName.get(name);
    if (d == null) {
      if (exactStatus(name).isPresent()) {
        throw new IllegalStateException(name + ": is not a declared task; only tasks declared in "
            + "the configuration can be started");
      }
      throw new NoSuchElementException("no task named \"" + name + "\"");
    }
    if (tasks.isClosed()) {
      throw new IllegalStateException("the tracker is closed");
    }
    String conflict = conflict(d.declaration);
    if (conflict != null) {
      throw new IllegalStateException(conflict);
    }
    Object instance;
    try {
      instance = d.declaration.newInstance();
    } catch (ConfigException e) {
      throw e.under(at(d));
    }
    try {
      return submit(d.declaration, instance);
    } catch (IllegalArgumentException e) {
      // The name was taken meanwhile: a state conflict, not a bad request.
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Why the declared task cannot start now, or null when it can. */
  private String conflict(TaskDeclaration d) {
    Optional<TaskStatus> existing = exactStatus(d.getName());
    if (existing.isEmpty()) {
      return null;
    }
    TaskStatus s = existing.get();
    String name = d.getName();
    boolean longLived = d.getMode() != TaskKind.ONCE;
    if (longLived && s.kind() == TaskKind.ONCE) {
      return name + ": is the name of a once task";
    }
    if (!longLived && s.kind() != TaskKind.ONCE) {
      return name + ": is the name of a " + s.kind().wireName() + " task";
    }
    if (longLived && !s.state().isTerminal()) {
      return name + ": is " + s.state() + "; start applies to a task that has not started or has "
          + "ended";
    }
    if (d.getMode() == TaskKind.ONCE
        && (s.state() == TaskState.RUNNING || s.state() == TaskState.PENDING)) {
      return name + ": is " + s.state() + "; start runs a once task again after it has ended";
    }
    return null;
  }

  private Optional<TaskStatus> exactStatus(String name) {
    return tasks.status(name).filter(s -> s.name().equals(name));
  }

  private TaskHandle submit(TaskDeclaration d, Object instance) {
    List<RunOption> options = new ArrayList<>();
    options.add(RunOption.exactName());
    options.add(RunOption.config(d.getConfig()));
    options.addAll(d.getOptions().toRunOptions());
    RunOption[] opts = options.toArray(new RunOption[0]);
    Backoff backoff = d.getBackoff() != null ? d.getBackoff() : defaultBackoff;
    if (d.getMode() == TaskKind.RUN) {
      return instance instanceof Task
          ? tasks.run(d.getName(), (Task) instance, backoff, opts)
          : tasks.runAsync(d.getName(), (AsyncTask) instance, backoff, opts);
    }
    if (d.getMode() == TaskKind.SCHEDULE) {
      return instance instanceof Task
          ? tasks.schedule(d.getName(), d.getSchedule(), (Task) instance, opts)
          : tasks.scheduleAsync(d.getName(), d.getSchedule(), (AsyncTask) instance, opts);
    }
    return instance instanceof Task
        ? tasks.once(d.getName(), (Task) instance, opts)
        : tasks.onceAsync(d.getName(), (AsyncTask) instance, opts);
  }

  private static String at(Declared d) {
    return "tasks[" + d.index + "]";
  }
}
