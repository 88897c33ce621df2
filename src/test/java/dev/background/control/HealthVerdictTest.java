package dev.background.control;

import dev.background.TaskError;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The one health rule: only critical tasks in GAVE_UP or FAILED (or a closed tracker) are DOWN. */
class HealthVerdictTest {

  private static TaskStatus status(String name, TaskKind kind, TaskState state, boolean critical) {
    TaskError error = state == TaskState.GAVE_UP || state == TaskState.FAILED
        ? new TaskError("java.io.IOException", "unreachable", Instant.EPOCH) : null;
    return new TaskStatus(name, name, kind, state, 3, 0, 3, 2, 3, 0, 3, false, null, null, error,
        null, null, null, "local", null, null, null, null, null, 0, 0, 0, critical);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        arguments("critical run task gave up", TaskKind.RUN, TaskState.GAVE_UP, true, false),
        arguments("critical run task failed (permanent failure)", TaskKind.RUN, TaskState.FAILED,
            true, false),
        arguments("critical once task failed", TaskKind.ONCE, TaskState.FAILED, true, false),
        arguments("critical schedule gave up", TaskKind.SCHEDULE, TaskState.GAVE_UP, true, false),
        arguments("run task that is not critical gave up", TaskKind.RUN, TaskState.GAVE_UP, false,
            true),
        arguments("once task that is not critical failed", TaskKind.ONCE, TaskState.FAILED, false,
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aTaskThatEndedFailedIsAReasonWhenCriticalElseAWarning(String what, TaskKind kind,
      TaskState state, boolean critical, boolean up) {
    HealthVerdict v = HealthVerdict.of(List.of(status("a", kind, TaskState.RUNNING, true),
        status("b", kind, state, critical)), false);

    assertThat(v.isUp()).isEqualTo(up);
    List<String> where = up ? v.warnings() : v.reasons();
    List<String> other = up ? v.reasons() : v.warnings();
    assertThat(where).singleElement().asString().contains("task b",
        state == TaskState.GAVE_UP ? "gave up after 3 consecutive failures" : "failed",
        "java.io.IOException: unreachable");
    assertThat(other).isEmpty();
    assertThat(state == TaskState.GAVE_UP ? v.gaveUp() : v.failed()).containsExactly("b");
  }

  @Test
  void aWarningSaysTheTaskIsNotCritical() {
    HealthVerdict v = HealthVerdict.of(List.of(status("b", TaskKind.ONCE, TaskState.FAILED,
        false)), false);

    assertThat(v.warnings()).containsExactly(
        "task b (not critical) failed; last error: java.io.IOException: unreachable");
  }

  @Test
  void cancelledAndCompletedTasksAreNeitherReasonsNorWarnings() {
    HealthVerdict v = HealthVerdict.of(List.of(
        status("a", TaskKind.RUN, TaskState.CANCELLED, true),
        status("b", TaskKind.RUN, TaskState.COMPLETED, true),
        status("c", TaskKind.RUN, TaskState.BACKING_OFF, true)), false);

    assertThat(v.isUp()).isTrue();
    assertThat(v.reasons()).isEmpty();
    assertThat(v.warnings()).isEmpty();
  }

  @Test
  void aClosedTrackerIsDown() {
    HealthVerdict v = HealthVerdict.of(List.of(), true);

    assertThat(v.isUp()).isFalse();
    assertThat(v.reasons()).containsExactly("the tracker is closed");
  }

  @Test
  void theJsonKeepsTheBodyOfHealthAndAddsFailedAndWarnings() {
    JsonObject json = HealthVerdict.of(List.of(
        status("a", TaskKind.RUN, TaskState.GAVE_UP, true),
        status("b", TaskKind.ONCE, TaskState.FAILED, false)), false).toJson();

    assertThat(json.fieldNames()).containsExactlyInAnyOrder("status", "closed", "tasks", "states",
        "gaveUp", "failed", "reasons", "warnings");
    assertThat(json.getString("status")).isEqualTo("DOWN");
    assertThat(json.getInteger("tasks")).isEqualTo(2);
    assertThat(json.getJsonObject("states").getInteger("GAVE_UP")).isEqualTo(1);
    assertThat(json.getJsonObject("states").getInteger("FAILED")).isEqualTo(1);
    assertThat(json.getJsonObject("states").fieldNames()).hasSize(TaskState.values().length);
    assertThat(json.getJsonArray("gaveUp").getList()).containsExactly("a");
    assertThat(json.getJsonArray("failed").getList()).containsExactly("b");
    assertThat(json.getJsonArray("reasons")).hasSize(1);
    assertThat(json.getJsonArray("warnings")).hasSize(1);
  }
}
