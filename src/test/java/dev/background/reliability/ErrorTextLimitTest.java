package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskError;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Error text is bounded where it travels: status (last error and history), events and JSON carry
 * at most 4096 characters of a failure's message, marked as cut with the original length.
 */
@ExtendWith(VertxExtension.class)
class ErrorTextLimitTest {

  private static final int MB = 1 << 20;

  /** A distinct message of exactly 1 MB for each attempt. */
  private static String megabyte(int attempt) {
    String head = "attempt " + attempt + ": ";
    return head + "x".repeat(MB - head.length());
  }

  @Test
  void sixtyFailuresOfOneMegabyteKeepTheStatusSmall(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setHistorySize(50));
    List<TaskEvent> failed = new CopyOnWriteArrayList<>();
    tasks.addListener(e -> {
      if (e.type() == TaskEvent.Type.FAILED) {
        failed.add(e);
      }
    });
    Backoff sixtyTries = Backoff.builder().initialInterval(Duration.ofMillis(1)).randomizationFactor(0)
        .multiplier(1).maxAttempts(60).build();
    TaskHandle h = tasks.run("verbose", ctx -> {
      throw new IllegalStateException(megabyte(ctx.attempt()));
    }, sixtyTries, RunOption.exactName());
    h.completion().await(30, TimeUnit.SECONDS);

    TaskStatus s = h.status();
    assertThat(s.state()).isEqualTo(TaskState.GAVE_UP);
    assertThat(s.failures()).isEqualTo(60);
    assertThat(s.toJson().encode().length()).as("status JSON length").isLessThan(MB);
    assertThat(s.lastError().message()).hasSizeLessThanOrEqualTo(TaskError.MAX_MESSAGE_LENGTH)
        .startsWith("attempt 60: xxx").endsWith("… (cut, 1048576 characters)");
    assertThat(s.history()).hasSize(50).allSatisfy(r -> assertThat(r.error().message())
        .hasSizeLessThanOrEqualTo(TaskError.MAX_MESSAGE_LENGTH));
    assertThat(failed).hasSize(60).allSatisfy(e -> assertThat(e.error().message())
        .hasSizeLessThanOrEqualTo(TaskError.MAX_MESSAGE_LENGTH).endsWith("(cut, 1048576 characters)"));
    tasks.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aMessageWithinTheLimitIsKeptWhole() {
    String limit = "y".repeat(TaskError.MAX_MESSAGE_LENGTH);

    TaskError e = TaskError.of(new IllegalStateException(limit), Instant.EPOCH);

    assertThat(e.message()).isEqualTo(limit);
  }

  @Test
  void aCutMessageReadsBackUnchangedFromJson() {
    TaskError cut = TaskError.of(new IllegalStateException(megabyte(1)), Instant.EPOCH);

    assertThat(TaskError.fromJson(cut.toJson())).isEqualTo(cut);
    assertThat(new TaskError(cut.type(), cut.message(), cut.at())).isEqualTo(cut);
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00";

    for (int shift = 0; shift < 2; shift++) {
      String m = "z".repeat(shift) + emoji.repeat(MB / 2);
      String kept = TaskError.of(new IllegalStateException(m), Instant.EPOCH).message();
      String head = kept.substring(0, kept.indexOf("… (cut, "));
      assertThat(Character.isHighSurrogate(head.charAt(head.length() - 1))).isFalse();
    }
  }
}
