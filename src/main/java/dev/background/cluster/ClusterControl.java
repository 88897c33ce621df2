package dev.background.cluster;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.function.Predicate;

/**
 * ClusterControl serves a tracker's control requests cluster-wide. It registers this node's own
 * handler on {@code <address>.node.<nodeId>} (cluster-wide), a {@link ClusterControlHandler} on
 * {@code address} (a local consumer: a request sent on this node is answered by this node, which
 * asks every node), and this node in the cluster's node registry.
 *
 * <p>The handler on {@code address} is local on purpose. Were it cluster-wide, the event bus would
 * hand a request sent on a survivor to any node that serves {@code address}, including one that
 * has just been killed, until the cluster manager removes it; that request would then wait for
 * the sender's send timeout (30 s by default) instead of {@code replyTimeout}. So a request to
 * {@code address} must be sent on a node that runs the cluster view (any node with a clustered
 * {@code TasksVerticle}); elsewhere it finds no handler.
 *
 * <p>On a Vert.x started by {@link ClusterVertx#start(ClusterOptions)}, a node whose cluster
 * member has left (Hazelcast removed it) is listed as unreachable at once, without being asked.
 * Thread-safe.
 */
public final class ClusterControl {

  private final NodeRegistry registry;
  private final MessageConsumer<Object> local;
  private final MessageConsumer<Object> cluster;
  private final String nodeAddress;

  private ClusterControl(NodeRegistry registry, MessageConsumer<Object> local,
      MessageConsumer<Object> cluster, String nodeAddress) {
    this.registry = registry;
    this.local = local;
    this.cluster = cluster;
    this.nodeAddress = nodeAddress;
  }

  /** The address of this node's own control handler. */
  public static String nodeAddress(String address, String nodeId) {
    return address + ".node." + nodeId;
  }

  /**
   * Registers the handlers and the node; completes once requests can be served.
   *
   * @param localHandler this node's handler (the event-bus {@code ControlHandler})
   */
  public static Future<ClusterControl> start(Vertx vertx, String address, String nodeId,
      Handler<Message<Object>> localHandler, ClusterOptions options) {
    if (!vertx.isClustered()) {
      return Future.failedFuture(new IllegalArgumentException("cluster.enabled: Vert.x is not "
          + "clustered; start it with a cluster manager (the demo: --cluster)"));
    }
    String nodeAddress = nodeAddress(address, nodeId);
    HazelcastClusterManager manager = ClusterVertx.managerOrNull(vertx);
    NodeRegistry registry = new NodeRegistry(vertx, address, nodeId, nodeAddress,
        manager == null ? null : manager.getNodeId());
    Predicate<String> isMember = manager == null ? member -> true
        : member -> manager.getNodes().contains(member);
    MessageConsumer<Object> local = vertx.eventBus().consumer(nodeAddress, localHandler);
    MessageConsumer<Object> cluster = vertx.eventBus().localConsumer(address,
        new ClusterControlHandler(vertx, registry, nodeAddress, options.getReplyTimeout(), isMember));
    ClusterControl control = new ClusterControl(registry, local, cluster, nodeAddress);
    return Future.all(local.completion(), cluster.completion())
        .compose(v -> registry.join())
        .map(v -> control)
        .recover(e -> control.stop().transform(ar -> Future.failedFuture(e)));
  }

  /** This node's own control address. */
  public String nodeAddress() {
    return nodeAddress;
  }

  /** Leaves the registry and unregisters both handlers. */
  public Future<Void> stop() {
    return Future.join(registry.leave(), local.unregister(), cluster.unregister()).mapEmpty();
  }
}
