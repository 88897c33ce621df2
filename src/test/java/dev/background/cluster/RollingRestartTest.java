package dev.background.cluster;

import dev.background.cluster.ClusterFailoverTest.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rolling restart as a Kubernetes Deployment does it ({@code maxSurge: 1, maxUnavailable: 0}),
 * with the shipped {@code conf/cluster.xml} and defaults: three node JVMs; three times, a new node
 * starts, joins and is ready, then the oldest node stops gracefully. The singleton's runs, read
 * from its run log, never overlap, their tokens only grow, and each handover leaves a gap no
 * longer than a few seconds: the time from the end of the old holder's run to the first run of
 * the new one.
 */
class RollingRestartTest {

  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** A gap between the runs of two holders, generous: retry interval 1 s, plus the stop. */
  private static final long GAP_BOUND_MILLIS = 5_000;

  private static final List<Node> nodes = new ArrayList<>();
  private static Path runLog;
  private static String cluster;
  private static int next = 1;
  private static final List<Long> gaps = new ArrayList<>();

  @BeforeAll
  static void rollingRestartOfThreeNodes() throws Exception {
    runLog = Files.createTempFile("rolling-runs", ".log");
    cluster = "vertx-background-rolling-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      start();
    }
    for (Node n : nodes) {
      n.next("READY", START);
    }
    await().atMost(WAIT).until(() -> Files.readAllLines(runLog).size() >= 1);
    for (int i = 0; i < 3; i++) {
      Node fresh = start();
      fresh.next("READY", START);
      await().atMost(WAIT).until(() -> fresh.list().getJsonArray("nodes").size() == 4);
      Node oldest = nodes.get(i);
      oldest.in.println("STOP");
      oldest.next("STOPPED", WAIT);
      assertThat(oldest.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    // A holder runs again (when the last node stopped held the singleton, after its handover).
    await().atMost(WAIT).until(() -> runs().stream().anyMatch(r -> r[2] == Long.MAX_VALUE));
  }

  private static Node start() throws Exception {
    Node n = ClusterFailoverTest.launch("roll-" + next++, cluster, runLog);
    nodes.add(n);
    return n;
  }

  @AfterAll
  static void stopAll() {
    for (Node n : nodes) {
      if (n.process.isAlive()) {
        n.in.println("STOP");
      }
    }
    for (Node n : nodes) {
      try {
        if (!n.process.waitFor(20, TimeUnit.SECONDS)) {
          n.process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        n.process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void runsNeverOverlapTokensGrowAndEachHandoverIsShort() throws Exception {
    List<long[]> runs = runs();
    SingletonRuns.assertNoOverlapAndGrowingTokens(runs);
    for (int i = 1; i < runs.size(); i++) {
      gaps.add(runs.get(i)[1] - runs.get(i - 1)[2]);
    }
    System.out.printf("rolling restart: %d holders, handover gaps %s ms%n", runs.size(), gaps);
    assertThat(runs).hasSizeGreaterThanOrEqualTo(2);
    assertThat(gaps).allSatisfy(g -> assertThat(g).isLessThan(GAP_BOUND_MILLIS));
  }

  /** Every run, by start; each holder's run lasts until it is cancelled (no end: still running). */
  private static List<long[]> runs() throws Exception {
    return SingletonRuns.read(runLog, Map.of(), Long.MAX_VALUE);
  }
}
