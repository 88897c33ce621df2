package dev.background.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import dev.background.SingletonLocks;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each member that leaves the Hazelcast cluster as one WARN line, whether it stopped or was
 * killed: the line an operator looks for after a crash, in place of the connection-reset traces
 * that {@link ClusterLogLevels} quiets. Joins are logged at INFO. When this member merges into
 * the other side of a healed network partition (Hazelcast's split-brain merge), it logs a WARN and
 * fences every singleton this Vert.x holds ({@link SingletonLocks#FENCE_ALL_ADDRESS}): a lock taken
 * while apart is void on the other side, which may have its own holder. Installed by
 * {@link ClusterVertx#start(ClusterOptions)}. Thread-safe.
 */
final class MembershipLog implements MembershipListener, LifecycleListener {

  private static final Logger LOG = LoggerFactory.getLogger(MembershipLog.class);

  private final Vertx vertx;

  MembershipLog(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    LOG.info("cluster: member {} ({}) joined; {} members", event.getMember().getAddress(),
        event.getMember().getUuid(), event.getMembers().size());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    LOG.warn("cluster: member {} ({}) left the cluster; {} members remain; its locks are released "
        + "and its singletons move to the remaining nodes", event.getMember().getAddress(),
        event.getMember().getUuid(), event.getMembers().size());
  }

  @Override
  public void stateChanged(LifecycleEvent event) {
    switch (event.getState()) {
      case MERGING -> {
        LOG.warn("cluster: a network partition healed; this member merges into the other side's "
            + "cluster (Hazelcast restarts its services and merges the data); its singletons stand by");
        vertx.eventBus().publish(SingletonLocks.FENCE_ALL_ADDRESS, "this member merged into the "
            + "other side of a healed network partition", new DeliveryOptions().setLocalOnly(true));
      }
      case MERGED -> LOG.warn("cluster: merged after a network partition");
      case MERGE_FAILED -> LOG.warn("cluster: merging after a network partition failed");
      default -> {
      }
    }
  }
}
