package dev.background.cluster;

import dev.background.AsyncTask;
import dev.background.Task;
import dev.background.TaskContext;
import dev.background.Tasks;
import dev.background.TasksOptions;
import dev.background.verticle.TasksVerticle;
import dev.background.eventbus.TasksClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One node of the cluster tests, in a JVM of its own so that a test can kill it with SIGKILL.
 * Arguments: node id, run log file. It joins the cluster {@code -Dbg.cluster.name} with the shipped
 * {@code conf/cluster.xml} (or {@code -Dbg.hazelcast.config}) and the default singleton retry
 * interval, applies the demo's {@link ClusterLogLevels}, deploys a
 * {@link TasksVerticle} with a singleton {@code billing} and a local task {@code local-<node>},
 * prints {@code READY <node> <httpPort> <hazelcastPort>}, then obeys its standard input: {@code SEND <json>}
 * (prints {@code REPLY <json>} or {@code FAIL <code> <message>}), {@code CLIENT-LIST} (lists through
 * {@link TasksClient}, prints {@code CLIENT <names>}), {@code LISTS <n>} (sends {@code n} lists at
 * once on the event bus with Vert.x's default 30 s send timeout, prints {@code LISTED <ms>
 * <unreachable> <answered>} or {@code LISTFAIL <ms> <message>} for each), {@code CP-MEMBERS}
 * (prints {@code CP <CP members> <of them in the cluster> <members of the default CP group in
 * the cluster>}) and {@code STOP} (undeploys, closes
 * Vert.x, prints {@code STOPPED <node> <milliseconds it took>}). With {@code -Dbg.locks=cp} its
 * singletons lock on the CP subsystem (give it {@code -Dbg.hazelcast.config=conf/cluster-cp.xml});
 * {@code -Dbg.port=<port>} makes it a member on that port only.
 */
public final class ClusterNode {

  static final String ADDRESS = "background.tasks";

  /**
   * The singleton: appends {@code start <token> <node> <epochMillis>} to the run log, works until
   * cancelled, then appends {@code end ...}.
   */
  public static final class RecordingSingleton implements Task {
    @Override
    public void run(TaskContext ctx) throws Exception {
      Path log = Paths.get(ctx.config().getString("log"));
      String node = ctx.config().getString("node");
      append(log, "start " + ctx.fencingToken() + " " + node + " " + System.currentTimeMillis());
      try {
        ctx.onCancel().toCompletionStage().toCompletableFuture().get();
      } finally {
        append(log, "end " + ctx.fencingToken() + " " + node + " " + System.currentTimeMillis());
      }
    }
  }

  /** A local task that waits for cancellation. */
  public static final class Waits implements AsyncTask {
    @Override
    public Future<Void> run(TaskContext ctx) {
      return ctx.onCancel();
    }
  }

