package dev.background.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.CPSubsystemManagementService;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;

/**
 * Keeps the CP group whole when members are replaced: every few seconds, a member that is not a CP
 * member checks how many CP members there are, and when there are fewer than the configured
 * {@code cp-member-count} it promotes itself ({@code promoteToCPMember}). Hazelcast removes a
 * crashed CP member after {@code missing-cp-member-auto-removal-seconds}; the next replacement
 * then takes its place, so the group regains its size and can lose a member again. Without this,
 * replacements join as ordinary members and the second loss leaves the group without a majority:
 * no singleton can move any more. Installed by {@link ClusterVertx#start(ClusterOptions)} when the
 * CP subsystem is on. Thread-safe.
 */
final class CpGroupHealer {

  private static final Logger LOG = LoggerFactory.getLogger(CpGroupHealer.class);
  /** How often a member that is not a CP member checks the group. */
  static final long CHECK_MILLIS = 2_000;

  private final HazelcastInstance hazelcast;
  private final int cpMemberCount;
  private boolean promoting;

  private CpGroupHealer(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.cpMemberCount = hazelcast.getConfig().getCPSubsystemConfig().getCPMemberCount();
  }

  /** Starts checking on {@code vertx}'s timers when the CP subsystem of {@code hazelcast} is on. */
  static void install(Vertx vertx, HazelcastInstance hazelcast) {
    if (hazelcast.getConfig().getCPSubsystemConfig().getCPMemberCount() <= 0) {
      return;
    }
    CpGroupHealer healer = new CpGroupHealer(hazelcast);
    vertx.setPeriodic(CHECK_MILLIS, id -> healer.check());
  }

  private void check() {
    try {
      if (!hazelcast.getLifecycleService().isRunning()
          || hazelcast.getCPSubsystem().getLocalCPMember() != null) {
        return;
      }
      CPSubsystemManagementService cp = hazelcast.getCPSubsystem().getCPSubsystemManagementService();
      synchronized (this) {
        if (promoting || !cp.isDiscoveryCompleted()) {
          return;
        }
        promoting = true;
      }
      cp.getCPMembers().thenCompose(members -> {
        if (members.size() >= cpMemberCount) {
          return CompletableFuture.completedFuture(false);
        }
        LOG.info("cluster: the CP group has {} of {} members; promoting this member", members.size(),
            cpMemberCount);
        return cp.promoteToCPMember().thenApply(v -> true);
      }).whenComplete((promoted, failure) -> {
        synchronized (this) {
          promoting = false;
        }
        if (failure != null) {
          LOG.debug("cluster: CP promotion not done: {}", failure.toString());
        } else if (promoted) {
          LOG.info("cluster: this member is now a CP member");
        }
      });
    } catch (RuntimeException e) {
      LOG.debug("cluster: CP group check failed", e);
      synchronized (this) {
        promoting = false;
      }
    }
  }
}
