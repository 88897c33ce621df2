package dev.background.cluster;

import dev.background.cluster.ClusterFailoverTest.Node;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A singleton 1 s fixed-rate schedule on three node JVMs: SIGKILL of the holder. No slot fires
 * twice, no two runs overlap, and the slots that came due during the failover are handled by the
 * misfire policy (RUN_ONCE): the new holder runs the latest of them once and counts the others
 * as missed, so every slot after the last one the old holder fired is accounted for.
 */
class ClusterScheduleFailoverTest {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long SLOT = 1000;

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private Path log;
  private String clusterName;

  /** One run in the log: its slot, token, node, start and end (epoch ms; -1 when not ended). */
  private record Run(long slot, long token, String node, long start, long end) {
  }

  @AfterEach
  void stopCluster() throws InterruptedException {
    for (Node n : nodes.values()) {
      if (n.process.isAlive()) {
        n.in.println("STOP");
      }
    }
    for (Node n : nodes.values()) {
      if (!n.process.waitFor(20, TimeUnit.SECONDS)) {
        n.process.destroyForcibly();
      }
    }
  }

  private Node launch(String id) throws IOException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m",
        "-Dbg.cluster.name=" + clusterName,
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-Dorg.slf4j.simpleLogger.log.dev.background.Tasks=off"));
    // What Hazelcast needs on JDK 17 (the fat jar's manifest has the same).
    command.addAll(List.of("--add-modules", "java.se",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        ScheduleClusterNode.class.getName(), id, log.toString()));
    Path err = Files.createTempFile("schedule-" + id, ".log");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    return new Node(id, p, err);
  }

  private List<Run> runs(Map<String, Long> killedAt) throws IOException {
    Map<String, Run> byKey = new LinkedHashMap<>();
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      String key = f[1] + " " + f[3];
      long at = Long.parseLong(f[4]);
      if (f[0].equals("start")) {
        byKey.put(key, new Run(Long.parseLong(f[1]), Long.parseLong(f[2]), f[3], at, -1));
      } else {
        Run r = byKey.get(key);
        byKey.put(key, new Run(r.slot(), r.token(), r.node(), r.start(), at));
      }
    }
    List<Run> runs = new ArrayList<>();
    for (Run r : byKey.values()) {
      long end = r.end() >= 0 ? r.end() : killedAt.getOrDefault(r.node(), System.currentTimeMillis());
      runs.add(new Run(r.slot(), r.token(), r.node(), r.start(), end));
    }
    runs.sort((a, b) -> Long.compare(a.start(), b.start()));
    return runs;
  }

  private JsonObject status(Node n) throws InterruptedException {
    n.in.println("STATUS");
    return new JsonObject(n.next("STATUS ", WAIT).substring("STATUS ".length()));
  }

  @Test
  void aKilledHolderHandsTheScheduleOverWithoutAnySlotFiredTwiceOrAnyOverlap() throws Exception {
    log = Files.createTempFile("schedule-fires", ".log");
    clusterName = "vertx-background-schedule-" + UUID.randomUUID();
    for (String id : List.of("node-a", "node-b", "node-c")) {
      Node node = launch(id);
      node.next("READY " + id, START);
      nodes.put(id, node);
    }
    Map<String, Long> killedAt = new HashMap<>();
    await().atMost(WAIT).until(() -> runs(killedAt).size() >= 3);

    List<Run> before = runs(killedAt);
    String holder = before.get(before.size() - 1).node();
    nodes.get(holder).process.destroyForcibly(); // SIGKILL
    nodes.get(holder).process.waitFor(10, TimeUnit.SECONDS);
    killedAt.put(holder, System.currentTimeMillis());
    long oldLast = runs(killedAt).stream().filter(r -> r.node().equals(holder))
        .mapToLong(Run::slot).max().orElseThrow();
    await().atMost(WAIT).until(() -> runs(killedAt).stream()
        .filter(r -> !r.node().equals(holder) && r.end() > 0).count() >= 3);

    long fires = 0;
    long missed = 0;
    long skipped = 0;
    long lastFire = 0;
    for (Node n : nodes.values()) {
      if (n.process.isAlive()) {
        JsonObject s = status(n);
        fires += s.getLong("fires");
        missed += s.getLong("missedFires");
        skipped += s.getLong("skippedFires");
        if (s.getString("lastFireAt") != null) {
          lastFire = Math.max(lastFire, java.time.Instant.parse(s.getString("lastFireAt")).toEpochMilli());
        }
      }
    }
    List<Run> runs = runs(killedAt);
    Run firstAfter = runs.stream().filter(r -> !r.node().equals(holder)).findFirst().orElseThrow();
    System.out.printf("schedule failover: %s killed; new holder %s fired slot old+%d ms, %d ms "
        + "after the kill; tokens %d -> %d; survivors: fires %d, missed %d, skipped %d%n", holder,
        firstAfter.node(), firstAfter.slot() - oldLast, firstAfter.start() - killedAt.get(holder),
        runs.get(0).token(), firstAfter.token(), fires, missed, skipped);

    Set<Long> slots = new HashSet<>();
    for (Run r : runs) {
      assertThat(slots.add(r.slot())).as("slot %d fired twice: %s", r.slot(), runs).isTrue();
    }
    for (int i = 1; i < runs.size(); i++) {
      assertThat(runs.get(i).start()).as("run %s overlaps %s", runs.get(i), runs.get(i - 1))
          .isGreaterThanOrEqualTo(runs.get(i - 1).end());
      assertThat(runs.get(i).token()).isGreaterThanOrEqualTo(runs.get(i - 1).token());
    }
    assertThat(firstAfter.token()).isGreaterThan(runs.get(0).token());
    long slotsSinceOldHolder = (lastFire - oldLast) / SLOT;
    assertThat(fires + missed).as("every slot after the old holder's last is fired or missed once "
        + "(RUN_ONCE), skipped ones aside").isBetween(slotsSinceOldHolder - skipped, slotsSinceOldHolder);
  }
}
