package dev.background.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The nodes that serve one control address, in a cluster-wide map: each node writes its entry with
 * a time to live and rewrites it well before it expires. A node that stops cleanly removes its
 * entry; a node that crashed stays listed until its entry expires, and meanwhile shows up as
 * unreachable. A read that the map does not answer in time (its partition owner has just died and
 * Hazelcast is still retrying) gives the last list read instead. Thread-safe.
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
  /** The last list read, with this node; guarded by this. */
  private Map<String, JsonObject> lastRead;
  /** Whether the last read was late or failed (to log such reads once, not per request). */
  private boolean stale;
  /** The read under way, or null; guarded by this. */
  private Future<Map<String, JsonObject>> reading;

  NodeRegistry(Vertx vertx, String controlAddress, String nodeId, String nodeAddress) {
    this(vertx, controlAddress, nodeId, nodeAddress, null);
  }

  /**
   * @param member this node's cluster member id (Vert.x's node id), recorded in its entry so that
   *     others can tell that it left the cluster; null when unknown
   */
  NodeRegistry(Vertx vertx, String controlAddress, String nodeId, String nodeAddress, String member) {
    this.vertx = vertx;
    this.mapName = "dev.background.nodes." + controlAddress;
    this.nodeId = nodeId;
    this.entry = new JsonObject().put("node", nodeId).put("address", nodeAddress);
    if (member != null) {
      entry.put("member", member);
    }
  }

  /**
   * Registers this node and keeps it registered until {@link #leave()}; each refresh also reads the
   * list, so that a request that cannot read it in time has a recent one.
   */
  Future<Void> join() {
    return write().compose(v -> read().otherwiseEmpty()).<Void>mapEmpty().onSuccess(v -> {
      synchronized (this) {
        timer = vertx.setPeriodic(REFRESH_MILLIS, id -> write()
            .onFailure(e -> LOG.warn("cluster: node {} could not refresh its entry", nodeId, e))
            .onSuccess(w -> read()));
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

  /**
   * Every registered node, within {@code withinMillis}: when the map does not answer in time or
   * fails, the last list read (this node alone before the first read). Never fails. Requests that
   * come while a read is under way share it.
   */
  Future<Map<String, JsonObject>> nodes(long withinMillis) {
    return read()
        .timeout(withinMillis, TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture(fallback(withinMillis, e)));
  }

  /** Reads the list (or joins the read under way) and keeps it as the last list read. */
  private Future<Map<String, JsonObject>> read() {
    Future<Map<String, JsonObject>> read;
    synchronized (this) {
      if (reading != null) {
        return reading;
      }
      read = nodes().map(this::keep);
      reading = read;
    }
    read.onComplete(ar -> {
      synchronized (this) {
        if (reading == read) {
          reading = null;
        }
      }
    });
    return read;
  }

  private synchronized Map<String, JsonObject> keep(Map<String, JsonObject> read) {
    Map<String, JsonObject> copy = new LinkedHashMap<>(read);
    copy.putIfAbsent(nodeId, entry.copy());
    lastRead = copy;
    if (stale) {
      stale = false;
      LOG.info("cluster: node {} reads the node registry again", nodeId);
    }
    return copy;
  }

  private synchronized Map<String, JsonObject> fallback(long withinMillis, Throwable e) {
    if (!stale) {
      stale = true;
      // Expected for a few seconds after a member is lost, while Hazelcast moves its partitions.
      LOG.info("cluster: node {} could not read the node registry within {} ms ({}); asking the "
          + "nodes it read last", nodeId, withinMillis, e.toString());
    }
    return lastRead != null ? lastRead : Map.of(nodeId, entry.copy());
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
