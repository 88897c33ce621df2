package dev.background.reliability;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.Tasks;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Events of one name arrive in order across incarnations: a listener never sees {@code started}
 * of a resubmitted task before the last event ({@code cancelled}) of the one it replaced.
 */
@ExtendWith(VertxExtension.class)
class EventOrderTest {

  private static final String NAME = "resubmitted";

  @Test
  void eventsOfOneNameArriveInOrderAcrossResubmissions(Vertx vertx) throws Exception {
    Tasks tasks = Tasks.create(vertx);
    List<TaskEvent.Type> seen = new ArrayList<>();
    // A listener that takes a moment over each run's end (as one that forwards events does):
    // the old incarnation's last events are then still being delivered when the name is free.
    tasks.addListener(e -> {
      if (e.task().equals(NAME)) {
        synchronized (seen) {
          seen.add(e.type());
        }
        if (e.type() == TaskEvent.Type.SUCCEEDED) {
          long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200);
          while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
          }
        }
      }
    });
    // Runs until cancelled (at most 10 s): each incarnation is started, succeeded, cancelled.
    Task task = ctx -> {
      CountDownLatch cancelled = new CountDownLatch(1);
      ctx.onCancel().onComplete(v -> cancelled.countDown());
      cancelled.await(10, TimeUnit.SECONDS);
    };
    int cycles = 1_000;
    for (int i = 0; i < cycles; i++) {
      submitWhenFree(tasks, task).cancel();
    }
    tasks.close().await(20, TimeUnit.SECONDS);
    // The last events may still be on their way when close completes.
    Waiting.quickly().until(() -> cancelled(seen) == cycles);

    List<TaskEvent.Type> events;
    synchronized (seen) {
      events = new ArrayList<>(seen);
    }
    checkIncarnations(events);
    assertThat(events.stream().filter(t -> t == TaskEvent.Type.STARTED).count()).isEqualTo(cycles);
  }

  private static long cancelled(List<TaskEvent.Type> seen) {
    synchronized (seen) {
      return seen.stream().filter(t -> t == TaskEvent.Type.CANCELLED).count();
    }
  }

  /** Submits the task as soon as the name is free again (the previous incarnation has ended). */
  private static TaskHandle submitWhenFree(Tasks tasks, Task task) {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (;;) {
      try {
        return tasks.run(NAME, task, Backoff.fixed(Duration.ofHours(1)), RunOption.exactName());
      } catch (IllegalArgumentException live) {
        if (System.nanoTime() - giveUp > 0) {
          throw live;
        }
      }
    }
  }

  /** The events are a sequence of incarnations: (started, succeeded or failed, cancelled) or cancelled. */
  private static void checkIncarnations(List<TaskEvent.Type> events) {
    int phase = 0; // 0: between incarnations, 1: running, 2: run ended
    for (int i = 0; i < events.size(); i++) {
      TaskEvent.Type t = events.get(i);
      boolean expected = switch (phase) {
        case 0 -> t == TaskEvent.Type.STARTED || t == TaskEvent.Type.CANCELLED;
        case 1 -> t == TaskEvent.Type.SUCCEEDED || t == TaskEvent.Type.FAILED;
        default -> t == TaskEvent.Type.CANCELLED;
      };
      if (!expected) {
        fail("event %d (%s) out of order: %s", i, t,
            events.subList(Math.max(0, i - 6), Math.min(events.size(), i + 4)));
      }
      phase = t == TaskEvent.Type.STARTED ? 1 : t == TaskEvent.Type.CANCELLED ? 0 : 2;
    }
  }
}
