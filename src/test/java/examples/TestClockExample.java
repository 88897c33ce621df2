package examples;

import dev.background.Backoff;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.testing.TestClock;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's test-clock example: a user's test of their own restart schedule, which takes
 * milliseconds although the schedule spans minutes. TestClockExampleTest runs it.
 */
public class TestClockExample {

  public static void pollerRetriesAfterOneThenTwoMinutes(Vertx vertx) {
    TestClock clock = new TestClock();
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setClock(clock));
    Backoff backoff = Backoff.builder().initialInterval(Duration.ofMinutes(1)).multiplier(2)
        .randomizationFactor(0).maxInterval(Duration.ofMinutes(10)).build();
    AtomicInteger polls = new AtomicInteger();

    TaskHandle poller = tasks.run("poller", ctx -> {
      polls.incrementAndGet();
      throw new IllegalStateException("queue unreachable");
    }, backoff);

    await().until(() -> poller.status().state() == TaskState.BACKING_OFF);
    assertThat(poller.status().nextRunAt()).isEqualTo(clock.now().plus(Duration.ofMinutes(1)));

    clock.advance(Duration.ofMinutes(1));                 // the first retry is due
    await().until(() -> polls.get() == 2 && poller.status().state() == TaskState.BACKING_OFF);
    assertThat(poller.status().currentDelay()).isEqualTo(Duration.ofMinutes(2));

    clock.advance(Duration.ofSeconds(119));               // not yet
    assertThat(polls.get()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));                 // now
    await().until(() -> polls.get() == 3);

    tasks.close().await();
  }
}
