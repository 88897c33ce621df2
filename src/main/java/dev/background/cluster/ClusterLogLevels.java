package dev.background.cluster;

import java.util.Map;

/**
 * Log levels that keep an expected member loss to one WARN line ({@code MembershipLog}: "member
 * ... left the cluster") instead of a burst of traces on every survivor. When a peer is killed,
 * its connections are reset, and each survivor's Hazelcast warns about the closed connection (with
 * a {@code SocketException} trace), the refused reconnections, the member it suspects, the new
 * master and partition table, operations sent to a member that is gone and map replicas without an
 * owner for a moment; it may also log an internal {@code ResponseAlreadySentException} race as an
 * ERROR. Vert.x logs the reset event-bus connection as {@code ERROR ConnectionBase - Connection
 * reset} and warns, with a trace, that it cannot connect to the dead node. All of them say what
 * the one WARN line says.
 *
 * <p>{@link #LEVELS} names the loggers: at ERROR {@code com.hazelcast.internal.server.tcp},
 * {@code com.hazelcast.internal.cluster}, {@code com.hazelcast.internal.partition},
 * {@code com.hazelcast.map.impl.LocalMapStatsProvider},
 * {@code com.hazelcast.spi.impl.operationservice}, {@code io.vertx.core.eventbus.impl.clustered} and
 * {@code com.hazelcast.cp.internal.raft} (with CP locks: the Raft nodes' status changes and
 * leader elections that a lost or stopping CP member causes);
 * off {@code com.hazelcast.multimap.impl.operations} (only that race logs there) and
 * {@code io.vertx.core.net.impl.ConnectionBase} (it logs the exceptions of connections that have
 * no handler: resets). A split-brain merge, which Hazelcast warns about under
 * {@code com.hazelcast.internal.cluster}, is logged by {@code MembershipLog} too.
 *
 * <p>The demo and the runnable jar apply them to slf4j-simple
 * ({@link #applyAsSimpleLoggerDefaults()}); with another SLF4J backend (logback, log4j2), set the
 * same levels in its configuration. Stateless and thread-safe.
 */
public final class ClusterLogLevels {

  /** Logger name to slf4j-simple level ({@code error}, {@code off}). */
  public static final Map<String, String> LEVELS = Map.of(
      "com.hazelcast.internal.server.tcp", "error",
      "com.hazelcast.internal.cluster", "error",
      "com.hazelcast.internal.partition", "error",
      "com.hazelcast.map.impl.LocalMapStatsProvider", "error",
      "com.hazelcast.spi.impl.operationservice", "error",
      "com.hazelcast.multimap.impl.operations", "off",
      "com.hazelcast.cp.internal.raft", "error",
      "io.vertx.core.eventbus.impl.clustered", "error",
      "io.vertx.core.net.impl.ConnectionBase", "off");

  private ClusterLogLevels() {
  }

  /**
   * Sets {@link #LEVELS} as slf4j-simple system properties
   * ({@code org.slf4j.simpleLogger.log.<logger>}), each unless already set. Call it before the
   * first logger is created (first thing in {@code main}): slf4j-simple reads them once.
   */
  public static void applyAsSimpleLoggerDefaults() {
    LEVELS.forEach((logger, level) -> {
      String key = "org.slf4j.simpleLogger.log." + logger;
      if (System.getProperty(key) == null) {
        System.setProperty(key, level);
      }
    });
  }
}
