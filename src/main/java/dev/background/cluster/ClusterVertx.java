package dev.background.cluster;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ClusterVertx starts a clustered Vert.x on Hazelcast from a Hazelcast XML configuration, with the
 * event bus bound to a given host (the demo and the tests use {@code conf/cluster.xml} and
 * 127.0.0.1). Membership, discovery and failure detection are Hazelcast's; nothing here replaces
 * them. Stateless and thread-safe.
 */
public final class ClusterVertx {

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
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(config))
        .buildClustered();
  }
}
