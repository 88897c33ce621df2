package dev.background;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A blocking task whose restart delay is short waits for it on its own thread and runs again
 * there; a cancel, pause, restart or close takes the wait over at once.
 */
@ExtendWith(VertxExtension.class)
class RestartOnRunThreadTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private Tasks tasks;

  @BeforeEach
  void setUp(Vertx vertx) {
    tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(5)));
  }

  @AfterEach
  void tearDown() {
    tasks.close().await();
  }

  /** A blocking task that records its thread and how many of its runs overlap, then fails. */
  private static final class Recorder implements Task {
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();

    @Override
    public void run(TaskContext ctx) {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      threads.add(Thread.currentThread());
      running.decrementAndGet();
      throw new IllegalStateException("again");
    }
  }

  @Test
  void aShortRestartDelayIsWaitedOnTheTasksOwnThread() {
    Recorder r = new Recorder();
    TaskHandle h = tasks.run("short", r, Backoff.fixed(Duration.ofMillis(2)), RunOption.exactName());

    await().atMost(WAIT).until(() -> r.threads.size() >= 5);
    h.cancel().await();

    assertThat(Set.copyOf(r.threads)).hasSize(1);
  }

  private static boolean inFrame(Thread t, String method) {
    return java.util.Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals(method));
  }

  @Test
  void duringAShortDelayTheThreadWaitsInTheSupervisor() {
    Recorder r = new Recorder();
    tasks.run("waits", r, Backoff.fixed(Duration.ofMillis(250)), RunOption.exactName());
    await().atMost(WAIT).until(() -> r.threads.size() == 1);
    Thread t = r.threads.get(0);

    await().atMost(WAIT).until(() -> inFrame(t, "waitHere"));
  }

  @Test
  void aLongRestartDelayLetsTheThreadGoBackToItsPool() {
    Recorder r = new Recorder();
    TaskHandle h = tasks.run("long", r, Backoff.fixed(Duration.ofMinutes(5)), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);
    Thread t = r.threads.get(0);

    await().atMost(WAIT).until(() -> inFrame(t, "getTask") && !inFrame(t, "waitHere"));
    assertThat(r.threads).hasSize(1);
  }

  @Test
  void aCancelDuringTheWaitEndsTheTaskWithoutAnotherRun() {
    Recorder r = new Recorder();
    TaskHandle h = tasks.run("cancelled", r, Backoff.fixed(Duration.ofMillis(200)), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    h.cancel().await();

    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> r.threads.size() == 1);
  }

  @Test
  void aPauseDuringTheWaitHoldsTheRestartUntilResumed() {
    Recorder r = new Recorder();
    TaskHandle h = tasks.run("paused", r, Backoff.fixed(Duration.ofMillis(200)), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    h.pause().await();
    await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> r.threads.size() == 1);
    assertThat(h.status().state()).isEqualTo(TaskState.PAUSED);

    h.resume().await();
    await().atMost(WAIT).until(() -> r.threads.size() >= 2);
  }

  @Test
  void aRestartDuringTheWaitRunsOnceNowAndNeverTwiceAtATime() {
    Recorder r = new Recorder();
    TaskHandle h = tasks.run("restarted", r, Backoff.fixed(Duration.ofMillis(200)), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    h.restartNow().await();

    await().atMost(WAIT).until(() -> r.threads.size() >= 4);
    assertThat(r.maxRunning.get()).isEqualTo(1);
    assertThat(h.status().running()).isLessThanOrEqualTo(1);
  }

  @Test
  void closeDuringTheWaitCompletesAtOnce() {
    Recorder r = new Recorder();
    TaskHandle h = tasks.run("closed", r, Backoff.fixed(Duration.ofMillis(250)), RunOption.exactName());
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.BACKING_OFF);

    tasks.close().await();

    assertThat(h.status().state()).isEqualTo(TaskState.CANCELLED);
    await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> r.threads.size() == 1);
  }
}
