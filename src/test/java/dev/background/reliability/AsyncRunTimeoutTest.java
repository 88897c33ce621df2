package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.testing.TestClock;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.background.reliability.Waiting.quickly;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A timed-out run is a failed run, whatever the task does afterwards: an async task whose future
 * never completes fails at its {@code runTimeout} and is restarted on its backoff; a late
 * completion of the old future changes nothing.
 */
@ExtendWith(VertxExtension.class)
class AsyncRunTimeoutTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  /** One run of the task: its future (never completed by the task) and its context. */
  private record Run(Promise<Void> promise, Context context) {
  }

  private TestClock clock;
  private Tasks tasks;
  private final List<Run> runs = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    clock = new TestClock();
    tasks = Tasks.create(vertx, new TasksOptions().setClock(clock).setCloseTimeout(Duration.ofSeconds(5)));
  }

  @AfterEach
  void tearDown() throws Exception {
    runs.forEach(r -> r.context().runOnContext(v -> r.promise().tryComplete()));
    tasks.close().await(10, TimeUnit.SECONDS);
  }

  private TaskHandle neverCompletes() {
    return tasks.runAsync("never-completes", ctx -> {
      Promise<Void> p = Promise.promise();
      runs.add(new Run(p, Vertx.currentContext()));
      return p.future();
    }, Backoff.fixed(MINUTE), RunOption.exactName(), RunOption.runTimeout(MINUTE));
  }

  @Test
  void anAsyncRunWhoseFutureNeverCompletesFailsAtItsTimeoutAndIsRestarted() {
    TaskHandle h = neverCompletes();
    quickly().until(() -> runs.size() == 1);

    clock.advance(MINUTE);

    quickly().until(() -> h.status().state() == TaskState.BACKING_OFF);
    TaskStatus s = h.status();
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.running()).isZero();
    assertThat(s.lastError().type()).isEqualTo(TimeoutException.class.getName());
    assertThat(s.nextRunAt()).isEqualTo(clock.now().plus(MINUTE));

    clock.advance(MINUTE);

    quickly().until(() -> runs.size() == 2 && h.status().state() == TaskState.RUNNING);
    assertThat(h.status().runs()).isEqualTo(2);
  }

  @Test
  void aLateCompletionOfATimedOutAsyncRunIsIgnored() throws Exception {
    TaskHandle h = neverCompletes();
    quickly().until(() -> runs.size() == 1);
    clock.advance(MINUTE);
    quickly().until(() -> h.status().state() == TaskState.BACKING_OFF);

    Run late = runs.get(0);
    CountDownLatch completed = new CountDownLatch(1);
    late.context().runOnContext(v -> {
      late.promise().complete();
      completed.countDown();
    });
    assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();

    TaskStatus s = h.status();
    assertThat(s.state()).isEqualTo(TaskState.BACKING_OFF);
    assertThat(s.runs()).isEqualTo(1);
    assertThat(s.successes()).isZero();
    assertThat(s.failures()).isEqualTo(1);
    clock.advance(MINUTE);
    quickly().until(() -> runs.size() == 2);
    assertThat(h.status().successes()).isZero();
  }
}
