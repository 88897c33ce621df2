package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * RunRecord is the outcome of one finished run, as kept in a task's bounded history
 * ({@link TaskStatus#history()}). Immutable.
 *
 * <p>JSON: {@code {"startedAt": "...", "durationMs": 12, "outcome": "failure", "error": {...}}},
 * where {@code error} is {@link TaskError#toJson()} (absent on success).
 *
 * @param startedAt when the run started
 * @param durationMillis how long it ran, in milliseconds
 * @param outcome how it ended
 * @param error the failure, or {@code null} on success
 */
public record RunRecord(Instant startedAt, long durationMillis, Outcome outcome, TaskError error) {

  /** {@link Outcome#SUCCESS}, kept as a constant of this record for readable comparisons. */
  public static final Outcome SUCCESS = Outcome.SUCCESS;
  /** {@link Outcome#FAILURE}, kept as a constant of this record for readable comparisons. */
  public static final Outcome FAILURE = Outcome.FAILURE;

  /** How a run ended, with its wire name. */
  public enum Outcome {
    /** The run returned normally (or its future succeeded). */
    SUCCESS("success"),
    /** The run threw, failed its future, or exceeded its run timeout. */
    FAILURE("failure");

    private final String wireName;

    Outcome(String wireName) {
      this.wireName = wireName;
    }

    /** The name used in JSON and in metric tags: {@code "success"} or {@code "failure"}. */
    public String wireName() {
      return wireName;
    }

    /**
     * The outcome with this wire name.
     *
     * @throws IllegalArgumentException naming the value for anything else
     */
    public static Outcome fromWireName(String name) {
      for (Outcome o : values()) {
        if (o.wireName.equals(name)) {
          return o;
        }
      }
      throw new IllegalArgumentException("outcome: must be \"success\" or \"failure\", was "
          + JsonConfig.describe(name));
    }
  }

  /** Checks that the start and the outcome are set, and that only a failure has an error. */
  public RunRecord {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** This record as JSON; see the class comment. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("startedAt", startedAt.toString())
        .put("durationMs", durationMillis).put("outcome", outcome.wireName());
    if (error != null) {
      json.put("error", error.toJson());
    }
    return json;
  }

  /** Reads what {@link #toJson()} wrote. */
  public static RunRecord fromJson(JsonObject json) {
    JsonObject error = json.getJsonObject("error");
    return new RunRecord(Instant.parse(json.getString("startedAt")), json.getLong("durationMs", 0L),
        Outcome.fromWireName(json.getString("outcome")), error == null ? null : TaskError.fromJson(error));
  }
}
