package dev.background.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.XmlConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Hazelcast file shipped in {@code conf/} loads with Hazelcast's own XML loader and has the
 * settings the README and docs/DEPLOY.md describe.
 */
class ShippedHazelcastFilesTest {

  static Config load(String file) throws IOException {
    return new XmlConfigBuilder(Paths.get(file).toString()).build();
  }

  /** Every {@code conf/*.xml}, so that a new file cannot be shipped untested. */
  static Stream<String> shippedFiles() throws IOException {
    try (Stream<Path> files = Files.list(Paths.get("conf"))) {
      List<String> xml = files.map(Path::toString).filter(f -> f.endsWith(".xml")).sorted()
          .collect(Collectors.toList());
      return xml.stream();
    }
  }

  @Test
  void theShippedFilesAreTheThreeDescribed() throws IOException {
    assertThat(shippedFiles()).containsExactly(
        Paths.get("conf/cluster-cp.xml").toString(), Paths.get("conf/cluster-k8s.xml").toString(),
        Paths.get("conf/cluster.xml").toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedFiles")
  void everyShippedFileKeepsVertxsRegistriesAndItsClusterName(String file) throws IOException {
    Config config = load(file);

    assertThat(config.getClusterName()).isEqualTo("vertx-background");
    MultiMapConfig subs = config.getMultiMapConfigs().get("__vertx.subs");
    assertThat(subs).isNotNull();
    assertThat(subs.getValueCollectionType()).isEqualTo(MultiMapConfig.ValueCollectionType.SET);
    assertThat(config.getMapConfigs()).containsKeys("__vertx.haInfo", "__vertx.nodeInfo");
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shippedFiles")
  void everyShippedFileLoadsThroughClusterVertxAsItIs(String file) {
    Config config = ClusterVertx.hazelcastConfig(new ClusterOptions().setHazelcastConfig(file));

    assertThat(config.getClusterName()).isEqualTo("vertx-background");
  }

  @Test
  void theLocalFilesJoinOverTcpIpOnLoopbackOnly() throws IOException {
    for (String file : List.of("conf/cluster.xml", "conf/cluster-cp.xml")) {
      Config config = load(file);
      JoinConfig join = config.getNetworkConfig().getJoin();

      assertThat(join.getTcpIpConfig().isEnabled()).as(file).isTrue();
      assertThat(join.getTcpIpConfig().getMembers()).as(file).containsExactly("127.0.0.1");
      assertThat(join.getMulticastConfig().isEnabled()).as(file).isFalse();
      assertThat(join.getKubernetesConfig().isEnabled()).as(file).isFalse();
      assertThat(join.isAutoDetectionEnabled()).as(file).isFalse();
      assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).as(file)
          .containsExactly("127.0.0.1");
      assertThat(config.getNetworkConfig().getPort()).as(file).isEqualTo(5701);
      assertThat(config.getNetworkConfig().getPortCount()).as(file).isEqualTo(100);
    }
  }

  @Test
  void theCpFileHasACpGroupOfThree() throws IOException {
    Config config = load("conf/cluster-cp.xml");

    assertThat(config.getCPSubsystemConfig().getCPMemberCount()).isEqualTo(3);
    assertThat(config.getCPSubsystemConfig().getGroupSize()).isEqualTo(3);
    assertThat(config.getCPSubsystemConfig().getSessionTimeToLiveSeconds()).isEqualTo(5);
  }

  @Test
  void theKubernetesFileLooksItsMembersUpInTheDnsOfTheHeadlessService() throws IOException {
    Config config = load("conf/cluster-k8s.xml");
    JoinConfig join = config.getNetworkConfig().getJoin();
    KubernetesConfig kubernetes = join.getKubernetesConfig();

    assertThat(kubernetes.isEnabled()).isTrue();
    assertThat(kubernetes.getProperty("service-dns")).isEqualTo(DeploymentManifestsTest.HEADLESS_SERVICE);
    assertThat(kubernetes.getProperty("service-name")).isNull();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.isAutoDetectionEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
  }

  @Test
  void theKubernetesFileBindsOnePortPerPod() throws IOException {
    Config config = load("conf/cluster-k8s.xml");

    assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getCPSubsystemConfig().getCPMemberCount()).isZero();
  }

  @Test
  void theKubernetesFileLeavesTheClusterWithinTheGracePeriod() throws IOException {
    Config config = load("conf/cluster-k8s.xml");

    assertThat(Integer.parseInt(config.getProperty("hazelcast.graceful.shutdown.max.wait")))
        .isLessThan(DeploymentManifestsTest.terminationGracePeriodSeconds());
  }
}
