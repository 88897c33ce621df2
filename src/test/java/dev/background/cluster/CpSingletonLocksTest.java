package dev.background.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPGroup;
import com.hazelcast.cp.session.CPSession;
import com.hazelcast.cp.session.CPSessionManagementService;
import dev.background.AsyncTask;
import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.Task;
import dev.background.TaskEvent;
import dev.background.TaskHandle;
import dev.background.TaskState;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Singletons on Hazelcast's CP subsystem: three clustered Vert.x instances in this JVM form a CP
 * group of three; trackers on two of them run the same singleton with {@link CpSingletonLocks}.
 */
class CpSingletonLocksTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<Vertx> members = new ArrayList<>();

  @BeforeAll
  static void startThreeCpMembers() throws Exception {
    System.setProperty("bg.cluster.name", "vertx-background-cp-" + UUID.randomUUID());
    Path xml = Paths.get(CpSingletonLocksTest.class.getResource("/cluster-cp-test.xml").toURI());
    List<Future<Vertx>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      starting.add(ClusterVertx.start(xml, "127.0.0.1"));
    }
    for (Future<Vertx> f : starting) {
      members.add(f.await());
    }
  }

  @AfterAll
  static void stopMembers() {
    List<Future<Void>> closing = new ArrayList<>();
    members.forEach(v -> closing.add(v.close()));
    Future.join(closing).await();
  }

  private static Tasks tracker(int member, String node) {
    Vertx vertx = members.get(member);
    return Tasks.create(vertx, new TasksOptions().setNodeId(node)
        .setSingletonLocks(new CpSingletonLocks(ClusterVertx.hazelcast(vertx)))
        .setSingletonRetryInterval(Duration.ofMillis(100)).setCloseTimeout(Duration.ofSeconds(10)));
  }

  @Test
  void oneMemberHoldsTheSingletonAndAGracefulCloseHandsItOverWithAGreaterFence() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<Long> fences = new CopyOnWriteArrayList<>();
    Task task = ctx -> {
      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      fences.add(ctx.fencingToken());
      try {
        ctx.onCancel().toCompletionStage().toCompletableFuture().get();
      } finally {
        running.decrementAndGet();
      }
    };
    Tasks a = tracker(0, "cp-a");
    Tasks b = tracker(1, "cp-b");
    TaskHandle onA = a.run("cp-billing", task, Backoff.defaults(), RunOption.singleton(), RunOption.exactName());
    await().atMost(WAIT).until(() -> onA.status().state() == TaskState.RUNNING);
    TaskHandle onB = b.run("cp-billing", task, Backoff.defaults(), RunOption.singleton(), RunOption.exactName());
    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> onB.status().state() == TaskState.STANDBY);

    a.close().await();

    await().atMost(WAIT).until(() -> onB.status().state() == TaskState.RUNNING);
    assertThat(maxRunning.get()).isEqualTo(1);
    assertThat(fences).hasSize(2);
    assertThat(fences.get(0)).isPositive();
    assertThat(fences.get(1)).isGreaterThan(fences.get(0));
    assertThat(onB.status().holder()).isEqualTo("cp-b");
    b.close().await();
  }

  @Test
  void aHolderWhoseCpSessionTheGroupClosedFencesItselfAndTheOtherMemberTakesOver() throws Exception {
    List<TaskEvent.Type> onA = new CopyOnWriteArrayList<>();
    List<String> runs = new CopyOnWriteArrayList<>();
    Tasks a = tracker(0, "cp-a2");
    Tasks b = tracker(1, "cp-b2");
    a.addListener(e -> onA.add(e.type()));
    List<String> order = new CopyOnWriteArrayList<>();
    AsyncTask task = ctx -> {
      runs.add(ctx.fencingToken() + "");
      order.add("start " + ctx.fencingToken());
      return ctx.onCancel().onComplete(v -> order.add("end " + ctx.fencingToken()));
    };
    TaskHandle first = a.runAsync("cp-fenced", task, Backoff.defaults(), RunOption.singleton(),
        RunOption.exactName());
    await().atMost(WAIT).until(() -> first.status().state() == TaskState.RUNNING);
    TaskHandle second = b.runAsync("cp-fenced", task, Backoff.defaults(), RunOption.singleton(),
        RunOption.exactName());
    await().atMost(WAIT).until(() -> second.status().state() == TaskState.STANDBY);

    // What the CP group does when a holder's heartbeats stop: it closes the holder's session.
    HazelcastInstance hzA = ClusterVertx.hazelcast(members.get(0));
    CPSessionManagementService sessions = hzA.getCPSubsystem().getCPSessionManagementService();
    for (CPSession s : sessions.getAllSessions(CPGroup.DEFAULT_GROUP_NAME).toCompletableFuture().get()) {
      if (s.endpoint().equals(hzA.getCluster().getLocalMember().getAddress())) {
        sessions.forceCloseSession(CPGroup.DEFAULT_GROUP_NAME, s.id()).toCompletableFuture().get();
      }
    }

    await().atMost(WAIT).until(() -> onA.contains(TaskEvent.Type.FENCED));
    await().atMost(WAIT).until(() -> second.status().state() == TaskState.RUNNING
        && first.status().state() == TaskState.STANDBY);
    assertThat(onA).containsSubsequence(TaskEvent.Type.STARTED, TaskEvent.Type.FENCED,
        TaskEvent.Type.SUCCEEDED);
    assertThat(runs).hasSize(2);
    assertThat(Long.parseLong(runs.get(1))).isGreaterThan(Long.parseLong(runs.get(0)));
    // The group freed the lock at once, but the new holder waited until the fenced run had ended.
    assertThat(order).containsExactly("start " + runs.get(0), "end " + runs.get(0),
        "start " + runs.get(1));
    Future.join(a.close(), b.close()).await();
  }

  @Test
  void aLockJustTakenIsReportedAcquiredOnlyAfterTheSessionTimeToLive() {
    CpSingletonLocks locks = new CpSingletonLocks(ClusterVertx.hazelcast(members.get(2)));
    long t0 = System.nanoTime();

    Long fence = locks.tryAcquire("cp-takeover").await();

    assertThat(fence).isNotNull().isPositive();
    assertThat(locks.takeoverWait()).isEqualTo(Duration.ofSeconds(5)); // the TTL of the test config
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(locks.takeoverWait());
    locks.release("cp-takeover").await();
  }

  /** Tries {@code task} on member 2 and returns once the group has the lock taken (still waiting). */
  private static Future<Long> takenNotYetReported(CpSingletonLocks locks, String task) {
    Future<Long> taking = locks.tryAcquire(task);
    await().atMost(WAIT).until(() -> ClusterVertx.hazelcast(members.get(2)).getCPSubsystem()
        .getLock(CpSingletonLocks.PREFIX + task).isLocked());
    return taking;
  }

  @Test
  void aLockReleasedDuringTheTakeoverWaitIsReportedNotAcquired() {
    CpSingletonLocks locks = new CpSingletonLocks(ClusterVertx.hazelcast(members.get(2)));
    Future<Long> taking = takenNotYetReported(locks, "cp-takeover-released");

    locks.release("cp-takeover-released").await();

    assertThat(taking.await()).isNull();
  }

  @Test
  void aLockReleasedAndTakenAgainDuringTheWaitReportsOnlyTheNewAcquisition() {
    CpSingletonLocks locks = new CpSingletonLocks(ClusterVertx.hazelcast(members.get(2)));
    Future<Long> first = takenNotYetReported(locks, "cp-retaken");
    locks.release("cp-retaken").await();

    Future<Long> second = locks.tryAcquire("cp-retaken");

    assertThat(first.await()).isNull();
    assertThat(second.await()).isNotNull();
    locks.release("cp-retaken").await();
  }

  @Test
  void aSecondTrackerOfTheSameJvmCannotTakeAHeldLock() {
    CpSingletonLocks locks = new CpSingletonLocks(ClusterVertx.hazelcast(members.get(2)));
    Long first = locks.tryAcquire("shared-jvm").await();
    Long second = locks.tryAcquire("shared-jvm").await();
    locks.release("shared-jvm").await();
    Long third = locks.tryAcquire("shared-jvm").await();

    assertThat(first).isPositive();
    assertThat(second).isNull();
    assertThat(third).isGreaterThan(first);
    locks.release("shared-jvm").await();
  }
}
