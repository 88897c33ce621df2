package dev.background.demo;

import com.hazelcast.core.HazelcastInstance;
import dev.background.ConfigException;
import dev.background.Tasks;
import dev.background.TasksCloseTimeoutException;
import dev.background.TasksOptions;
import dev.background.verticle.TasksVerticle;
import dev.background.cluster.ClusterLogLevels;
import dev.background.cluster.ClusterOptions;
import dev.background.cluster.ClusterVertx;
import dev.background.cluster.CpSingletonLocks;
import dev.background.verticle.TasksVerticleOptions;
import dev.background.eventbus.TasksClient;
import dev.background.Durations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * DemoMain is the runnable demo: it starts Vert.x, deploys {@link dev.background.verticle.TasksVerticle}
 * from {@code conf/config.json} (or {@code -conf <file>}), prints a status table every few seconds
 * (read through {@link TasksClient}), and on Ctrl-C closes the tasks within the configured
 * {@code closeTimeout} and says how it went.
 *
 * <pre>
 * mvn -q compile exec:exec                       (arguments: -Dexec.args="--cluster --port 8081")
 * java -jar target/vertx-background-0.1.0-SNAPSHOT-fat.jar -conf conf/config.json
 * </pre>
 *
 * <p>Vert.x runs with vertx-micrometer-metrics and its Prometheus backend, so the tasks' meters
 * (and Vert.x's own) are served on {@code GET /metrics} next to the dashboard.
 *
 * <p>{@link #start(Vertx, JsonObject)} and {@link #stop()} run the same demo inside a test or
 * another application. An instance is thread-safe: {@link #stop()} may be called from any thread,
 * and more than once.
 */
public final class DemoMain {

  /** The configuration read when no {@code -conf} is given, relative to the working directory. */
  public static final String DEFAULT_CONF = "conf/config.json";

  /** How often the status table is printed: every 3 s. */
  public static final Duration DEFAULT_TABLE_INTERVAL = Duration.ofSeconds(3);

  private final Vertx vertx;
  private final String deploymentId;
  private final int httpPort;
  private final TasksVerticleOptions options;
  private final PrintStream out;
  private final long timerId;
  private final MeterRegistry ownRegistry;
  private Future<Void> stopped;

  private DemoMain(Vertx vertx, String deploymentId, int httpPort, TasksVerticleOptions options,
      PrintStream out, long timerId, MeterRegistry ownRegistry) {
    this.vertx = vertx;
    this.deploymentId = deploymentId;
    this.httpPort = httpPort;
    this.options = options;
    this.out = out;
    this.timerId = timerId;
    this.ownRegistry = ownRegistry;
  }

  /** Runs the demo until Ctrl-C. Arguments: {@code [-conf <file>]}. */
  public static void main(String[] args) {
    quietLoggingDefaults();
    Path conf;
    JsonObject config;
    try {
      Arguments arguments = arguments(args);
      conf = arguments.conf();
      config = applyArguments(readConfig(conf), arguments);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println("usage: DemoMain [-conf <file>] [--cluster] [--cp] [--port <n>] "
          + "[--host <address>]   (default "
          + DEFAULT_CONF + ")");
      System.exit(2);
      return;
    }
    Vertx vertx;
    try {
      vertx = vertx(config).await();
    } catch (Exception e) {
      System.err.println("Vert.x did not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    DemoMain demo;
    try {
      demo = start(vertx, config).await();
    } catch (Exception e) {
      System.err.println("The demo did not start: " + e.getMessage());
      vertx.close().await();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(demo::shutdown, "demo-shutdown"));
    System.out.println("vertx-background demo: " + demo.options.getTasks().size() + " tasks from "
        + conf + "; status every "
        + Durations.format(DEFAULT_TABLE_INTERVAL) + ". Press Ctrl-C to stop.");
    if (demo.httpPort() > 0) {
      String host = demo.options.getHttp().getString("host", "127.0.0.1");
      String root = demo.options.getHttp().getString("root", "/");
      String base = "http://" + host + ":" + demo.httpPort()
          + (root.endsWith("/") ? root : root + "/");
      System.out.println("Dashboard: " + base + "   metrics: " + base + "metrics");
    }
  }

  /** Deploys the demo on {@code vertx} with {@code config}, printing the table to stdout. */
  public static Future<DemoMain> start(Vertx vertx, JsonObject config) {
    return start(vertx, config, System.out, DEFAULT_TABLE_INTERVAL);
  }

  /**
   * Deploys a {@link dev.background.verticle.TasksVerticle} with {@code config} as its deployment config,
   * then prints the status table to {@code out} every {@code tableInterval}.
   *
   * <p>On a Vert.x with metrics (the demo's own) the verticle reports to the Vert.x registry (on
   * the shared tracker, or on one of its own when the config has a {@code metrics} section, as
   * {@code conf/config.json} does). On a Vert.x without metrics (a clustered one from
   * {@link ClusterVertx#start}, which takes no metrics options, or the caller's) it runs on a
   * tracker of the demo's own with a Prometheus registry, so {@code /metrics} answers in every
   * mode; that tracker takes the CP locks itself when {@code cluster.locks} is {@code "cp"}.
   *
   * @return the running demo; failed (with the config's message) when the deployment fails
   */
  public static Future<DemoMain> start(Vertx vertx, JsonObject config, PrintStream out,
      Duration tableInterval) {
    TasksVerticleOptions options;
    TasksVerticle verticle;
    JsonObject deployed;
    Tasks own = null;
    PrometheusMeterRegistry ownRegistry = null;
    try {
      options = new TasksVerticleOptions(config);
      if (vertx.isMetricsEnabled()) {
        verticle = new TasksVerticle();
        deployed = config;
      } else {
        boolean cp = cpLocks(options);
        // The verticle takes the metrics section only on a tracker of its own: this one takes it.
        TasksOptions tracker = options.getMetrics() == null ? new TasksOptions()
            : new TasksOptions(new JsonObject().put("metrics", options.getMetrics()));
        if (cp) {
          tracker.setSingletonLocks(new CpSingletonLocks(hazelcastOf(vertx)));
        }
        ownRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        own = Tasks.create(vertx, tracker.setMeterRegistry(ownRegistry));
        verticle = new TasksVerticle(own);
        // The verticle takes CP locks only on a tracker of its own; this one has them already.
        deployed = cp ? withoutLocks(config) : config.copy();
        deployed.remove("metrics");
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    TasksClient client = TasksClient.create(vertx, options.getAddress());
    Tasks ownTracker = own;
    MeterRegistry registry = ownRegistry;
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(deployed))
        .recover(e -> {
          if (registry != null) {
            registry.close();
          }
          return ownTracker == null ? Future.failedFuture(e)
              : ownTracker.close().transform(ar -> Future.failedFuture(e));
        })
        .map(id -> {
          long timer = vertx.setPeriodic(tableInterval.toMillis(), t -> client.list()
              .onSuccess(list -> out.print(System.lineSeparator()
                  + StatusTable.format(list, Instant.now()))));
          return new DemoMain(vertx, id, verticle.httpPort(), options, out, timer, registry);
        });
  }

  /** Whether the config asks for CP locks: {@code cluster.enabled} and {@code locks: "cp"}. */
  private static boolean cpLocks(TasksVerticleOptions options) {
    if (options.getCluster() == null) {
      return false;
    }
    ClusterOptions cluster;
    try {
      cluster = new ClusterOptions(options.getCluster());
    } catch (ConfigException e) {
      throw e.under("cluster");
    }
    return cluster.isEnabled() && ClusterOptions.LOCKS_CP.equals(cluster.getLocks());
  }

  /** The Hazelcast instance under {@code vertx}, for CP locks; the verticle's message otherwise. */
  private static HazelcastInstance hazelcastOf(Vertx vertx) {
    try {
      return ClusterVertx.hazelcast(vertx);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("cluster.locks", "\"cp\" needs a Vert.x started by "
          + "ClusterVertx.start (the demo: --cluster with conf/cluster-cp.xml)");
    }
  }

  /** {@code config} without {@code cluster.locks}. */
  private static JsonObject withoutLocks(JsonObject config) {
    JsonObject c = config.copy();
    c.getJsonObject("cluster").remove("locks");
    return c;
  }

  /** The port of the dashboard and status JSON, or -1 when {@code http} is not enabled. */
  public int httpPort() {
    return httpPort;
  }

  /** The deployment id of the demo's {@link dev.background.verticle.TasksVerticle}. */
  public String deploymentId() {
    return deploymentId;
  }

  /**
   * Stops printing and undeploys the verticle, which closes the tasks within {@code closeTimeout}.
   * Fails with {@link TasksCloseTimeoutException} when tasks were still running at the deadline.
   * Does not close Vert.x. Idempotent.
   */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      vertx.cancelTimer(timerId);
      stopped = vertx.undeploy(deploymentId).andThen(ar -> {
        if (ownRegistry != null) {
          ownRegistry.close();
        }
      });
    }
    return stopped;
  }

  /** The shutdown hook: stop, say how it went, close Vert.x. Blocks (it runs on its own thread). */
  private void shutdown() {
    Duration timeout = options.getCloseTimeout();
    out.println();
    out.println("Stopping: closing tasks (closeTimeout " + Durations.format(timeout) + ")...");
    long start = System.nanoTime();
    try {
      stop().toCompletionStage().toCompletableFuture()
          .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
      out.println("Closed cleanly in " + (System.nanoTime() - start) / 1_000_000
          + " ms: every task has stopped.");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof TasksCloseTimeoutException) {
        out.println("Close timed out after " + Durations.format(timeout) + "; still running: "
            + String.join(", ", ((TasksCloseTimeoutException) e.getCause()).stillRunning()));
      } else {
        out.println("Close failed: " + e.getCause());
      }
    } catch (Exception e) {
      out.println("Close did not finish: " + e);
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      out.println("Vert.x did not close: " + e);
    }
    out.flush();
  }

  /** The configuration file named by {@code args}: {@code -conf <file>}, else the default. */
  static Path confPath(String[] args) {
    return arguments(args).conf;
  }

  /** The command line: {@code [-conf <file>] [--cluster] [--cp] [--port <n>] [--host <address>]}. */
  record Arguments(Path conf, boolean cluster, boolean cp, Integer port, String host) {
  }

  static Arguments arguments(String[] args) {
    Path conf = Paths.get(DEFAULT_CONF);
    boolean cluster = false;
    boolean cp = false;
    Integer port = null;
    String host = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("-conf") || a.equals("--conf")) && i + 1 < args.length) {
        conf = Paths.get(args[++i]);
      } else if (a.equals("--cluster") || a.equals("-cluster")) {
        cluster = true;
      } else if (a.equals("--cp")) {
        cluster = true;
        cp = true;
      } else if (a.equals("--port") && i + 1 < args.length) {
        try {
          port = Integer.valueOf(args[++i]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--port: must be a number, was " + args[i]);
        }
      } else if (a.equals("--host") && i + 1 < args.length) {
        host = args[++i];
      } else {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
    }
    return new Arguments(conf, cluster, cp, port, host);
  }

  /**
   * Applies the arguments to the configuration read from the file: {@code --cluster} turns
   * {@code cluster.enabled} on; {@code --cp} also takes {@code conf/cluster-cp.xml} and CP locks
   * for singletons; {@code --port} sets {@code http.port}; {@code --host} sets {@code cluster.host},
   * the address the event bus binds to and announces (in Kubernetes: the pod's IP).
   */
  static JsonObject applyArguments(JsonObject config, Arguments arguments) {
    JsonObject c = config.copy();
    if (arguments.cluster()) {
      JsonObject cluster = c.getJsonObject("cluster", new JsonObject()).put("enabled", true);
      if (arguments.cp()) {
        cluster.put("hazelcastConfig", "conf/cluster-cp.xml").put("locks", "cp");
      }
      c.put("cluster", cluster);
    }
    if (arguments.host() != null) {
      c.put("cluster", c.getJsonObject("cluster", new JsonObject()).put("host", arguments.host()));
    }
    if (arguments.port() != null) {
      c.put("http", c.getJsonObject("http", new JsonObject().put("enabled", true))
          .put("port", arguments.port()));
    }
    return c;
  }

  /**
   * The demo's Vert.x: a clustered one when the configuration enables the cluster (see
   * {@link #start(Vertx, JsonObject, PrintStream, Duration)} for its metrics), else one with
   * vertx-micrometer-metrics and its Prometheus backend under the default registry name, where
   * the shared tracker finds it.
   */
  static Future<Vertx> vertx(JsonObject config) {
    ClusterOptions cluster;
    try {
      cluster = new ClusterOptions(config.getJsonObject("cluster", new JsonObject()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new IllegalArgumentException("cluster." + e.getMessage(), e));
    }
    if (!cluster.isEnabled()) {
      return Future.succeededFuture(Vertx.vertx(withMetrics(new VertxOptions())));
    }
    return ClusterVertx.start(cluster);
  }

  /**
   * {@code options} with vertx-micrometer-metrics on and its Prometheus backend: the lines an
   * application adds to its own Vert.x to have the tasks' metrics (README, "Add it to your
   * application").
   */
  static VertxOptions withMetrics(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setEnabled(true));
  }

  /**
   * Reads a JSON configuration file.
   *
   * @throws IllegalArgumentException saying which file and what was wrong
   */
  public static JsonObject readConfig(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file (run from the project directory, "
          + "or pass -conf <file>)");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage());
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new IllegalArgumentException(file + ": not a JSON object: " + e.getMessage());
    }
  }

  /** Short, timestamped log lines, unless the user configured slf4j-simple otherwise. */
  private static void quietLoggingDefaults() {
    defaultProperty("org.slf4j.simpleLogger.showDateTime", "true");
    defaultProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    defaultProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    defaultProperty("org.slf4j.simpleLogger.showThreadName", "false");
    defaultProperty("org.slf4j.simpleLogger.log.com.hazelcast", "warn");
    ClusterLogLevels.applyAsSimpleLoggerDefaults(); // a lost member: one WARN line, no traces
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
