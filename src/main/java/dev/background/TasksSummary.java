package dev.background;

import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * TasksSummary counts the tasks of a tracker by state and by kind, and sums their counters
 * ({@link Tasks#summary()}). It costs a pass over the registry without building a status per task,
 * so it stays cheap with many tasks. Immutable.
 *
 * <p>The totals are exact over the tracker's life: they include the counters of {@code once} names
 * that the retention dropped ({@link TasksOptions#setOnceRetentionCount(int)}) and of {@code run}
 * tasks replaced by a resubmission under their name. Taken while tasks change, it is not one
 * atomic snapshot: each count is read once, at some moment during the pass.
 *
 * <p>JSON: {@code {"tasks": 3, "states": {"PENDING": 0, "RUNNING": 2, ...}, "kinds": {"RUN": 2,
 * "ONCE": 1, "SCHEDULE": 0}, "totals": {"runs": 9, "successes": 5, "failures": 2, "restarts": 6},
 * "dropped": 0}}, every state and kind present (0 when none).
 *
 * @param tasks the tasks in the registry ({@link Tasks#list()} has as many)
 * @param states how many tasks are in each state; every state is a key
 * @param kinds how many tasks are of each kind; every kind is a key
 * @param runs runs started, over the tracker's life
 * @param successes runs that ended normally, over the tracker's life
 * @param failures runs that failed, over the tracker's life
 * @param restarts runs started by a restart, over the tracker's life
 * @param dropped {@code once} names the retention has dropped from the registry so far
 */
public record TasksSummary(int tasks, Map<TaskState, Integer> states, Map<TaskKind, Integer> kinds,
    long runs, long successes, long failures, long restarts, long dropped) {

  /** Copies the maps, adding every missing state and kind with 0. */
  public TasksSummary {
    states = complete(TaskState.class, Objects.requireNonNull(states, "states"));
    kinds = complete(TaskKind.class, Objects.requireNonNull(kinds, "kinds"));
  }

  private static <E extends Enum<E>> Map<E, Integer> complete(Class<E> type, Map<E, Integer> counts) {
    EnumMap<E, Integer> all = new EnumMap<>(type);
    for (E e : type.getEnumConstants()) {
      Integer n = counts.get(e);
      all.put(e, n == null ? 0 : n);
    }
    return Collections.unmodifiableMap(all);
  }

  /** This summary as JSON; see the class comment. */
  public JsonObject toJson() {
    JsonObject s = new JsonObject();
    states.forEach((k, v) -> s.put(k.name(), v));
    JsonObject k = new JsonObject();
    kinds.forEach((kind, v) -> k.put(kind.name(), v));
    return new JsonObject().put("tasks", tasks).put("states", s).put("kinds", k)
        .put("totals", new JsonObject().put("runs", runs).put("successes", successes)
            .put("failures", failures).put("restarts", restarts))
        .put("dropped", dropped);
  }

  /** Reads what {@link #toJson()} wrote; unknown states and kinds are ignored. */
  public static TasksSummary fromJson(JsonObject json) {
    Map<TaskState, Integer> states = new EnumMap<>(TaskState.class);
    JsonObject s = json.getJsonObject("states", new JsonObject());
    for (TaskState state : TaskState.values()) {
      states.put(state, s.getInteger(state.name(), 0));
    }
    Map<TaskKind, Integer> kinds = new EnumMap<>(TaskKind.class);
    JsonObject k = json.getJsonObject("kinds", new JsonObject());
    for (TaskKind kind : TaskKind.values()) {
      kinds.put(kind, k.getInteger(kind.name(), 0));
    }
    JsonObject t = json.getJsonObject("totals", new JsonObject());
    return new TasksSummary(json.getInteger("tasks", 0), states, kinds, t.getLong("runs", 0L),
        t.getLong("successes", 0L), t.getLong("failures", 0L), t.getLong("restarts", 0L),
        json.getLong("dropped", 0L));
  }
}
