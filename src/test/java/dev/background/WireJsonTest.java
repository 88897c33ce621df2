package dev.background;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire JSON of the value types: units in names, one error shape, and reading back what is written. */
class WireJsonTest {

  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");
  private static final TaskError ERROR = new TaskError("java.io.IOException", "refused", AT);

  @Test
  void statusNamesTheCurrentDelayInMilliseconds() {
    JsonObject json = status(Duration.ofSeconds(3)).toJson();

    assertThat(json.getLong("currentDelayMs")).isEqualTo(3000L);
    assertThat(json.containsKey("currentDelay")).isFalse();
  }

  @Test
  void statusReadsBackWhatItWrote() {
    TaskStatus status = status(Duration.ofMillis(1500));

    assertThat(TaskStatus.fromJson(status.toJson())).isEqualTo(status);
  }

  @Test
  void statusEventAndHistoryCarryTheSameErrorShape() {
    JsonObject expected = ERROR.toJson();
    TaskEvent failed = new TaskEvent("t", TaskEvent.Type.FAILED, AT, 2, -1, ERROR);
    RunRecord run = new RunRecord(AT, 12, RunRecord.Outcome.FAILURE, ERROR);

    assertThat(status(null).toJson().getJsonObject("lastError")).isEqualTo(expected);
    assertThat(failed.toJson().getJsonObject("error")).isEqualTo(expected);
    assertThat(run.toJson().getJsonObject("error")).isEqualTo(expected);
  }

  @Test
  void eventReadsBackWhatItWrote() {
    TaskEvent failed = new TaskEvent("t", TaskEvent.Type.FAILED, AT, 2, -1, ERROR);
    TaskEvent scheduled = new TaskEvent("t", TaskEvent.Type.RESTART_SCHEDULED, AT, 3, 400, null);

    assertThat(TaskEvent.fromJson(failed.toJson())).isEqualTo(failed);
    assertThat(TaskEvent.fromJson(scheduled.toJson())).isEqualTo(scheduled);
    assertThat(scheduled.toJson().getLong("delayMs")).isEqualTo(400L);
  }

  @Test
  void eventOfUnknownTypeIsRefusedNamingIt() {
    JsonObject json = new TaskEvent("t", TaskEvent.Type.STARTED, AT, 1, -1, null).toJson()
        .put("event", "exploded");

    assertThatThrownBy(() -> TaskEvent.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exploded");
  }

  @Test
  void runOutcomeIsWrittenWithItsWireName() {
    JsonObject json = new RunRecord(AT, 5, RunRecord.Outcome.SUCCESS, null).toJson();

    assertThat(json.getString("outcome")).isEqualTo("success");
    assertThat(json.getString("startedAt")).isEqualTo(AT.toString());
    assertThat(json.getLong("durationMs")).isEqualTo(5L);
    assertThat(json.containsKey("error")).isFalse();
  }

  @Test
  void runRecordReadsBackWhatItWrote() {
    RunRecord run = new RunRecord(AT, 12, RunRecord.Outcome.FAILURE, ERROR);

    assertThat(RunRecord.fromJson(run.toJson())).isEqualTo(run);
  }

  @Test
  void unknownOutcomeIsRefusedNamingIt() {
    assertThatThrownBy(() -> RunRecord.Outcome.fromWireName("meh"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"meh\"");
  }

  private static TaskStatus status(Duration delay) {
    return new TaskStatus("a.b.t", "t", TaskKind.RUN, TaskState.BACKING_OFF, 3, 1, 2, 2, 2, 0, 3,
        false, AT, AT.plusSeconds(1), ERROR, AT.plusSeconds(4), delay, Map.of("team", "x"), "local",
        null, List.of(new RunRecord(AT, 12, RunRecord.Outcome.FAILURE, ERROR),
            new RunRecord(AT, 7, RunRecord.Outcome.SUCCESS, null)));
  }
}
