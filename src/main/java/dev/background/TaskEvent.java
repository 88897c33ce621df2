package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * TaskEvent is one lifecycle transition of a task, delivered to the listeners of
 * {@link Tasks#addListener} in the order the transitions happened for that task. Immutable.
 *
 * @param task the task's full name; {@code "*"} for {@link Type#CLOSED}, which concerns the tracker
 * @param type what happened
 * @param at when it happened
 * @param attempt the run's position in its backoff sequence (for RESTART_SCHEDULED: the coming run's)
 * @param delayMillis for RESTART_SCHEDULED, the chosen delay; otherwise -1
 * @param error for FAILED and GAVE_UP, the failure; otherwise {@code null}
 * @param slot for a schedule's FIRED, MISSED and SKIPPED, the slot concerned (for MISSED, the
 *     latest of the slots missed together); for its STARTED, the slot the run is for; otherwise
 *     {@code null}
 */
public record TaskEvent(String task, Type type, Instant at, int attempt, long delayMillis,
    TaskError error, Instant slot) {

  /** The kinds of transition, with their wire names ({@code "restart-scheduled"}). */
  public enum Type {
    /** A run started. */
    STARTED("started"),
    /** A run ended normally. */
    SUCCEEDED("succeeded"),
    /** A run failed: it threw, failed its future, or exceeded its run timeout. */
    FAILED("failed"),
    /** A restart was scheduled after {@code delayMillis}. */
    RESTART_SCHEDULED("restart-scheduled"),
    /** The task stopped restarting: {@code maxAttempts} or {@code maxRestarts} was reached. */
    GAVE_UP("gave-up"),
    /** The task was cancelled, by its handle or by the tracker's close. */
    CANCELLED("cancelled"),
    /** A pause took effect. */
    PAUSED("paused"),
    /** A pause ended. */
    RESUMED("resumed"),
    /** The tracker closed; the last event it delivers. */
    CLOSED("closed"),
    /** A schedule's slot came due and its run starts (a {@code STARTED} follows). */
    FIRED("fired"),
    /**
     * Slots of a schedule came due and will not run: they fell in a pause, a stall or a failover,
     * and the {@link Misfire} policy or the starting deadline dropped them.
     */
    MISSED("missed"),
    /** A schedule's slot came due while its previous run was still running and was not run. */
    SKIPPED("skipped"),
    /**
     * A singleton holder could no longer confirm its lock and stopped its run: it stands by
     * until it holds the lock again.
     */
    FENCED("fenced");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    /** The name used in JSON. */
    public String wireName() {
      return wireName;
    }

    /** The type with this wire name. */
    public static Type fromWireName(String name) {
      for (Type t : values()) {
        if (t.wireName.equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException("event: unknown type, was " + name);
    }
  }

  /** Checks that the task, the type and the time are set. */
  public TaskEvent {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
  }

  /**
   * An event about no schedule slot.
   *
   * @param task the task's full name
   * @param type what happened
   * @param at when it happened
   * @param attempt the run's position in its backoff sequence
   * @param delayMillis for RESTART_SCHEDULED, the chosen delay; otherwise -1
   * @param error for FAILED and GAVE_UP, the failure; otherwise {@code null}
   */
  public TaskEvent(String task, Type type, Instant at, int attempt, long delayMillis,
      TaskError error) {
    this(task, type, at, attempt, delayMillis, error, null);
  }

  /**
   * This event as JSON: {@code task}, {@code event} (the wire name), {@code at} (ISO-8601) and
   * {@code attempt}; plus {@code delayMs} for restart-scheduled and {@code error} ({@link TaskError#toJson()}:
   * type, message, at) for failed and gave-up, and {@code slot} (ISO-8601) when the event concerns
   * a schedule's slot.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("task", task)
        .put("event", type.wireName())
        .put("at", at.toString())
        .put("attempt", attempt);
    if (delayMillis >= 0) {
      json.put("delayMs", delayMillis);
    }
    if (error != null) {
      json.put("error", error.toJson());
    }
    if (slot != null) {
      json.put("slot", slot.toString());
    }
    return json;
  }

  /**
   * Reads what {@link #toJson()} wrote.
   *
   * @throws IllegalArgumentException for an unknown event type
   */
  public static TaskEvent fromJson(JsonObject json) {
    JsonObject error = json.getJsonObject("error");
    return new TaskEvent(json.getString("task"), Type.fromWireName(json.getString("event")),
        Instant.parse(json.getString("at")), json.getInteger("attempt", 0),
        json.getLong("delayMs", -1L), error == null ? null : TaskError.fromJson(error),
        json.getString("slot") == null ? null : Instant.parse(json.getString("slot")));
  }
}
