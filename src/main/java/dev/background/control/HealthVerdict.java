package dev.background.control;

import dev.background.RunOption;
import dev.background.TaskError;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * HealthVerdict is the one rule that says whether a tracker is healthy, shared by
 * {@code GET /health} ({@code dev.background.web}) and the vertx-health-check procedure
 * ({@code dev.background.health.TasksHealth}):
 *
 * <ul>
 *   <li>DOWN when the tracker is closed, or when a <em>critical</em> task
 *       ({@link TaskStatus#critical()}, see {@link RunOption#critical(boolean)}: by default run
 *       and schedule tasks, not once tasks) is in {@link TaskState#GAVE_UP} or
 *       {@link TaskState#FAILED}; each such cause is one of the {@link #reasons()};</li>
 *   <li>otherwise UP; a task that is not critical and ended in {@code GAVE_UP} or {@code FAILED}
 *       is one of the {@link #warnings()}, and leaves the verdict UP.</li>
 * </ul>
 *
 * <p>A verdict is a snapshot: immutable and thread-safe.
 */
public final class HealthVerdict {

  private final boolean closed;
  private final int taskCount;
  private final Map<TaskState, Integer> states;
  private final List<String> gaveUp;
  private final List<String> failed;
  private final List<String> reasons;
  private final List<String> warnings;

  private HealthVerdict(boolean closed, List<TaskStatus> statuses) {
    this.closed = closed;
    this.taskCount = statuses.size();
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    for (TaskState s : TaskState.values()) {
      counts.put(s, 0);
    }
    List<String> gaveUp = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (closed) {
      reasons.add("the tracker is closed");
    }
    for (TaskStatus s : statuses) {
      counts.merge(s.state(), 1, Integer::sum);
      String problem;
      if (s.state() == TaskState.GAVE_UP) {
        gaveUp.add(s.name());
        problem = "gave up after " + s.consecutiveFailures() + " consecutive failures";
      } else if (s.state() == TaskState.FAILED) {
        failed.add(s.name());
        problem = "failed";
      } else {
        continue;
      }
      String text = "task " + s.name() + (s.critical() ? " " : " (not critical) ") + problem
          + lastError(s.lastError());
      (s.critical() ? reasons : warnings).add(text);
    }
    this.states = counts;
    this.gaveUp = List.copyOf(gaveUp);
    this.failed = List.copyOf(failed);
    this.reasons = List.copyOf(reasons);
    this.warnings = List.copyOf(warnings);
  }

  private static String lastError(TaskError e) {
    if (e == null) {
      return "";
    }
    return "; last error: " + e.type() + (e.message() == null ? "" : ": " + e.message());
  }

  /**
   * The verdict on {@code tasks} now: its {@link Tasks#list()} and whether it is closed.
   *
   * @param tasks the tracker
   * @return the verdict
   */
  public static HealthVerdict of(Tasks tasks) {
    Objects.requireNonNull(tasks, "HealthVerdict.of: tasks must not be null");
    boolean closed = tasks.isClosed();
    return new HealthVerdict(closed, tasks.list());
  }

  /**
   * The verdict on these statuses, of a tracker that is {@code closed} or not.
   *
   * @param statuses the tasks' statuses
   * @param closed whether the tracker is closed
   * @return the verdict
   */
  public static HealthVerdict of(List<TaskStatus> statuses, boolean closed) {
    return new HealthVerdict(closed, List.copyOf(statuses));
  }

  /** @return {@code true} for UP: no reason to be DOWN */
  public boolean isUp() {
    return reasons.isEmpty();
  }

  /** @return why the verdict is DOWN, one line per cause; empty when UP */
  public List<String> reasons() {
    return reasons;
  }

  /** @return the tasks that are not critical and ended in GAVE_UP or FAILED, one line each */
  public List<String> warnings() {
    return warnings;
  }

  /** @return the names of the tasks in GAVE_UP, critical or not */
  public List<String> gaveUp() {
    return gaveUp;
  }

  /** @return the names of the tasks in FAILED, critical or not */
  public List<String> failed() {
    return failed;
  }

  /**
   * The verdict as JSON: {@code status} ({@code "UP"} or {@code "DOWN"}), {@code closed},
   * {@code tasks} (how many), {@code states} (a count for every {@link TaskState}),
   * {@code gaveUp} and {@code failed} (task names), {@code reasons} and {@code warnings}
   * (lines of text).
   *
   * @return a new JSON object
   */
  public JsonObject toJson() {
    JsonObject counts = new JsonObject();
    states.forEach((k, v) -> counts.put(k.name(), v));
    return new JsonObject()
        .put("status", isUp() ? "UP" : "DOWN")
        .put("closed", closed)
        .put("tasks", taskCount)
        .put("states", counts)
        .put("gaveUp", new JsonArray(new ArrayList<>(gaveUp)))
        .put("failed", new JsonArray(new ArrayList<>(failed)))
        .put("reasons", new JsonArray(new ArrayList<>(reasons)))
        .put("warnings", new JsonArray(new ArrayList<>(warnings)));
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
