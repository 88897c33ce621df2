package dev.background.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real network partition (Linux network namespaces, {@code src/test/partition/run}): three node
 * JVMs, each in a namespace of its own; the singleton's holder is cut off for 20 s and healed, then
 * a standby; for both lock modes. Runs where it can (root, {@code ip}, network namespaces) and is
 * skipped with the reason elsewhere. Takes about 4 minutes; the script's report is printed.
 *
 * <p>What it holds the modes to: in CP mode no two runs ever overlap, the node cut off starts no
 * run, the majority side gets a new holder, and after healing exactly one holder is left. With
 * shared-data locks, which promise nothing in a partition, the majority side also gets a new
 * holder and exactly one is left after healing (the side that merges fences its singletons); the
 * overlap during the partition is reported, not held to anything.
 */
class NetworkPartitionTest {

  private static JsonObject summary;

  @BeforeAll
  static void runTheScript() throws Exception {
    assumeTrue(new File("/usr/sbin/ip").canExecute() || new File("/sbin/ip").canExecute()
        || new File("/usr/bin/ip").canExecute(), "skipped: no ip command (iproute2) on this machine");
    String uid = run("id", "-u").trim();
    assumeTrue(uid.equals("0"), "skipped: network namespaces need root, and the tests run as uid " + uid);
    String probe = "bgp-junit-probe-" + ProcessHandle.current().pid() % 100000;
    Process add = new ProcessBuilder("ip", "netns", "add", probe).redirectErrorStream(true).start();
    String addOutput = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assumeTrue(add.waitFor() == 0, "skipped: ip netns add fails here: " + addOutput.trim());
    new ProcessBuilder("ip", "netns", "del", probe).start().waitFor();

    Path work = Files.createTempDirectory("bg-partition");
    ProcessBuilder script = new ProcessBuilder("bash", "src/test/partition/run", work.toString())
        .redirectErrorStream(true);
    script.environment().put("CP", System.getProperty("java.class.path"));
    script.environment().put("JAVA", Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    Process p = script.start();
    // Through System.out (the forked test JVM's own stdout carries Surefire's protocol).
    Thread echo = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        r.lines().forEach(System.out::println);
      } catch (IOException e) {
        // the script ended
      }
    }, "partition-script-output");
    echo.setDaemon(true);
    echo.start();
    if (!p.waitFor(12, TimeUnit.MINUTES)) {
      p.destroy();
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("src/test/partition/run did not finish in 12 minutes");
    }
    echo.join(10_000);
    assumeTrue(p.exitValue() != 2, "skipped: src/test/partition/run cannot run here (see its output)");
    assertThat(p.exitValue()).as("src/test/partition/run exit status").isZero();
    summary = new JsonObject(Files.readString(work.resolve("summary.json")));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private static JsonObject scenario(String mode, String kind) {
    JsonArray scenarios = summary.getJsonArray(mode);
    for (int i = 0; i < scenarios.size(); i++) {
      if (scenarios.getJsonObject(i).getString("scenario").equals(kind)) {
        return scenarios.getJsonObject(i);
      }
    }
    throw new AssertionError("no " + kind + " scenario for " + mode + " in " + summary.encode());
  }

  @Test
  void cpLocksNeverLetTwoRunsOverlapInEitherPartition() {
    for (String kind : new String[] {"cut-holder", "cut-standby"}) {
      JsonObject s = scenario("cp", kind);
      assertThat(s.getLong("overlapMillis")).as(kind + ": " + s.encode()).isZero();
      assertThat(s.getInteger("isolatedRuns")).as(kind + ": " + s.encode()).isZero();
      assertThat(s.getBoolean("duplicateTokens")).as(kind + ": " + s.encode()).isFalse();
    }
  }

  @Test
  void cpLocksGiveTheMajoritySideANewHolderWhenTheHolderIsCutOff() {
    JsonObject s = scenario("cp", "cut-holder");
    assertThat(s.getString("newHolder")).as(s.encode()).isNotNull().isNotEqualTo(s.getString("victim"));
    assertThat(s.getLong("newHolderToken")).as(s.encode()).isGreaterThan(s.getLong("tokenBefore"));
    assertThat(s.getJsonArray("fenced").encode()).as(s.encode()).contains(s.getString("victim"));
  }

  @Test
  void sharedDataLocksGiveTheMajoritySideANewHolderWhenTheHolderIsCutOff() {
    JsonObject s = scenario("shared-data", "cut-holder");
    assertThat(s.getString("newHolder")).as(s.encode()).isNotNull().isNotEqualTo(s.getString("victim"));
  }

  @Test
  void afterHealingExactlyOneHolderIsLeftInEveryScenario() {
    for (String mode : new String[] {"shared-data", "cp"}) {
      for (String kind : new String[] {"cut-holder", "cut-standby"}) {
        JsonObject s = scenario(mode, kind);
        assertThat(s.getBoolean("singleHolderAfterHeal")).as(mode + " " + kind + ": " + s.encode()).isTrue();
      }
    }
  }

  @Test
  void theBackoffStateCarriesOverToTheNewHolder() {
    for (String mode : new String[] {"shared-data", "cp"}) {
      JsonObject s = scenario(mode, "cut-holder");
      assertThat(s.getInteger("newHolderAttempt")).as(mode + ": " + s.encode())
          .isGreaterThanOrEqualTo(s.getInteger("attemptBefore"));
    }
  }
}
