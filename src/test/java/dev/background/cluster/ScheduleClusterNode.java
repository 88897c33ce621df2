package dev.background.cluster;

import dev.background.RunOption;
import dev.background.Schedule;
import dev.background.TaskHandle;
import dev.background.Tasks;
import dev.background.TasksOptions;
import io.vertx.core.Vertx;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

/**
 * One node of {@link ClusterScheduleFailoverTest}, in a JVM of its own so that the test can kill
 * it with SIGKILL. Arguments: node id, fire log file. It joins the cluster of
 * {@code cluster-test.xml} and schedules the singleton {@code tick}, a 1 s fixed rate whose every
 * fire appends {@code start <slot> <token> <node> <epochMillis>} and {@code end ...} to the log
 * around 300 ms of work (the slot in epoch milliseconds). Prints {@code READY <node>}, then obeys its standard input:
 * {@code STATUS} (prints {@code STATUS <status json>}) and {@code STOP}.
 */
public final class ScheduleClusterNode {

  public static void main(String[] args) throws Exception {
    String node = args[0];
    Path log = Paths.get(args[1]);
    Vertx vertx = ClusterVertx.start(Paths.get(
        ScheduleClusterNode.class.getResource("/cluster-test.xml").toURI()), "127.0.0.1").await();
    Tasks tasks = Tasks.create(vertx, new TasksOptions().setNodeId(node)
        .setSingletonRetryInterval(Duration.ofMillis(200)).setCloseTimeout(Duration.ofSeconds(5)));
    TaskHandle tick = tasks.schedule("tick", Schedule.fixedRate(Duration.ofSeconds(1)), ctx -> {
      String prefix = ctx.slot().orElseThrow().toEpochMilli() + " " + ctx.fencingToken() + " " + node;
      ClusterNode.append(log, "start " + prefix + " " + System.currentTimeMillis());
      Thread.sleep(300);
      ClusterNode.append(log, "end " + prefix + " " + System.currentTimeMillis());
    }, RunOption.singleton(), RunOption.exactName());
    System.out.println("READY " + node);

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("STATUS")) {
        System.out.println("STATUS " + tick.status().toJson().encode());
      } else if (line.equals("STOP")) {
        break;
      }
    }
    tasks.close().await();
    vertx.close().await();
    System.out.println("STOPPED " + node);
    System.exit(0);
  }
}
