package dev.background.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The nodes that serve one control address, in a cluster-wide map: each node writes its entry with
 * a time to live and rewrites it well before it expires. A node that stops cleanly removes its
 * entry; a node that crashed stays listed until its entry expires, and meanwhile shows up as
 * unreachable. Thread-safe.
 */
final class NodeRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

  /** How long an entry lives without being rewritten: 15 s. */
  static final long ENTRY_TTL_MILLIS = 15_000;
  private static final long REFRESH_MILLIS = 5_000;

  private final Vertx vertx;
  private final String mapName;
  private final String nodeId;
  private final JsonObject entry;
  private long timer = -1;

  NodeRegistry(Vertx vertx, String controlAddress, String nodeId, String nodeAddress) {
    this.vertx = vertx;
    this.mapName = "dev.background.nodes." + controlAddress;
    this.nodeId = nodeId;
    this.entry = new JsonObject().put("node", nodeId).put("address", nodeAddress);
  }

  /** Registers this node and keeps it registered until {@link #leave()}. */
  Future<Void> join() {
    return write().onSuccess(v -> {
      synchronized (this) {
        timer = vertx.setPeriodic(REFRESH_MILLIS, id -> write()
            .onFailure(e -> LOG.warn("cluster: node {} could not refresh its entry", nodeId, e)));
      }
    });
  }

  private Future<Void> write() {
    return map().compose(m -> m.put(nodeId, entry.copy(), ENTRY_TTL_MILLIS));
  }

  /** Every registered node: id to control address. */
  Future<Map<String, JsonObject>> nodes() {
    return map().compose(AsyncMap::entries);
  }

  /** Removes this node's entry. */
  Future<Void> leave() {
    synchronized (this) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
    return map().compose(m -> m.remove(nodeId)).mapEmpty();
  }

  static List<String> sorted(Iterable<String> ids) {
    List<String> list = new ArrayList<>();
    ids.forEach(list::add);
    list.sort(null);
    return list;
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(mapName);
  }
}