  static synchronized void append(Path log, String line) throws IOException {
    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.SYNC);
  }

  /**
   * Sends as a careful client would: a short timeout, and another try when the event bus handed
   * the request to a node that has just died (it does until Hazelcast removes that member).
   */
  private static String send(Vertx vertx, JsonObject request) {
    ReplyException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        JsonObject reply = vertx.eventBus().<JsonObject>request(ADDRESS, request,
            new DeliveryOptions().setSendTimeout(4_000)).await().body();
        return "REPLY " + reply.encode();
      } catch (ReplyException e) {
        last = e;
        if (e.failureType() != ReplyFailure.TIMEOUT) {
          break;
        }
      }
    }
    return "FAIL " + last.failureCode() + " " + last.getMessage();
  }

  /** Sends {@code n} cluster-wide lists at once, as plain requests with the default timeout. */
  private static void lists(Vertx vertx, int n) {
    for (int i = 0; i < n; i++) {
      long sent = System.nanoTime();
      vertx.eventBus().<JsonObject>request(ADDRESS, new JsonObject().put("action", "list"))
          .onComplete(ar -> {
            long ms = (System.nanoTime() - sent) / 1_000_000;
            System.out.println(ar.succeeded()
                ? "LISTED " + ms + " " + ar.result().body().getJsonArray("unreachable").encode()
                    + " " + ar.result().body().getJsonArray("nodes").encode()
                : "LISTFAIL " + ms + " " + ar.cause());
          });
    }
  }

  public static void main(String[] args) throws Exception {
    ClusterLogLevels.applyAsSimpleLoggerDefaults(); // as the demo does: one WARN per lost member
    String node = args[0];
    String log = args[1];
    // The shipped Hazelcast file and singleton retry interval, with a cluster name of the test's own.
    ClusterOptions clusterOptions = new ClusterOptions()
        .setHazelcastConfig(System.getProperty("bg.hazelcast.config", "conf/cluster.xml"))
        .setClusterName(System.getProperty("bg.cluster.name")).setHost("127.0.0.1");
    if (Integer.getInteger("bg.port") != null) {
      clusterOptions.setPort(Integer.getInteger("bg.port")).setPortCount(1);
    }
    Vertx vertx = ClusterVertx.start(clusterOptions).await();
    TasksOptions options = new TasksOptions().setNodeId(node).setCloseTimeout(Duration.ofSeconds(5));
    if ("cp".equals(System.getProperty("bg.locks"))) {
      options.setSingletonLocks(new CpSingletonLocks(ClusterVertx.hazelcast(vertx)));
    }
    Tasks tasks = Tasks.create(vertx, options);
    JsonObject config = new JsonObject()
        .put("address", ADDRESS)
        .put("cluster", new JsonObject().put("enabled", true).put("replyTimeout", "1s"))
        .put("http", new JsonObject().put("enabled", true).put("port", 0))
        .put("tasks", new JsonArray()
            .add(new JsonObject().put("name", "billing").put("class", RecordingSingleton.class.getName())
                .put("options", new JsonObject().put("singleton", true))
                .put("config", new JsonObject().put("log", log).put("node", node)))
            .add(new JsonObject().put("name", "local-" + node).put("class", Waits.class.getName())));
    TasksVerticle verticle = new TasksVerticle(tasks);
    String id = vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await();
    System.out.println("READY " + node + " " + verticle.httpPort() + " "
        + ClusterVertx.hazelcast(vertx).getCluster().getLocalMember().getAddress().getPort());

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("SEND ")) {
        System.out.println(send(vertx, new JsonObject(line.substring(5))));
      } else if (line.equals("CLIENT-LIST")) {
        // The typed client, as an application on this node would use it.
        TasksClient client = TasksClient.create(vertx, ADDRESS, new DeliveryOptions().setSendTimeout(4_000));
        JsonArray names = new JsonArray();
        client.list().await().forEach(s -> names.add(s.name() + "@" + s.node()));
        System.out.println("CLIENT " + names.encode());
      } else if (line.startsWith("LISTS ")) {
        lists(vertx, Integer.parseInt(line.substring(6)));
      } else if (line.equals("CP-MEMBERS")) {
        var cp = ClusterVertx.hazelcast(vertx).getCPSubsystem();
        var members = cp.getCPSubsystemManagementService().getCPMembers().toCompletableFuture()
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
        // A CP member's UUID is its own, not its cluster member's: compare addresses.
        var live = new java.util.HashSet<com.hazelcast.cluster.Address>();
        ClusterVertx.hazelcast(vertx).getCluster().getMembers().forEach(m -> live.add(m.getAddress()));
        long present = members.stream().filter(m -> live.contains(m.getAddress())).count();
        var group = cp.getCPSubsystemManagementService().getCPGroup("default").toCompletableFuture()
            .get(10, java.util.concurrent.TimeUnit.SECONDS);
        long inGroup = group == null ? 0 : group.members().stream()
            .filter(m -> live.contains(m.getAddress())).count();
        System.out.println("CP " + members.size() + " " + present + " " + inGroup);
      } else if (line.equals("STOP")) {
        break;
      }
    }
    long stopping = System.nanoTime();
    vertx.undeploy(id).await();
    vertx.close().await();
    System.out.println("STOPPED " + node + " " + (System.nanoTime() - stopping) / 1_000_000);
    System.exit(0);
  }
}
