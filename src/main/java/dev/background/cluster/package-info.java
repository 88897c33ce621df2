/**
 * The cluster-wide view of trackers on a clustered Vert.x: {@link dev.background.cluster.ClusterControl}
 * serves control requests by asking every node, {@link dev.background.cluster.ClusterOptions} is
 * the {@code cluster} key of the verticle's configuration, {@link dev.background.cluster.ClusterVertx}
 * starts a Vert.x on Hazelcast and {@link dev.background.cluster.CpSingletonLocks} takes singleton
 * locks on Hazelcast's CP subsystem. {@code ClusterVertx} and {@code CpSingletonLocks} need the
 * optional {@code io.vertx:vertx-hazelcast}. Stands on the API and the control protocol
 * ({@code dev.background.control}).
 */
package dev.background.cluster;
