package dev.background.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.background.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;

/**
 * ClusterVertx starts a clustered Vert.x on Hazelcast from a Hazelcast XML configuration, with the
 * event bus bound to a given host (the demo and the tests use {@code conf/cluster.xml} and
 * 127.0.0.1). {@link #start(ClusterOptions)} also applies the {@code cluster} keys that override the
 * file: the cluster name, the member port and port count, and the event-bus port. Membership,
 * discovery and failure detection are Hazelcast's; nothing here replaces them. Each member that
 * leaves is logged as one WARN line ({@code MembershipLog}); with the CP subsystem on, a member
 * promotes itself to CP member when the CP group lacks members ({@code CpGroupHealer}). Stateless
 * and thread-safe.
 */
public final class ClusterVertx {

  private static final Map<Vertx, HazelcastClusterManager> MANAGERS = new WeakHashMap<>();

  private ClusterVertx() {
  }

  /**
   * Starts a clustered Vert.x from the file {@code hazelcastXml} as it is, the event bus on any
   * free port of {@code eventBusHost}.
   *
   * @param hazelcastXml the Hazelcast configuration file
   * @param eventBusHost the address the event bus binds to and announces (e.g. 127.0.0.1)
   * @return the Vert.x instance once it has joined the cluster; failed with a message naming the
   *     file when it cannot be read
   */
  public static Future<Vertx> start(Path hazelcastXml, String eventBusHost) {
    return start(new ClusterOptions().setHazelcastConfig(hazelcastXml.toString())
        .setHost(eventBusHost));
  }

  /**
   * Starts a clustered Vert.x as {@code options} say: Hazelcast from the file
   * {@code hazelcastConfig} with {@code clusterName}, {@code port} and {@code portCount} applied
   * over it when set (see {@link #hazelcastConfig(ClusterOptions)}), and the event bus bound to
   * {@code host}:{@code eventBusPort}, announcing {@code host}.
   *
   * @param options the {@code cluster} section; only the keys above are read
   * @return the Vert.x instance once it has joined the cluster; failed with a message naming the
   *     file when it cannot be read, or with a {@link ConfigException} at {@code cluster.portCount}
   *     when the port range passes 65535
   */
  public static Future<Vertx> start(ClusterOptions options) {
    Objects.requireNonNull(options, "ClusterVertx.start: options must not be null");
    Config config;
    try {
      config = hazelcastConfig(options);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    VertxOptions vertxOptions = new VertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(options.getHost()).setClusterPublicHost(options.getHost())
        .setPort(options.getEventBusPort()));
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    return Vertx.builder().with(vertxOptions).withClusterManager(manager).buildClustered()
        .onSuccess(vertx -> {
          synchronized (MANAGERS) {
            MANAGERS.put(vertx, manager);
          }
          MembershipLog log = new MembershipLog(vertx);
          manager.getHazelcastInstance().getCluster().addMembershipListener(log);
          manager.getHazelcastInstance().getLifecycleService().addLifecycleListener(log);
          CpGroupHealer.install(vertx, manager.getHazelcastInstance());
        });
  }

  /**
   * The Hazelcast configuration {@link #start(ClusterOptions)} starts with: the file
   * {@code hazelcastConfig} read by Hazelcast's own loader (which also applies Hazelcast's
   * {@code HZ_*} environment and {@code hz.*} system-property overrides), then, when set,
   * {@code clusterName} as the cluster name, {@code port} as the member port, and
   * {@code portCount} as the port count (auto-increment on when it is above 1, off at 1). Keys
   * that are not set leave the file's values.
   *
   * @param options the {@code cluster} section
   * @return a new configuration
   * @throws IllegalArgumentException naming the file when it cannot be read or parsed
   * @throws ConfigException at {@code cluster.portCount} when the port range in effect passes 65535
   */
  public static Config hazelcastConfig(ClusterOptions options) {
    Path xml = Paths.get(options.getHazelcastConfig());
    Config config;
    try {
      if (!Files.isReadable(xml)) {
        throw new IOException("not a readable file");
      }
      config = Config.loadFromFile(xml.toFile());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "cluster: cannot read the Hazelcast configuration " + xml + ": " + e.getMessage(), e);
    }
    if (options.getClusterName() != null) {
      config.setClusterName(options.getClusterName());
    }
    NetworkConfig network = config.getNetworkConfig();
    if (options.getPort() != null) {
      network.setPort(options.getPort());
    }
    if (options.getPortCount() != null) {
      network.setPortCount(options.getPortCount());
      network.setPortAutoIncrement(options.getPortCount() > 1);
    }
    int last = network.getPort() + (network.isPortAutoIncrement() ? network.getPortCount() - 1 : 0);
    if (last > 65535) {
      throw new ConfigException("cluster.portCount", "port " + network.getPort() + " with portCount "
          + network.getPortCount() + " reaches " + last + ", past 65535");
    }
    return config;
  }

  /**
   * The Hazelcast instance under a Vert.x started by {@link #start}, for what Vert.x does not
   * expose (such as the CP subsystem of {@link CpSingletonLocks}).
   *
   * @param vertx a Vert.x started by {@link #start}
   * @return its Hazelcast instance
   * @throws IllegalArgumentException when {@code vertx} was not started here
   */
  public static HazelcastInstance hazelcast(Vertx vertx) {
    return manager(vertx).getHazelcastInstance();
  }

  /** The cluster manager of a Vert.x started by {@link #start}, or null. */
  static HazelcastClusterManager managerOrNull(Vertx vertx) {
    synchronized (MANAGERS) {
      return MANAGERS.get(vertx);
    }
  }

  /** The cluster manager of a Vert.x started by {@link #start}. */
  static HazelcastClusterManager manager(Vertx vertx) {
    HazelcastClusterManager manager = managerOrNull(vertx);
    if (manager == null) {
      throw new IllegalArgumentException("ClusterVertx.hazelcast: this Vert.x was not started by "
          + "ClusterVertx.start");
    }
    return manager;
  }
}
