package dev.background.verticle;

import dev.background.TaskHandle;
import dev.background.Tasks;
import dev.background.TasksCloseTimeoutException;
import dev.background.TasksOptions;
import dev.background.verticle.DeclaredTasks;
import dev.background.verticle.TasksVerticleOptions;
import dev.background.eventbus.ControlHandler;
import dev.background.eventbus.EventPublisher;
import dev.background.control.TaskStarter;
import dev.background.cluster.ClusterControl;
import dev.background.cluster.ClusterOptions;
import dev.background.cluster.ClusterVertx;
import dev.background.cluster.CpSingletonLocks;
import com.hazelcast.core.HazelcastInstance;
import dev.background.ConfigException;
import dev.background.web.TasksHttpServer;
import dev.background.web.TasksWebOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * TasksVerticle puts a {@link Tasks} tracker into a Vert.x application: it starts the tasks
 * declared in its JSON configuration, answers control requests on the event bus, publishes
 * lifecycle events, and closes the tracker when undeployed.
 *
 * <pre>{@code
 * vertx.deployVerticle("dev.background.verticle.TasksVerticle",
 *     new DeploymentOptions().setConfig(new JsonObject().put("tasks", new JsonArray()
 *         .add(new JsonObject().put("name", "poller").put("class", "com.acme.Poller")))));
 * }</pre>
 *
 * <ul>
 * <li>Configuration: see {@link TasksVerticleOptions} (keys {@code address}, {@code eventsAddress},
 *   {@code closeTimeout}, {@code defaultBackoff}, {@code tasks}, {@code http}). A bad configuration
 *   fails the deployment with one {@link dev.background.ConfigException} naming the key path,
 *   and nothing starts.</li>
 * <li>Control: requests on {@code address}, see {@link ControlHandler} and the typed
 *   {@link dev.background.eventbus.TasksClient}.</li>
 * <li>Events: every transition of every task of the tracker is published on {@code eventsAddress},
 *   see {@link EventPublisher}.</li>
 * <li>Cluster: with {@code cluster.enabled} on a clustered Vert.x, {@code list} answers with
 *   every node's tasks and control actions reach every node that runs the task (see
 *   {@link dev.background.cluster.ClusterControlHandler}); HTTP status and control go through
 *   the same fan-out. Needs {@code io.vertx:vertx-hazelcast}. {@code cluster.locks: "cp"},
 *   {@code cluster.singletonRetryInterval} and {@code cluster.nodeId} make the verticle use a
 *   tracker of its own with those settings; a verticle given a tracker refuses them.</li>
 * <li>Metrics: {@code metrics.histogram} and {@code metrics.tagKeys} (see
 *   {@link TasksOptions#setHistogram(boolean)}, {@link TasksOptions#setMetricTagKeys}) make the
 *   verticle use a tracker of its own with those settings; a verticle given a tracker refuses
 *   them.</li>
 * <li>HTTP: with {@code http.enabled}, status JSON, metrics, the dashboard and guarded control
 *   are served on {@code http.host}:{@code http.port} (see {@link TasksWebOptions}); the bound
 *   port is logged and given by {@link #httpPort()}. Needs {@code io.vertx:vertx-web}.</li>
 * <li>Optional dependencies: without vertx-web (or vertx-hazelcast) the verticle deploys as long
 *   as {@code http.enabled} (or {@code cluster.enabled}) is off; when it is on, the deployment
 *   fails with a {@link dev.background.ConfigException} naming the missing artifact
 *   ({@code http: needs io.vertx:vertx-web on the classpath}).</li>
 * <li>Undeploy: closes the tracker with {@code closeTimeout}; the undeploy future fails with
 *   {@link TasksCloseTimeoutException}, naming the tasks still running, when the deadline
 *   passes.</li>
 * </ul>
 *
 * <p>Deployed by class name (or with {@link #TasksVerticle()}), it uses the Vert.x instance's
 * shared tracker {@link Tasks#of} (or one of its own, see Cluster above);
 * {@link #TasksVerticle(Tasks)} uses the given one. Either way the tracker is closed on undeploy.
 * Deploy one instance per tracker: a second would declare the same names. Like every verticle, an
 * instance is used by its own event loop only.
 */
public class TasksVerticle extends VerticleBase {

  private final Tasks given;
  private final TasksVerticleOptions givenOptions;

  private Tasks tasks;
  private TasksVerticleOptions options;
  private EventPublisher publisher;
  private MessageConsumer<Object> consumer;
  private HttpServer httpServer;
  private ClusterControl clusterControl;

  /** A verticle configured by its deployment's JSON config, on the shared tracker. */
  public TasksVerticle() {
    this.given = null;
    this.givenOptions = null;
  }

  /** A verticle configured by its deployment's JSON config, around {@code tasks}. */
  public TasksVerticle(Tasks tasks) {
    this.given = Objects.requireNonNull(tasks, "TasksVerticle: tasks must not be null");
    this.givenOptions = null;
  }

  /**
   * A verticle around {@code tasks} configured by {@code options} (copied; the deployment's JSON
   * config is then ignored).
   */
  public TasksVerticle(Tasks tasks, TasksVerticleOptions options) {
    this.given = Objects.requireNonNull(tasks, "TasksVerticle: tasks must not be null");
    this.givenOptions = new TasksVerticleOptions(
        Objects.requireNonNull(options, "TasksVerticle: options must not be null"));
  }

  /** The tracker, once started. */
  public Tasks tasks() {
    return tasks;
  }

  /** The port the HTTP server is bound to, or -1 when HTTP is not enabled (or not started yet). */
  public int httpPort() {
    return httpServer == null ? -1 : httpServer.actualPort();
  }

  /** The configuration in effect, once started (a copy). */
  public TasksVerticleOptions options() {
    return options == null ? null : new TasksVerticleOptions(options);
  }

  @Override
  public Future<?> start() {
    DeclaredTasks declared;
    Tasks tracker;
    TasksWebOptions web;
    ClusterOptions cluster;
    try {
      TasksVerticleOptions o = givenOptions != null ? new TasksVerticleOptions(givenOptions)
          : new TasksVerticleOptions(config());
      cluster = clusterOptions(o);
      if (cluster != null) {
        OptionalFeature.CLUSTER.require();
      }
      String trackerSetting = cluster == null ? null : cluster.trackerSetting();
      if (given != null && "locks".equals(trackerSetting)) {
        throw new ConfigException("cluster.locks", "\"cp\" applies when the verticle makes its own "
            + "tracker; give yours TasksOptions.setSingletonLocks(new CpSingletonLocks(...)) instead");
      }
      if (given != null && trackerSetting != null) {
        String setter = "nodeId".equals(trackerSetting) ? "setNodeId" : "setSingletonRetryInterval";
        throw new ConfigException("cluster." + trackerSetting, "applies when the verticle makes its "
            + "own tracker; give yours TasksOptions." + setter + "(...) instead");
      }
      if (given != null && o.getMetrics() != null) {
        throw new ConfigException("metrics", "applies when the verticle makes its own tracker; "
            + "give yours TasksOptions.setHistogram(...) and setMetricTagKeys(...) instead");
      }
      web = webOptions(o);
      if (web != null) {
        OptionalFeature.HTTP.require();
      }
      if (web != null && cluster != null) {
        web.setClusterAddress(o.getAddress());
      }
      tracker = given != null ? given : sharedOrOwnTracker(cluster, o.getMetrics());
      declared = new DeclaredTasks(tracker, o);
      options = o;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (tracker.isClosed()) {
      return Future.failedFuture(new IllegalStateException("TasksVerticle: the tracker is closed"));
    }
    tasks = tracker;
    publisher = new EventPublisher(vertx, context, options.getEventsAddress());
    tasks.addListener(publisher);
    ControlHandler handler = new ControlHandler(vertx, tasks, starter(declared));
    Future<?> control;
    if (cluster != null) {
      control = ClusterControl.start(vertx, options.getAddress(), tasks.nodeId(), handler, cluster)
          .onSuccess(c -> clusterControl = c);
    } else {
      consumer = vertx.eventBus().consumer(options.getAddress(), handler);
      control = consumer.completion();
    }
    return control
        .compose(v -> web == null ? Future.succeededFuture()
            : TasksHttpServer.start(vertx, tasks, web, starter(declared))
                .onSuccess(s -> httpServer = s))
        .map(v -> declared.startAll())
        .recover(e -> {
          tasks.removeListener(publisher);
          return stopServing().transform(ar -> Future.failedFuture(e));
        });
  }

  /** Stops answering: the HTTP server, the control consumer, the cluster registration. */
  private Future<Void> stopServing() {
    Future<Void> http = httpServer == null ? Future.succeededFuture() : httpServer.close();
    Future<Void> control = clusterControl != null ? clusterControl.stop()
        : consumer != null ? consumer.unregister() : Future.succeededFuture();
    return Future.join(http, control).mapEmpty();
  }

  /**
   * {@code Tasks.of(vertx)}, unless the {@code cluster} section sets a tracker setting
   * ({@code locks: "cp"}, {@code singletonRetryInterval}, {@code nodeId}): then a tracker of the
   * verticle's own with those settings (for {@code "cp"}, singletons lock on Hazelcast's CP
   * subsystem), or a {@code metrics} section.
   */
  private Tasks sharedOrOwnTracker(ClusterOptions cluster, JsonObject metrics) {
    boolean clusterSettings = cluster != null && cluster.trackerSetting() != null;
    if (!clusterSettings && metrics == null) {
      return Tasks.of(vertx);
    }
    TasksOptions own = metrics == null ? new TasksOptions()
        : new TasksOptions(new JsonObject().put("metrics", metrics.copy()));
    if (clusterSettings) {
      own = cluster.applyTo(own);
    }
    if (clusterSettings && ClusterOptions.LOCKS_CP.equals(cluster.getLocks())) {
      HazelcastInstance hazelcast;
      try {
        hazelcast = ClusterVertx.hazelcast(vertx);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("cluster.locks", "\"cp\" needs a Vert.x started by "
            + "ClusterVertx.start (the demo: --cluster with conf/cluster-cp.xml)");
      }
      own.setSingletonLocks(new CpSingletonLocks(hazelcast));
    }
    return Tasks.create(vertx, own);
  }

  /** The checked {@code cluster} section, or null when the cluster view is off. */
  private static ClusterOptions clusterOptions(TasksVerticleOptions options) {
    if (options.getCluster() == null) {
      return null;
    }
    try {
      ClusterOptions cluster = new ClusterOptions(options.getCluster());
      return cluster.isEnabled() ? cluster : null;
    } catch (ConfigException e) {
      throw e.under("cluster");
    }
  }

  /** The checked {@code http} section, or null when HTTP is off. */
  private static TasksWebOptions webOptions(TasksVerticleOptions options) {
    if (options.getHttp() == null) {
      return null;
    }
    try {
      TasksWebOptions web = new TasksWebOptions(options.getHttp()).validate();
      return web.isEnabled() ? web : null;
    } catch (ConfigException e) {
      throw e.under("http");
    }
  }

  private static TaskStarter starter(DeclaredTasks declared) {
    return new TaskStarter() {
      @Override
      public TaskHandle start(String name) {
        return declared.start(name);
      }

      @Override
      public boolean isDeclared(String name) {
        return declared.isDeclared(name);
      }
    };
  }

  /**
   * Closes the tracker with {@code closeTimeout}; the control consumer answers until then (refusing
   * changes with 409, except cancel, which answers the final status). Fails with
   * {@link TasksCloseTimeoutException} when tasks are still running at the deadline. The events of the close, {@code closed} last, are published before this
   * completes.
   */
  @Override
  public Future<?> stop() {
    if (tasks == null) {
      return Future.succeededFuture();
    }
    return tasks.close(options.getCloseTimeout()).eventually(() -> {
      tasks.removeListener(publisher);
      return Future.join(publisher.flush(), stopServing());
    });
  }
}
