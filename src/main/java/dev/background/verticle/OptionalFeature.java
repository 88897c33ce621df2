package dev.background.verticle;

import dev.background.ConfigException;

/**
 * The features of {@link TasksVerticle} that need an optional dependency, and the one check that
 * the dependency is on the class path. The verticle calls {@link #require} before it touches a
 * class of the feature, so an application without the artifact deploys the verticle as long as
 * its configuration does not ask for the feature, and gets a {@link ConfigException} naming the
 * artifact when it does. Stateless.
 */
enum OptionalFeature {

  /** {@code http}: the status, metrics, dashboard and control server. */
  HTTP("http", "io.vertx:vertx-web", "io.vertx.ext.web.Router"),

  /** {@code cluster}: the cluster-wide view and control, and CP locks. */
  CLUSTER("cluster", "io.vertx:vertx-hazelcast",
      "io.vertx.spi.cluster.hazelcast.HazelcastClusterManager");

  private final String key;
  private final String artifact;
  private final String marker;

  OptionalFeature(String key, String artifact, String marker) {
    this.key = key;
    this.artifact = artifact;
    this.marker = marker;
  }

  /**
   * Whether the feature's artifact is on the class path: its marker class loads (without being
   * initialized).
   */
  boolean isAvailable() {
    try {
      Class.forName(marker, false, OptionalFeature.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Does nothing when the feature is available.
   *
   * @throws ConfigException {@code <key>: needs <artifact> on the classpath} otherwise
   */
  void require() {
    if (!isAvailable()) {
      throw new ConfigException(key, "needs " + artifact + " on the classpath");
    }
  }
}
