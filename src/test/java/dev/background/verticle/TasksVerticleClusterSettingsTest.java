package dev.background.verticle;

import dev.background.ConfigException;
import dev.background.Tasks;
import dev.background.cluster.ClusterOptions;
import dev.background.cluster.ClusterVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
 * {@code cluster.nodeId} and {@code cluster.singletonRetryInterval}: the verticle makes a tracker
 * of its own with them, and a verticle given a tracker refuses them. The clustered Vert.x is one
 * member of a cluster of its own (own name, free port), started from the shipped
 * {@code conf/cluster.xml}.
 */
class TasksVerticleClusterSettingsTest {

  private static Vertx clustered;

  @BeforeAll
  static void startOneClusteredVertx() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    clustered = ClusterVertx.start(new ClusterOptions()
        .setClusterName("vertx-background-verticle-" + UUID.randomUUID()).setPort(port)
        .setPortCount(1)).await();
  }

  @AfterAll
  static void closeIt() {
    if (clustered != null) {
      clustered.close().await();
    }
  }

  private static JsonObject withCluster(JsonObject cluster) {
    return new JsonObject().put("closeTimeout", "2s").put("cluster", cluster.put("enabled", true));
  }

  @Test
  void aNodeIdMakesTheVerticleRunATrackerOfItsOwnWithThatId() {
    TasksVerticle verticle = new TasksVerticle();
    String id = clustered.deployVerticle(verticle, new DeploymentOptions().setConfig(withCluster(
        new JsonObject().put("nodeId", "node-a").put("singletonRetryInterval", "250ms")))).await();
    try {
      assertThat(verticle.tasks().nodeId()).isEqualTo("node-a");
      assertThat(verticle.tasks()).isNotSameAs(Tasks.of(clustered));
    } finally {
      clustered.undeploy(id).await();
    }
    assertThat(verticle.tasks().isClosed()).isTrue();
  }

  @Test
  void aRetryIntervalAloneAlsoMakesATrackerOfItsOwn() {
    TasksVerticle verticle = new TasksVerticle();
    String id = clustered.deployVerticle(verticle, new DeploymentOptions().setConfig(withCluster(
        new JsonObject().put("singletonRetryInterval", "250ms")))).await();
    try {
      assertThat(verticle.tasks()).isNotSameAs(Tasks.of(clustered));
      assertThat(verticle.tasks().nodeId()).isNotEqualTo("local");
    } finally {
      clustered.undeploy(id).await();
    }
  }

  @Test
  void withoutTrackerSettingsTheVerticleUsesTheSharedTracker() {
    TasksVerticle verticle = new TasksVerticle();
    String id = clustered.deployVerticle(verticle, new DeploymentOptions().setConfig(withCluster(
        new JsonObject()))).await();
    try {
      assertThat(verticle.tasks()).isSameAs(Tasks.of(clustered));
    } finally {
      clustered.undeploy(id).await();
    }
  }

  @Test
  void aVerticleGivenATrackerRefusesANodeId() {
    Vertx vertx = Vertx.vertx();
    try {
      Tasks given = Tasks.create(vertx);
      Throwable t = catchThrowable(() -> vertx.deployVerticle(new TasksVerticle(given),
          new DeploymentOptions().setConfig(withCluster(new JsonObject().put("nodeId", "node-a"))))
          .await());

      assertThat(t).isInstanceOf(ConfigException.class).hasMessage("cluster.nodeId: applies when "
          + "the verticle makes its own tracker; give yours TasksOptions.setNodeId(...) instead");
      assertThat(given.nodeId()).isEqualTo("local");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aVerticleGivenATrackerRefusesASingletonRetryInterval() {
    Vertx vertx = Vertx.vertx();
    try {
      Throwable t = catchThrowable(() -> vertx.deployVerticle(new TasksVerticle(Tasks.create(vertx)),
          new DeploymentOptions().setConfig(withCluster(
              new JsonObject().put("singletonRetryInterval", "250ms")))).await());

      assertThat(t).isInstanceOf(ConfigException.class).hasMessage("cluster.singletonRetryInterval: "
          + "applies when the verticle makes its own tracker; give yours "
          + "TasksOptions.setSingletonRetryInterval(...) instead");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aBadNodeIdFailsTheDeploymentAtItsPath() {
    Throwable t = catchThrowable(() -> clustered.deployVerticle(new TasksVerticle(),
        new DeploymentOptions().setConfig(withCluster(new JsonObject().put("nodeId", " ")))).await());

    assertThat(t).isInstanceOf(ConfigException.class)
        .hasMessage("cluster.nodeId: must be 1 to 200 non-blank characters, was \" \"");
  }
}
