package dev.background.cluster;

import dev.background.cluster.ClusterFailoverTest.Node;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * CP mode across processes, with the shipped {@code conf/cluster-cp.xml} (its member list given
 * the nodes' ports, each node on a port of its own): three node JVMs form the
 * CP group; three times, the singleton's holder is killed with SIGKILL and a replacement node is
 * started. Each time the singleton fails over, and the group heals (the dead CP member is removed,
 * the replacement promotes itself) before the next kill, so the third loss still finds a majority.
 * Then every node stops cleanly and promptly. The run log shows no two runs overlapping and
 * fencing tokens that only grow.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CpFailoverTest {

  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** How long the group stays whole before the next kill ("a few seconds", DEPLOY.md). */
  private static final Duration SETTLE = Duration.ofSeconds(10);
  /** How long a CP failover may take here: session TTL 5 s, plus detection and retries. */
  private static final long FAILOVER_BOUND_MILLIS = 30_000;
  /** The demo waits 5 s for Vert.x to close; a CP node's stop must fit in it. */
  private static final long CLOSE_BOUND_MILLIS = 5_000;
  /** Nodes: the first three, then three replacements. */
  private static final int NODES = 6;
  private static int basePort;
  private static Path xml;

  private static final Map<String, Node> nodes = new LinkedHashMap<>();
  private static final Map<String, Integer> hazelcastPorts = new LinkedHashMap<>();
  private static final List<Long> failovers = new ArrayList<>();
  private static final Map<String, Long> killedAt = new LinkedHashMap<>();
  private static Path runLog;
  private static String cluster;
  private static int next = 1;

  @BeforeAll
  static void startThreeCpMembers() throws Exception {
    runLog = Files.createTempFile("cp-runs", ".log");
    cluster = "vertx-background-cp-" + UUID.randomUUID();
    basePort = freePorts(NODES);
    // The shipped conf/cluster-cp.xml, its members listed with the nodes' ports.
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < NODES; i++) {
      members.append("<member>127.0.0.1:").append(basePort + i).append("</member>");
    }
    String shipped = Files.readString(Path.of("conf/cluster-cp.xml"));
    assertThat(shipped).contains("<member>127.0.0.1</member>");
    xml = Files.createTempFile("cluster-cp", ".xml");
    Files.writeString(xml, shipped.replace("<member>127.0.0.1</member>", members));
    for (int i = 0; i < 3; i++) {
      start();
    }
    for (Node n : nodes.values()) {
      ready(n);
    }
    await().atMost(START).until(() -> cpMembers(anyAlive()) == 3);
  }

  /**
   * Starts node {@code cp-<n>} on port base + n - 1 of its own: a replacement gets a new address,
   * as a pod's replacement gets a new IP. (Hazelcast does not remove a missing CP member while a
   * live member has its address, so a replacement on the dead member's host and port would keep
   * the group short of a member for good; DEPLOY.md says so.)
   */
  private static Node start() throws Exception {
    String id = "cp-" + next;
    Node n = ClusterFailoverTest.launch(id, cluster, runLog, "-Dbg.hazelcast.config=" + xml,
        "-Dbg.locks=cp", "-Dbg.port=" + (basePort + next - 1));
    next++;
    nodes.put(id, n);
    return n;
  }

  /** The first of {@code count} consecutive free ports on 127.0.0.1 above 20000. */
  private static int freePorts(int count) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 20_000 + new java.util.Random().nextInt(20_000);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(new InetSocketAddress("127.0.0.1", p));
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports");
  }

  /** The node's Hazelcast port, from its READY line. */
  private static int ready(Node n) throws InterruptedException {
    String[] f = n.next("READY", START).split(" ");
    hazelcastPorts.put(n.id, Integer.parseInt(f[3]));
    return Integer.parseInt(f[3]);
  }

  @AfterAll
  static void stopAll() {
    for (Node n : nodes.values()) {
      n.process.destroyForcibly();
    }
  }

  private static Node anyAlive() {
    return nodes.values().stream().filter(n -> n.process.isAlive()).findFirst().orElseThrow();
  }

  /**
   * The size of the CP group when it is whole, as {@code via} sees it: every CP member is in the
   * cluster and the default group (the singletons' locks) has as many live members; else -1.
   */
  private static long cpMembers(Node via) throws InterruptedException {
    via.in.println("CP-MEMBERS");
    String[] f = via.next("CP ", WAIT).split(" ");
    int members = Integer.parseInt(f[1]);
    return members == Integer.parseInt(f[2]) && members == Integer.parseInt(f[3]) ? members : -1;
  }

  /** The node whose singleton is RUNNING, from the cluster-wide list of {@code via}; or null. */
  private static String holder(Node via) throws InterruptedException {
    JsonArray tasks = via.list().getJsonArray("tasks");
    for (int i = 0; i < tasks.size(); i++) {
      JsonObject t = tasks.getJsonObject(i);
      if (t.getString("name").equals("billing") && t.getString("state").equals("RUNNING")) {
        return t.getString("node");
      }
    }
    return null;
  }

  @Test
  @Order(1)
  void threeKillAndReplaceCyclesOfTheHolderEachFailOver() throws Exception {
    for (int cycle = 1; cycle <= 3; cycle++) {
      Node via = anyAlive();
      await().atMost(WAIT).until(() -> holder(via) != null);
      Node holder = nodes.get(holder(via));
      Node witness = nodes.values().stream().filter(n -> n != holder && n.process.isAlive())
          .findFirst().orElseThrow();

      long killed = System.currentTimeMillis();
      holder.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      killedAt.put(holder.id, killed);
      Node replacement = start();

      await().atMost(Duration.ofMillis(FAILOVER_BOUND_MILLIS + 10_000)).until(() -> {
        String h = holder(witness);
        return h != null && !h.equals(holder.id);
      });
      // The new holder's run writes its start line as it begins: wait for it.
      await().atMost(WAIT).until(() -> runs().stream().anyMatch(r -> r[1] >= killed));
      long failover = firstStartAfter(killed) - killed;
      failovers.add(failover);
      System.out.printf("cp: cycle %d: failover after SIGKILL of %s took %d ms%n", cycle, holder.id, failover);
      assertThat(failover).isLessThan(FAILOVER_BOUND_MILLIS);

      // Healed: the dead CP member removed, the replacement promoted.
      ready(replacement);
      long healing = System.nanoTime();
      await().atMost(START).until(() -> cpMembers(witness) == 3);
      System.out.printf("cp: cycle %d: CP group whole again %d ms after the replacement was ready%n",
          cycle, (System.nanoTime() - healing) / 1_000_000);
      // DEPLOY.md's rule: a few seconds more before the next loss. A kill 2 s after the group
      // became whole again left it without a majority for good (a clean-clone CI run: no holder
      // within 40 s), as the promoted member had not caught up. So the group must stay whole
      // for SETTLE first.
      if (cycle < 3) {
        await().during(SETTLE).atMost(SETTLE.plus(WAIT)).until(() -> cpMembers(witness) == 3);
      }
    }
    System.out.printf("cp: failovers after SIGKILL: %s ms%n", failovers);
  }

  @Test
  @Order(2)
  void everyNodeStopsCleanlyWithinTheDemosCloseWait() throws Exception {
    List<Long> closes = new ArrayList<>();
    for (Node n : nodes.values()) {
      if (!n.process.isAlive()) {
        continue;
      }
      n.in.println("STOP");
      String[] f = n.next("STOPPED", WAIT).split(" ");
      closes.add(Long.parseLong(f[2]));
      assertThat(n.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(n.process.exitValue()).isZero();
    }
    System.out.printf("cp: Vert.x closes took %s ms%n", closes);
    assertThat(closes).allSatisfy(ms -> assertThat(ms).isLessThan(CLOSE_BOUND_MILLIS));
  }

  @Test
  @Order(3)
  void noTwoRunsOverlappedAndTokensOnlyGrew() throws Exception {
    List<long[]> runs = runs();
    assertThat(runs).hasSizeGreaterThanOrEqualTo(4);
    SingletonRuns.assertNoOverlapAndGrowingTokens(runs);
  }

  private static long firstStartAfter(long since) throws Exception {
    return SingletonRuns.firstStartAfter(runs(), since);
  }

  /** Every run, by start; a run without an end ended when its node was killed, or still runs. */
  private static List<long[]> runs() throws Exception {
    return SingletonRuns.read(runLog, killedAt, System.currentTimeMillis());
  }
}
