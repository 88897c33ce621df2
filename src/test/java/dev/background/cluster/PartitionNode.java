package dev.background.cluster;

import dev.background.Backoff;
import dev.background.RunOption;
import dev.background.TaskEvent;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One node of the network-partition test ({@code src/test/partition/run}), started inside a
 * network namespace of its own. Arguments: node id, its address, the Hazelcast file, the lock mode
 * ({@code shared-data} or {@code cp}), the run log, the cluster name.
 *
 * <p>It runs one singleton, {@code partition-singleton}, with the shipped defaults (retry interval
 * 1 s; in CP mode {@link CpSingletonLocks} with its default margin). Each run appends
 * {@code start <token> <node> <epochMillis> <attempt>} to the run log, works for 4 s (or until
 * cancelled: it honours cancellation and is interrupted, {@code interruptOnCancel}), appends
 * {@code end <token> <node> <epochMillis> <attempt>} and fails, so that its backoff state (the
 * attempt) grows and can be seen to carry over to the next holder. A {@code fenced} event appends
 * {@code fenced 0 <node> <epochMillis> <attempt>}. Prints {@code READY <node>} once the
 * singleton is submitted; SIGTERM closes it.
 */
public final class PartitionNode {

  static final String TASK = "partition-singleton";
  /** How long each run works before it fails. */
  static final long RUN_MILLIS = 4_000;

  private PartitionNode() {
  }

  static synchronized void append(Path log, String line) {
    try {
      Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void main(String[] args) throws Exception {
    ClusterLogLevels.applyAsSimpleLoggerDefaults();
    String node = args[0];
    String host = args[1];
    String xml = args[2];
    boolean cp = args[3].equals("cp");
    Path log = Paths.get(args[4]);
    String clusterName = args[5];

    Vertx vertx = ClusterVertx.start(new ClusterOptions().setHazelcastConfig(xml)
        .setClusterName(clusterName).setHost(host)).await();
    TasksOptions options = new TasksOptions().setNodeId(node).setCloseTimeout(Duration.ofSeconds(5));
    if (cp) {
      options.setSingletonLocks(new CpSingletonLocks(ClusterVertx.hazelcast(vertx)));
    }
    Tasks tasks = Tasks.create(vertx, options);
    tasks.addListener(e -> {
      if (e.type() == TaskEvent.Type.FENCED) {
        append(log, "fenced 0 " + node + " " + e.at().toEpochMilli() + " " + e.attempt());
      }
    });
    Backoff backoff = Backoff.builder().initialInterval(Duration.ofMillis(250)).multiplier(2)
        .randomizationFactor(0).maxInterval(Duration.ofSeconds(1)).build();
    tasks.run(TASK, ctx -> {
      long token = ctx.fencingToken();
      append(log, "start " + token + " " + node + " " + System.currentTimeMillis() + " " + ctx.attempt());
      try {
        ctx.onCancel().toCompletionStage().toCompletableFuture().get(RUN_MILLIS, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        // worked its 4 s
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        append(log, "end " + token + " " + node + " " + System.currentTimeMillis() + " " + ctx.attempt());
      }
      if (!ctx.isCancelled()) {
        throw new IllegalStateException("run " + ctx.attempt() + " failed (on purpose)");
      }
    }, backoff, RunOption.singleton(), RunOption.interruptOnCancel(), RunOption.exactName());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        tasks.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.out.println("CLOSE " + e);
      }
    }));
    System.out.println("READY " + node);
  }
}
