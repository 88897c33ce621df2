package dev.background.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * ClusterVertx starts a clustered Vert.x on Hazelcast from a Hazelcast XML configuration, with the
 * event bus bound to a given host (the demo and the tests use {@code conf/cluster.xml} and
 * 127.0.0.1). Membership, discovery and failure detection are Hazelcast's; nothing here replaces
 * them. Stateless and thread-safe.
 */
public final class ClusterVertx {

  private static final Map<Vertx, HazelcastClusterManager> MANAGERS = new WeakHashMap<>();

  private ClusterVertx() {
  }

  /**
   * Starts a clustered Vert.x.
   *
   * @param hazelcastXml the Hazelcast configuration file
   * @param eventBusHost the address the event bus binds to and announces (e.g. 127.0.0.1)
   * @return the Vert.x instance once it has joined the cluster; failed with a message naming the
   *     file when it cannot be read
   */
  public static Future<Vertx> start(Path hazelcastXml, String eventBusHost) {
    Config config;
    try {
      if (!Files.isReadable(hazelcastXml)) {
        throw new IOException("not a readable file");
      }
      config = Config.loadFromFile(hazelcastXml.toFile());
    } catch (IOException | RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException(
          "cluster: cannot read the Hazelcast configuration " + hazelcastXml + ": " + e.getMessage(), e));
    }
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions()
        .setHost(eventBusHost).setClusterPublicHost(eventBusHost));
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .onSuccess(vertx -> {
          synchronized (MANAGERS) {
            MANAGERS.put(vertx, manager);
          }
        });
  }

  /**
   * The Hazelcast instance under a Vert.x started by {@link #start}, for what Vert.x does not
   * expose (such as the CP subsystem of {@link CpSingletonLocks}).
   *
   * @throws IllegalArgumentException when {@code vertx} was not started here
   */
  public static HazelcastInstance hazelcast(Vertx vertx) {
    HazelcastClusterManager manager;
    synchronized (MANAGERS) {
      manager = MANAGERS.get(vertx);
    }
    if (manager == null) {
      throw new IllegalArgumentException("ClusterVertx.hazelcast: this Vert.x was not started by "
          + "ClusterVertx.start");
    }
    return manager.getHazelcastInstance();
  }
}
