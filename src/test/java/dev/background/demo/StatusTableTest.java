package dev.background.demo;

import dev.background.TaskError;
import dev.background.TaskKind;
import dev.background.TaskState;
import dev.background.TaskStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's status table. */
class StatusTableTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @Test
  void showsNameStateRunsRestartsAndNextRestart() {
    TaskStatus flaky = status("flaky-poller", TaskState.BACKING_OFF, 3, 2,
        new TaskError("java.io.IOException", "upstream returned 503", NOW), NOW.plusMillis(1800));
    TaskStatus heartbeat = status("heartbeat", TaskState.RUNNING, 1, 0, null, null);

    String[] lines = StatusTable.format(List.of(flaky, heartbeat), NOW).split("\\R");

    assertThat(lines[0]).endsWith("  2 tasks");
    assertThat(lines[1]).isEqualTo(
        "NAME          STATE        RUNS  RESTARTS  FAILS  NEXT RESTART  LAST ERROR");
    assertThat(lines[2]).isEqualTo(
        "flaky-poller  BACKING_OFF     3         2      2  in 1.8s       upstream returned 503");
    assertThat(lines[3]).isEqualTo(
        "heartbeat     RUNNING         1         0      0  -             -");
  }

  @Test
  void pausedTasksSaySo() {
    TaskStatus paused = status("p", TaskState.PAUSED, 1, 0, null, NOW.plusSeconds(90));

    assertThat(StatusTable.format(List.of(paused), NOW)).contains("paused").contains("1 task\n");
  }

  private static TaskStatus status(String name, TaskState state, long runs, long restarts,
      TaskError error, Instant nextRunAt) {
    return new TaskStatus(name, name, TaskKind.RUN, state, runs, runs - restarts, restarts, restarts,
        (int) restarts, state == TaskState.RUNNING ? 1 : 0, (int) runs, state == TaskState.PAUSED,
        NOW, NOW, error, nextRunAt, nextRunAt == null ? null : Duration.between(NOW, nextRunAt),
        null, "local", null, null);
  }
}
