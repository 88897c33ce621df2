package dev.background;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statuses written straight to bytes ({@link TaskStatus#encodeToBuffer(List)},
 * {@link TaskPage#toBuffer()}) are byte for byte the encoded {@code toJson()} trees.
 */
class StatusBytesTest {

  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678901234Z");
  private static final TaskError ERROR =
      new TaskError("java.io.IOException", "refused: \"peer\"\n\ttab \u00e9\u4e2d \u0001", AT);

  @Test
  void aListIsTheEncodedArrayOfItsStatuses() {
    List<TaskStatus> statuses = List.of(idle(), failing(), schedule(), once());

    assertThat(TaskStatus.encodeToBuffer(statuses).toString()).isEqualTo(tree(statuses).toString());
  }

  @Test
  void anEmptyListIsAnEmptyArray() {
    assertThat(TaskStatus.encodeToBuffer(List.of()).toString()).isEqualTo("[]");
  }

  @Test
  void aListLongerThanTheGeneratorsBufferIsWrittenWhole() {
    List<TaskStatus> statuses = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      statuses.add(i % 2 == 0 ? idle() : schedule());
    }

    Buffer bytes = TaskStatus.encodeToBuffer(statuses);

    assertThat(bytes.length()).isGreaterThan(100 * 8192);
    assertThat(bytes).isEqualTo(tree(statuses));
  }

  @Test
  void aPageIsItsEncodedJson() {
    TaskPage middle = new TaskPage(List.of(failing(), schedule()), "a.b.z");
    TaskPage last = new TaskPage(List.of(idle()), null);

    assertThat(middle.toBuffer()).isEqualTo(middle.toJson().toBuffer());
    assertThat(last.toBuffer()).isEqualTo(last.toJson().toBuffer());
  }

  @Test
  void theBytesReadBackAsTheStatuses() {
    List<TaskStatus> statuses = List.of(idle(), failing(), schedule(), once());

    JsonArray read = new JsonArray(TaskStatus.encodeToBuffer(statuses));

    for (int i = 0; i < statuses.size(); i++) {
      assertThat(TaskStatus.fromJson(read.getJsonObject(i))).isEqualTo(statuses.get(i));
    }
  }

  private static Buffer tree(List<TaskStatus> statuses) {
    JsonArray array = new JsonArray();
    statuses.forEach(s -> array.add(s.toJson()));
    return array.toBuffer();
  }

  private static TaskStatus idle() {
    return new TaskStatus("com.acme.Main.start.poller", "poller", TaskKind.RUN, TaskState.RUNNING,
        1, 0, 0, 0, 0, 1, 1, false, AT, null, null, null, null, Map.of(), "local", null, List.of());
  }

  private static TaskStatus failing() {
    return new TaskStatus("a.b.t", "t", TaskKind.RUN, TaskState.BACKING_OFF, 3, 1, 2, 2, 2, 0, 3,
        true, AT, AT.plusSeconds(1), ERROR, AT.plusSeconds(4), Duration.ofMillis(1500),
        Map.of("team", "x", "env", "prod"), "node-1", "node-2",
        List.of(new RunRecord(AT, 12, RunRecord.Outcome.FAILURE, ERROR),
            new RunRecord(AT, 7, RunRecord.Outcome.SUCCESS, null)));
  }

  private static TaskStatus schedule() {
    Schedule compact = Schedule.cron("0 3 * * *").inZone(ZoneId.of("Europe/Paris"))
        .withJitter(Duration.ofSeconds(5)).withOverlap(Overlap.QUEUE);
    return new TaskStatus("a.b.compact", "compact", TaskKind.SCHEDULE, TaskState.SCHEDULED,
        4, 4, 0, 0, 0, 0, 0, false, AT, AT, null, null, null, Map.of(), "local", null, List.of(),
        compact, AT.plusSeconds(86_400), AT, 4, 1, 2);
  }

  private static TaskStatus once() {
    return new TaskStatus("x", null, TaskKind.ONCE, TaskState.COMPLETED, 2, 2, 0, 0, 0, 0, 1,
        false, Instant.EPOCH, Instant.ofEpochSecond(-1, 5), null, null, Duration.ZERO, Map.of(),
        null, null, List.of());
  }
}
