package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Task;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.background.reliability.Waiting.quickly;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cancel that lands between the registration of a task and its start (from another thread,
 * through {@code tasks.handle(name)}): the task must never start, and no two runs of one name
 * may overlap, however submits and cancels of that name race.
 */
@ExtendWith(VertxExtension.class)
class SubmitCancelRaceTest {

  private static final Backoff FAST = Backoff.fixed(Duration.ofMillis(1));

  /** Runs until cancelled, at most a second, counting how many runs of it are in progress. */
  private static Task counting(AtomicInteger running, AtomicInteger maxRunning) {
    return ctx -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        CountDownLatch cancelled = new CountDownLatch(1);
        ctx.onCancel().onComplete(v -> cancelled.countDown());
        cancelled.await(1, TimeUnit.SECONDS);
      } finally {
        running.decrementAndGet();
      }
    };
  }

  @Test
  void aTaskCancelledBeforeItStartedNeverStarts(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    Task task = counting(running, maxRunning);
    ExecutorService canceller = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < 2_000; i++) {
        String name = "cancelled-early-" + i;
        Future<TaskHandle> cancelledBy = canceller.submit(() -> {
          Optional<TaskHandle> h;
          long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          do {
            h = tasks.handle(name);
          } while (h.isEmpty() && System.nanoTime() - giveUp < 0);
          h.orElseThrow().cancel();
          return h.get();
        });
        TaskHandle h = tasks.run(name, task, FAST, RunOption.exactName());
        assertThat(cancelledBy.get(10, TimeUnit.SECONDS)).isSameAs(h);
        h.completion().await(10, TimeUnit.SECONDS);

        TaskStatus s = h.status();
        assertThat(s.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(s.running()).as("runs of %s in progress after its completion", name).isZero();
        assertThat(s.runs()).isEqualTo(s.successes() + s.failures());
      }
    } finally {
      canceller.shutdownNow();
    }
    tasks.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void runsOfOneNameNeverOverlapWhileThreadsSubmitAndCancelIt(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setCloseTimeout(Duration.ofSeconds(20)));
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger submitted = new AtomicInteger();
    Task task = counting(running, maxRunning);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> drivers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        drivers.add(pool.submit(() -> {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < 3_000 && maxRunning.get() <= 1; i++) {
            if (random.nextBoolean()) {
              try {
                tasks.run("contested", task, FAST, RunOption.exactName());
                submitted.incrementAndGet();
              } catch (IllegalArgumentException live) {
                // the name is taken by a live task
              }
            } else {
              tasks.handle("contested").ifPresent(TaskHandle::cancel);
            }
          }
          return null;
        }));
      }
      for (Future<?> d : drivers) {
        d.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    tasks.close().await(30, TimeUnit.SECONDS);
    quickly().until(() -> running.get() == 0);

    assertThat(submitted.get()).isPositive();
    assertThat(maxRunning.get()).as("runs of one name in progress at once").isEqualTo(1);
  }
}
