package dev.background;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** run and once refuse a full name longer than Tasks.MAX_NAME_LENGTH, so every task can be controlled. */
@ExtendWith(VertxExtension.class)
class TasksNameLengthTest {

  private static final Backoff LONG = Backoff.fixed(Duration.ofMinutes(10));

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  @Test
  void aFullNameOfExactlyTheMaximumLengthIsAccepted() {
    String name = "n".repeat(Tasks.MAX_NAME_LENGTH);

    TaskHandle h = tasks.runAsync(name, ctx -> ctx.onCancel(), LONG, RunOption.exactName());

    assertThat(h.name()).hasSize(512);
    assertThat(tasks.status(name)).isPresent();
  }

  @Test
  void everySubmittingMethodRefusesALongerNameNamingItselfTheLimitAndTheLength() {
    String name = "n".repeat(Tasks.MAX_NAME_LENGTH + 1);

    assertThatThrownBy(() -> tasks.run(name, ctx -> { }, LONG, RunOption.exactName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.run: the full name must be at most 512 characters, was 513");
    assertThatThrownBy(() -> tasks.runAsync(name, ctx -> ctx.onCancel(), LONG, RunOption.exactName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.runAsync: the full name must be at most 512 characters, was 513");
    assertThatThrownBy(() -> tasks.once(name, ctx -> { }, RunOption.exactName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.once: the full name must be at most 512 characters, was 513");
    assertThatThrownBy(() -> tasks.onceAsync(name, ctx -> Future.succeededFuture(), RunOption.exactName()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.onceAsync: the full name must be at most 512 characters, was 513");
    assertThat(tasks.list()).isEmpty();
  }

  @Test
  void theCallerPrefixCountsTowardsTheLimit() {
    String prefix = TasksNameLengthTest.class.getName() + ".theCallerPrefixCountsTowardsTheLimit.";
    String name = "n".repeat(Tasks.MAX_NAME_LENGTH - prefix.length() + 1);

    assertThatThrownBy(() -> tasks.once(name, ctx -> { }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Tasks.once: the full name must be at most 512 characters, was 513 (\""
            + prefix.substring(0, 40));
    assertThat(tasks.list()).isEmpty();
  }
}
