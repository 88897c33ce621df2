package dev.background.schedule;

import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.testing.TestClock;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A singleton schedule between two trackers of one Vert.x (local shared data) on one test
 * clock: only the holder fires, and a new holder goes on from the last fired slot the lease
 * records, so no slot fires twice. Across processes: ClusterScheduleFailoverIT.
 */
@ExtendWith(VertxExtension.class)
class ScheduleSingletonTest {

  private static final Instant T0 = TestClock.DEFAULT_START;
  private static final Duration SLOT = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final TestClock clock = new TestClock();
  private final List<TaskEvent> eventsA = new CopyOnWriteArrayList<>();
  private final List<TaskEvent> eventsB = new CopyOnWriteArrayList<>();
  private Tasks nodeA;
  private Tasks nodeB;

  @BeforeEach
  void setUp(Vertx vertx) {
    // B tries the lease every 35 s: it takes over a while after A has gone.
    nodeA = Tasks.create(vertx, options("a"));
    nodeB = Tasks.create(vertx, options("b"));
    nodeA.addListener(eventsA::add);
    nodeB.addListener(eventsB::add);
  }

  private TasksOptions options(String node) {
    return new TasksOptions().setNodeId(node).setClock(clock)
        .setSingletonRetryInterval(Duration.ofSeconds(35)).setCloseTimeout(Duration.ofSeconds(5));
  }

  @AfterEach
  void tearDown() {
    nodeA.close().await();
    nodeB.close().await();
  }

  private static List<Instant> fired(List<TaskEvent> events) {
    return events.stream().filter(e -> e.type() == TaskEvent.Type.FIRED).map(TaskEvent::slot).toList();
  }

  private static void awaitState(TaskHandle h, TaskState state) {
    await().atMost(WAIT).until(() -> h.status().state() == state);
  }

  /** Waits until {@code h}'s first try of the lease failed: its next try is then timed from now. */
  private static void awaitStandingBy(TaskHandle h, String holder) {
    await().atMost(WAIT).until(() -> h.status().state() == TaskState.STANDBY
        && holder.equals(h.status().holder()));
  }

  @Test
  void onlyTheHolderFiresAndTheNewHolderRunsTheSlotsMissedDuringTheFailoverOnce() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    dev.background.Task task = ctx -> {
      if (running.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      running.decrementAndGet();
    };
    Schedule everyMinute = Schedule.fixedRate(SLOT);
    TaskHandle a = nodeA.schedule("report", everyMinute, task, RunOption.singleton(),
        RunOption.exactName());
    awaitState(a, TaskState.SCHEDULED);
    TaskHandle b = nodeB.schedule("report", everyMinute, task, RunOption.singleton(),
        RunOption.exactName());
    awaitStandingBy(b, "a");

    clock.advance(SLOT);
    awaitState(a, TaskState.SCHEDULED);
    await().atMost(WAIT).until(() -> a.status().fires() == 2);
    a.cancel().await(); // the holder leaves after firing T0 and T0+10s

    clock.advance(Duration.ofSeconds(25)); // B takes the lease at T0+35s
    awaitState(b, TaskState.SCHEDULED);
    clock.advance(Duration.ofSeconds(5)); // T0+40s
    await().atMost(WAIT).until(() -> b.status().fires() == 2);

    assertThat(fired(eventsA)).containsExactly(T0, T0.plus(SLOT));
    assertThat(fired(eventsB)).as("T0+20s is missed, T0+30s runs once, T0+40s on time")
        .containsExactly(T0.plus(SLOT.multipliedBy(3)), T0.plus(SLOT.multipliedBy(4)));
    assertThat(b.status().missedFires()).isEqualTo(1);
    List<Instant> all = new ArrayList<>(fired(eventsA));
    all.addAll(fired(eventsB));
    assertThat(all).doesNotHaveDuplicates();
    assertThat(overlaps).hasValue(0);
  }

  @Test
  void aStandbyNeitherFiresNorCanBeTriggered() {
    TaskHandle a = nodeA.schedule("only-one", Schedule.fixedRate(SLOT), ctx -> { },
        RunOption.singleton(), RunOption.exactName());
    awaitState(a, TaskState.SCHEDULED);
    TaskHandle b = nodeB.schedule("only-one", Schedule.fixedRate(SLOT), ctx -> { },
        RunOption.singleton(), RunOption.exactName());
    awaitStandingBy(b, "a");

    clock.advance(SLOT);
    await().atMost(WAIT).until(() -> a.status().fires() == 2);

    assertThat(b.status().fires()).isZero();
    assertThat(b.status().holder()).isEqualTo("a");
    assertThat(b.trigger().cause()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("standing by");
  }
}
