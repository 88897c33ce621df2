package dev.background;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * RunRecord is the outcome of one finished run, as kept in a task's bounded history
 * ({@link TaskStatus#history()}). Immutable.
 *
 * @param startedAt when the run started
 * @param durationMillis how long it ran
 * @param outcome {@code "success"} or {@code "failure"}
 * @param error the failure's message (or its type when it has none); {@code null} on success
 */
public record RunRecord(Instant startedAt, long durationMillis, String outcome, String error) {

  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";

  public RunRecord {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(outcome, "outcome");
  }

  public JsonObject toJson() {
    return new JsonObject().put("start", startedAt.toString()).put("durationMs", durationMillis)
        .put("outcome", outcome).put("error", error);
  }

  public static RunRecord fromJson(JsonObject json) {
    return new RunRecord(Instant.parse(json.getString("start")), json.getLong("durationMs", 0L),
        json.getString("outcome"), json.getString("error"));
  }
}
