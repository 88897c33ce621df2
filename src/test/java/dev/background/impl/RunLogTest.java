package dev.background.impl;

import dev.background.Backoff;
import dev.background.PermanentFailure;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What is logged of a task that fails again and again: the stack on the first failure and after
 * a change of error, one line per repeat, giving up at ERROR with the stack; and the task's own
 * level for its failures ({@link RunOption#logLevel(String)}).
 */
@ExtendWith(VertxExtension.class)
class RunLogTest {

  /** Five consecutive failures give up; restarts wait 1 ms. */
  private static final Backoff FIVE_TRIES = Backoff.fixed(Duration.ofMillis(1)).toBuilder()
      .maxAttempts(5).build();

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx);
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  private static void down() {
    throw new IllegalStateException("database down");
  }

  /**
   * The lines of {@code task} once there are {@code count}: runs that end close together (1 ms
   * apart here) may print their lines after the task has finished, and out of order.
   */
  private static List<String> lines(LogCapture log, String task, int count) {
    await().atMost(WAIT).until(() -> log.linesOf(task).size() >= count);
    return log.linesOf(task);
  }

  /** The one line of {@code lines} that contains {@code text}. */
  private static String one(List<String> lines, String text) {
    List<String> found = lines.stream().filter(l -> l.contains(text)).toList();
    assertThat(found).as("lines with \"%s\" in %s", text, lines).hasSize(1);
    return found.get(0);
  }

  @Test
  void aRepeatedFailureHasItsStackOnceThenOneLinePerRepeatAndGivingUpHasItsStack() {
    List<String> lines;
    int stacks;
    try (LogCapture log = LogCapture.at(LogCapture.WARN)) {
      tasks.run("poller", ctx -> down(), FIVE_TRIES, RunOption.exactName()).completion().await();
      lines = lines(log, "poller", 5);
      stacks = log.stacks();
    }

    assertThat(lines).hasSize(5);
    assertThat(one(lines, "poller: failed (attempt 1); restarting in 1 ms")).contains("WARN");
    for (int n = 2; n <= 4; n++) {
      assertThat(one(lines, "poller: failed again (x" + n + ", same error); restarting in 1 ms "
          + "[java.lang.IllegalStateException: database down]")).contains("WARN");
    }
    assertThat(one(lines, "poller: failed (attempt 5, 5 consecutive failures); giving up"))
        .contains("ERROR");
    assertThat(stacks).as("stacks: the first failure and giving up").isEqualTo(2);
  }

  @Test
  void aChangeOfErrorHasItsStackAgain() {
    AtomicInteger runs = new AtomicInteger();
    List<String> lines;
    int stacks;
    try (LogCapture log = LogCapture.at(LogCapture.WARN)) {
      tasks.run("switcher", ctx -> {
        int run = runs.incrementAndGet();
        if (run <= 2) {
          down();
        } else if (run <= 4) {
          throw new IOException("connection reset " + run);
        }
      }, Backoff.fixed(Duration.ofMillis(1)), RunOption.exactName(),
          RunOption.restartOnFailureOnly()).completion().await();
      lines = lines(log, "switcher", 4);
      stacks = log.stacks();
    }

    assertThat(lines).hasSize(4);
    one(lines, "switcher: failed (attempt 1)");
    one(lines, "switcher: failed again (x2, same error); restarting in 1 ms "
        + "[java.lang.IllegalStateException: database down]");
    one(lines, "switcher: failed (attempt 3)");
    one(lines, "switcher: failed again (x2, same error); restarting in 1 ms "
        + "[java.io.IOException: connection reset 4]");
    assertThat(stacks).isEqualTo(2);
  }

  @Test
  void aSuccessStartsTheCountOver() {
    AtomicInteger runs = new AtomicInteger();
    List<String> lines;
    try (LogCapture log = LogCapture.at(LogCapture.WARN)) {
      tasks.run("wobbly", ctx -> {
        int run = runs.incrementAndGet();
        if (run == 1 || run == 3) {
          down();
        }
        if (run == 4) {
          throw new PermanentFailure(new IllegalStateException("stop"));
        }
      }, Backoff.fixed(Duration.ofMillis(1)), RunOption.exactName()).completion().await();
      lines = lines(log, "wobbly", 3);
    }

    // Runs 1 and 3 fail the same way, with a success between them: both have their stack.
    assertThat(lines).hasSize(3).noneMatch(l -> l.contains("failed again"));
    one(lines, "wobbly: failed (attempt 1)");
    one(lines, "wobbly: failed (attempt 3)");
    one(lines, "wobbly: failed (attempt 4); now FAILED");
  }

  @Test
  void failuresAtLevelInfoAreHiddenByAWarnLoggerButGivingUpIsNot() {
    List<String> lines;
    try (LogCapture log = LogCapture.at(LogCapture.WARN)) {
      // 100 ms between runs: a failure line at WARN would be printed before the next run ends.
      tasks.run("expected", ctx -> down(), Backoff.fixed(Duration.ofMillis(100)).toBuilder()
          .maxAttempts(3).build(), RunOption.exactName(), RunOption.logLevel("info"))
          .completion().await();
      lines = lines(log, "expected", 1);
    }

    assertThat(lines).singleElement().asString().contains("ERROR", "giving up");
  }

  @Test
  void failuresAreLoggedAtTheTasksLevel() {
    List<String> lines;
    try (LogCapture log = LogCapture.at(LogCapture.DEBUG)) {
      TaskHandle h = tasks.run("chatty", ctx -> down(), FIVE_TRIES, RunOption.exactName(),
          RunOption.logLevel("debug"));
      h.completion().await();
      await().atMost(WAIT).until(() -> log.linesOf("chatty").stream()
          .filter(l -> l.contains("failed")).count() >= 5);
      lines = log.linesOf("chatty");
    }

    assertThat(lines).filteredOn(l -> l.contains("failed")).hasSize(5);
    assertThat(lines).filteredOn(l -> l.contains("failed (attempt 1)"))
        .singleElement().asString().contains("DEBUG");
    assertThat(lines).filteredOn(l -> l.contains("failed again")).hasSize(3)
        .allMatch(l -> l.contains("DEBUG"));
    assertThat(lines).filteredOn(l -> l.contains("giving up")).singleElement().asString()
        .contains("ERROR");
  }

  @Test
  void delaysAreWrittenForPeople() {
    assertThat(RunLog.delay(0)).isEqualTo("0 ms");
    assertThat(RunLog.delay(250)).isEqualTo("250 ms");
    assertThat(RunLog.delay(8000)).isEqualTo("8 s");
    assertThat(RunLog.delay(1500)).isEqualTo("1.5 s");
    assertThat(RunLog.delay(150_000)).isEqualTo("2 min 30 s");
    assertThat(RunLog.delay(3_600_000)).isEqualTo("60 min");
  }

  @Test
  void aFailureWhoseClassesOrPlaceDifferHasAnotherSignature() {
    IllegalStateException a = new IllegalStateException("x");
    IllegalStateException sameSiteOtherMessage = new IllegalStateException("y");
    sameSiteOtherMessage.setStackTrace(a.getStackTrace());
    IllegalStateException withCause = new IllegalStateException("x", new IOException());
    withCause.setStackTrace(a.getStackTrace());

    assertThat(RunLog.signature(sameSiteOtherMessage)).isEqualTo(RunLog.signature(a));
    assertThat(RunLog.signature(withCause)).isNotEqualTo(RunLog.signature(a));
    assertThat(RunLog.signature(new IllegalStateException("x"))).isNotEqualTo(RunLog.signature(a));
  }
}
