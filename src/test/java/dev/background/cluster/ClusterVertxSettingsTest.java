package dev.background.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import dev.background.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link ClusterVertx} applies {@code clusterName}, {@code port}, {@code portCount} and
 * {@code eventBusPort} over the shipped {@code conf/cluster.xml}: on the configuration it builds,
 * and on one clustered Vert.x started in this JVM with its own name and free ports (so that it
 * joins no other cluster on this machine).
 */
class ClusterVertxSettingsTest {

  private static final String NAME = "vertx-background-settings-" + UUID.randomUUID();
  private static int memberPort;
  private static int eventBusPort;
  private static Vertx vertx;

  @BeforeAll
  static void startOneClusteredVertx() throws IOException {
    memberPort = freePort();
    eventBusPort = freePort();
    vertx = ClusterVertx.start(new ClusterOptions().setClusterName(NAME).setPort(memberPort)
        .setPortCount(1).setEventBusPort(eventBusPort)).await();
  }

  @AfterAll
  static void closeIt() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  /** A port that was free a moment ago on 127.0.0.1 (found by binding port 0). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void theStartedMemberHasTheConfiguredClusterName() {
    HazelcastInstance hazelcast = ClusterVertx.hazelcast(vertx);

    assertThat(hazelcast.getConfig().getClusterName()).isEqualTo(NAME);
    assertThat(hazelcast.getCluster().getMembers()).hasSize(1);
  }

  @Test
  void theStartedMemberIsBoundToTheConfiguredPort() {
    HazelcastInstance hazelcast = ClusterVertx.hazelcast(vertx);

    assertThat(hazelcast.getCluster().getLocalMember().getAddress().getPort()).isEqualTo(memberPort);
    assertThat(hazelcast.getConfig().getNetworkConfig().isPortAutoIncrement()).isFalse();
  }

  @Test
  void theEventBusIsBoundToTheConfiguredPortOfTheHost() {
    HazelcastClusterManager manager = ClusterVertx.manager(vertx);

    assertThat(manager.getNodeInfo().port()).isEqualTo(eventBusPort);
    assertThat(manager.getNodeInfo().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void unsetKeysKeepTheFilesClusterNameAndPortRange() {
    Config config = ClusterVertx.hazelcastConfig(new ClusterOptions());

    assertThat(config.getClusterName()).isEqualTo("vertx-background");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().getPortCount()).isEqualTo(100);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
  }

  @Test
  void aPortAloneKeepsTheFilesPortCount() {
    Config config = ClusterVertx.hazelcastConfig(new ClusterOptions().setPort(5801));

    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5801);
    assertThat(config.getNetworkConfig().getPortCount()).isEqualTo(100);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
  }

  @Test
  void aPortRangePast65535IsRefusedAtPortCount() {
    Throwable t = catchThrowable(() -> ClusterVertx.hazelcastConfig(new ClusterOptions()
        .setPort(65500)));

    assertThat(t).isInstanceOf(ConfigException.class).hasMessage(
        "cluster.portCount: port 65500 with portCount 100 reaches 65599, past 65535");
  }

  @Test
  void anUnreadableFileFailsTheStartNamingIt() {
    Throwable t = catchThrowable(() -> ClusterVertx.start(new ClusterOptions()
        .setHazelcastConfig("conf/no-such-file.xml")).await());

    assertThat(t).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cluster: cannot read the Hazelcast configuration conf/no-such-file.xml");
  }
}
