package dev.background;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * TaskStatus is a snapshot of one task (or, for {@code once}, of every execution under one name).
 * Immutable; the counters of a snapshot are consistent with each other:
 * {@code runs == successes + failures + running}.
 *
 * @param name full name
 * @param shortName the name given to {@code run}/{@code once}, without the caller prefix
 * @param kind RUN or ONCE
 * @param state where the task is in its life
 * @param runs runs started
 * @param successes runs that ended normally
 * @param failures runs that failed (threw, failed their future, or exceeded runTimeout)
 * @param restarts runs started by a restart (runs after the first)
 * @param consecutiveFailures failures since the last success
 * @param running runs in progress (0 or 1 for a RUN task)
 * @param attempt the position of the current or last run in its backoff sequence (0 before any)
 * @param paused whether a pause is in effect (the state stays RUNNING until the run ends)
 * @param lastStartedAt when the last run started, or {@code null}
 * @param lastEndedAt when the last run ended, or {@code null}
 * @param lastError the last failure, or {@code null}
 * @param nextRunAt when the next run is due (while PENDING, BACKING_OFF or PAUSED), or {@code null}
 * @param currentDelay the delay chosen for the pending restart, or {@code null}
 * @param tags metric tags given with {@link RunOption#tags(String...)}
 * @param node the id of the node whose tracker reports this status ({@link TasksOptions#getNodeId()})
 * @param holder for a singleton, the node that holds it (runs it), when known; otherwise {@code null}
 * @param history the outcomes of the last runs, oldest first (at most
 *     {@link TasksOptions#getHistorySize()})
 * @param schedule a schedule's {@link Schedule}; {@code null} for other kinds
 * @param nextFireAt a schedule's next fire (its slot plus the jitter drawn for it), or
 *     {@code null} when none is planned (paused, standing by, running an {@code every} schedule,
 *     finished)
 * @param lastFireAt the slot of a schedule's last fire, or {@code null}
 * @param fires a schedule's fires: the slots (and triggers) that started a run
 * @param missedFires a schedule's slots that came due and did not run (see {@link Misfire})
 * @param skippedFires a schedule's slots that came due while a run was running and did not run
 *     (see {@link Overlap})
 * @param critical whether the task's failure ({@code GAVE_UP}, {@code FAILED}) makes health DOWN
 *     ({@link RunOption#critical(boolean)}; by default run and schedule tasks are critical, once
 *     tasks are not)
 */
public record TaskStatus(
    String name,
    String shortName,
    TaskKind kind,
    TaskState state,
    long runs,
    long successes,
    long failures,
    long restarts,
    int consecutiveFailures,
    int running,
    int attempt,
    boolean paused,
    Instant lastStartedAt,
    Instant lastEndedAt,
    TaskError lastError,
    Instant nextRunAt,
    Duration currentDelay,
    Map<String, String> tags,
    String node,
    String holder,
    List<RunRecord> history,
    Schedule schedule,
    Instant nextFireAt,
    Instant lastFireAt,
    long fires,
    long missedFires,
    long skippedFires,
    boolean critical) {

  /** Checks the required components and copies the tags and the history. */
  public TaskStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /**
   * A status whose {@code critical} is the default of its kind: {@code true} for run and schedule
   * tasks, {@code false} for once tasks.
   *
   * @param name full name
   * @param shortName the name without the caller prefix
   * @param kind RUN, ONCE or SCHEDULE
   * @param state where the task is in its life
   * @param runs runs started
   * @param successes runs that ended normally
   * @param failures runs that failed
   * @param restarts runs started by a restart
   * @param consecutiveFailures failures since the last success
   * @param running runs in progress
   * @param attempt the position of the current or last run in its backoff sequence
   * @param paused whether a pause is in effect
   * @param lastStartedAt when the last run started, or {@code null}
   * @param lastEndedAt when the last run ended, or {@code null}
   * @param lastError the last failure, or {@code null}
   * @param nextRunAt when the next run is due, or {@code null}
   * @param currentDelay the delay chosen for the pending restart, or {@code null}
   * @param tags metric tags
   * @param node the id of the reporting node
   * @param holder for a singleton, the node that holds it, or {@code null}
   * @param history the outcomes of the last runs, oldest first
   * @param schedule a schedule's {@link Schedule}, or {@code null}
   * @param nextFireAt a schedule's next fire, or {@code null}
   * @param lastFireAt the slot of a schedule's last fire, or {@code null}
   * @param fires a schedule's fires
   * @param missedFires a schedule's missed slots
   * @param skippedFires a schedule's skipped slots
   */
  public TaskStatus(String name, String shortName, TaskKind kind, TaskState state, long runs,
      long successes, long failures, long restarts, int consecutiveFailures, int running,
      int attempt, boolean paused, Instant lastStartedAt, Instant lastEndedAt, TaskError lastError,
      Instant nextRunAt, Duration currentDelay, Map<String, String> tags, String node,
      String holder, List<RunRecord> history, Schedule schedule, Instant nextFireAt,
      Instant lastFireAt, long fires, long missedFires, long skippedFires) {
    this(name, shortName, kind, state, runs, successes, failures, restarts, consecutiveFailures,
        running, attempt, paused, lastStartedAt, lastEndedAt, lastError, nextRunAt, currentDelay,
        tags, node, holder, history, schedule, nextFireAt, lastFireAt, fires, missedFires,
        skippedFires, defaultCritical(kind));
  }

  /**
   * The status of a task that is not a schedule: the schedule components are {@code null} and 0,
   * {@code critical} the default of its kind.
   *
   * @param name full name
   * @param shortName the name without the caller prefix
   * @param kind RUN or ONCE
   * @param state where the task is in its life
   * @param runs runs started
   * @param successes runs that ended normally
   * @param failures runs that failed
   * @param restarts runs started by a restart
   * @param consecutiveFailures failures since the last success
   * @param running runs in progress
   * @param attempt the position of the current or last run in its backoff sequence
   * @param paused whether a pause is in effect
   * @param lastStartedAt when the last run started, or {@code null}
   * @param lastEndedAt when the last run ended, or {@code null}
   * @param lastError the last failure, or {@code null}
   * @param nextRunAt when the next run is due, or {@code null}
   * @param currentDelay the delay chosen for the pending restart, or {@code null}
   * @param tags metric tags
   * @param node the id of the reporting node
   * @param holder for a singleton, the node that holds it, or {@code null}
   * @param history the outcomes of the last runs, oldest first
   */
  public TaskStatus(String name, String shortName, TaskKind kind, TaskState state, long runs,
      long successes, long failures, long restarts, int consecutiveFailures, int running,
      int attempt, boolean paused, Instant lastStartedAt, Instant lastEndedAt, TaskError lastError,
      Instant nextRunAt, Duration currentDelay, Map<String, String> tags, String node,
      String holder, List<RunRecord> history) {
    this(name, shortName, kind, state, runs, successes, failures, restarts, consecutiveFailures,
        running, attempt, paused, lastStartedAt, lastEndedAt, lastError, nextRunAt, currentDelay,
        tags, node, holder, history, null, null, null, 0, 0, 0, defaultCritical(kind));
  }

  /**
   * Whether a task of {@code kind} is critical when {@link RunOption#critical(boolean)} does not
   * say: run and schedule tasks are, once tasks are not.
   *
   * @param kind the task's kind
   * @return {@code kind != ONCE}
   */
  public static boolean defaultCritical(TaskKind kind) {
    return kind != TaskKind.ONCE;
  }

  /** A copy of this status reported by {@code node}. */
  public TaskStatus withNode(String node) {
    return new TaskStatus(name, shortName, kind, state, runs, successes, failures, restarts,
        consecutiveFailures, running, attempt, paused, lastStartedAt, lastEndedAt, lastError,
        nextRunAt, currentDelay, tags, node, holder, history, schedule, nextFireAt, lastFireAt,
        fires, missedFires, skippedFires, critical);
  }

  /**
   * This status as JSON. Instants are ISO-8601 strings, {@code currentDelayMs} is the current delay in milliseconds, {@code lastError} and each history entry's {@code error} are {@link TaskError#toJson()};
   * absent values are JSON {@code null}. A schedule adds {@code schedule} ({@link Schedule#toJson()}
   * plus its {@code description}), {@code nextFireAt}, {@code lastFireAt}, {@code fires},
   * {@code missedFires} and {@code skippedFires}. {@code critical} is always there.
   */
  public JsonObject toJson() {
    // Sized for every key of a schedule's status: no rehash while it is filled.
    JsonObject json = new JsonObject(new LinkedHashMap<>(48));
    try {
      writeFields(JsonFields.into(json));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a JsonObject being filled does not fail
    }
    return json;
  }

  /**
   * The JSON array of {@code statuses}, each as {@link #toJson()}, in UTF-8: what
   * {@code new JsonArray(statuses.stream().map(TaskStatus::toJson).toList()).toBuffer()} gives,
   * written straight to bytes without the {@code JsonObject} trees (for 100,000 statuses, a few
   * times faster and with a fraction of the garbage). {@code GET /tasks} answers with it.
   *
   * @param statuses the statuses, in the order to write them
   * @return the bytes of the array
   */
  public static Buffer encodeToBuffer(List<TaskStatus> statuses) {
    return JsonBytes.array(statuses);
  }

  /** The layout of {@link #toJson()}, written once for both the tree and the streamed bytes. */
  void writeFields(JsonFields out) throws IOException {
    out.put("name", name);
    out.put("shortName", shortName);
    out.put("kind", kind.name());
    out.put("state", state.name());
    out.put("runs", runs);
    out.put("successes", successes);
    out.put("failures", failures);
    out.put("restarts", restarts);
    out.put("consecutiveFailures", consecutiveFailures);
    out.put("running", running);
    out.put("attempt", attempt);
    out.put("paused", paused);
    out.put("lastStartedAt", text(lastStartedAt));
    out.put("lastEndedAt", text(lastEndedAt));
    out.put("lastError", lastError == null ? null : lastError.toJson());
    out.put("nextRunAt", text(nextRunAt));
    out.put("currentDelayMs",
        currentDelay == null ? null : (Object) Durations.toMillis(currentDelay));
    JsonObject t = new JsonObject();
    if (!tags.isEmpty()) {
      new TreeMap<>(tags).forEach(t::put);
    }
    JsonArray h = new JsonArray(new ArrayList<>(history.size()));
    for (RunRecord r : history) {
      h.add(r.toJson());
    }
    out.put("tags", t);
    out.put("node", node);
    out.put("holder", holder);
    out.put("history", h);
    out.put("critical", critical);
    if (schedule != null) {
      out.put("schedule", schedule.toJson().put("description", schedule.describe()));
      out.put("nextFireAt", text(nextFireAt));
      out.put("lastFireAt", text(lastFireAt));
      out.put("fires", fires);
      out.put("missedFires", missedFires);
      out.put("skippedFires", skippedFires);
    }
  }

  /**
   * Reads what {@link #toJson()} wrote; without {@code critical} (an older writer), the default of
   * the kind.
   */
  public static TaskStatus fromJson(JsonObject json) {
    TaskKind kind = TaskKind.valueOf(json.getString("kind"));
    JsonObject error = json.getJsonObject("lastError");
    Long delay = json.getLong("currentDelayMs");
    Map<String, String> tags = new TreeMap<>();
    JsonObject t = json.getJsonObject("tags");
    if (t != null) {
      t.forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return new TaskStatus(
        json.getString("name"),
        json.getString("shortName"),
        kind,
        TaskState.valueOf(json.getString("state")),
        json.getLong("runs", 0L),
        json.getLong("successes", 0L),
        json.getLong("failures", 0L),
        json.getLong("restarts", 0L),
        json.getInteger("consecutiveFailures", 0),
        json.getInteger("running", 0),
        json.getInteger("attempt", 0),
        json.getBoolean("paused", false),
        instant(json.getString("lastStartedAt")),
        instant(json.getString("lastEndedAt")),
        error == null ? null : TaskError.fromJson(error),
        instant(json.getString("nextRunAt")),
        delay == null ? null : Duration.ofMillis(delay),
        tags,
        json.getString("node"),
        json.getString("holder"),
        history(json.getJsonArray("history")),
        schedule(json.getJsonObject("schedule")),
        instant(json.getString("nextFireAt")),
        instant(json.getString("lastFireAt")),
        json.getLong("fires", 0L),
        json.getLong("missedFires", 0L),
        json.getLong("skippedFires", 0L),
        json.getBoolean("critical", defaultCritical(kind)));
  }

  /** The schedule of {@link #toJson()}: its JSON without the description, or null. */
  private static Schedule schedule(JsonObject json) {
    if (json == null) {
      return null;
    }
    JsonObject copy = json.copy();
    copy.remove("description");
    return Schedule.fromJson(copy);
  }

  private static List<RunRecord> history(JsonArray array) {
    List<RunRecord> records = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        records.add(RunRecord.fromJson(array.getJsonObject(i)));
      }
    }
    return records;
  }

  /**
   * {@code i.toString()} (ISO-8601, the fraction in groups of 3 digits as needed), written by hand
   * for the years 1970 to 9999: {@code Instant.toString} goes through a {@code DateTimeFormatter}
   * and was a sixth of the time of a list of 100,000 statuses as JSON.
   */
  static String text(Instant i) {
    if (i == null) {
      return null;
    }
    long seconds = i.getEpochSecond();
    if (seconds < 0 || seconds >= 253_402_300_800L) {
      return i.toString();
    }
    int nanos = i.getNano();
    long days = seconds / 86_400;
    int secondOfDay = (int) (seconds % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
    long z = days + 719_468;
    long era = z / 146_097;
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    char[] c = new char[30];
    int p = 0;
    p = digits(c, p, year, 4);
    c[p++] = '-';
    p = digits(c, p, month, 2);
    c[p++] = '-';
    p = digits(c, p, day, 2);
    c[p++] = 'T';
    p = digits(c, p, secondOfDay / 3600, 2);
    c[p++] = ':';
    p = digits(c, p, secondOfDay / 60 % 60, 2);
    c[p++] = ':';
    p = digits(c, p, secondOfDay % 60, 2);
    if (nanos != 0) {
      c[p++] = '.';
      if (nanos % 1_000_000 == 0) {
        p = digits(c, p, nanos / 1_000_000, 3);
      } else if (nanos % 1000 == 0) {
        p = digits(c, p, nanos / 1000, 6);
      } else {
        p = digits(c, p, nanos, 9);
      }
    }
    c[p++] = 'Z';
    return new String(c, 0, p);
  }

  private static int digits(char[] c, int p, int value, int width) {
    for (int k = p + width - 1; k >= p; k--) {
      c[k] = (char) ('0' + value % 10);
      value /= 10;
    }
    return p + width;
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
