package dev.background.cluster;

import com.hazelcast.config.Config;
import dev.background.Durations;
import dev.background.verticle.TasksVerticleOptions;
import dev.background.web.TasksWebOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes manifests of {@code docs/k8s} (docs/DEPLOY.md) parse as YAML and fit together:
 * the Deployment, its headless Service, its PodDisruptionBudget, the ConfigMap with the verticle's
 * configuration, and {@code conf/cluster-k8s.xml}.
 */
class DeploymentManifestsTest {

  /** The headless Service's name, which {@code conf/cluster-k8s.xml} looks up in DNS. */
  static final String HEADLESS_SERVICE = "vertx-background-hz";

  private static final Path DIR = Paths.get("docs/k8s");

  /** Every document of one manifest file. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> documents(String file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(DIR.resolve(file), StandardCharsets.UTF_8)) {
      for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
        if (doc != null) {
          docs.add((Map<String, Object>) doc);
        }
      }
    }
    return docs;
  }

  /** The only document of {@code file}, checked to be of {@code kind}. */
  static Map<String, Object> only(String file, String kind) throws IOException {
    List<Map<String, Object>> docs = documents(file);
    assertThat(docs).as(file).hasSize(1);
    assertThat(docs.get(0).get("kind")).as(file).isEqualTo(kind);
    return docs.get(0);
  }

  /** The value at a path of map keys and list indexes, e.g. {@code "spec", "template"}. */
  @SuppressWarnings("unchecked")
  static <T> T at(Object node, Object... path) {
    Object current = node;
    for (Object step : path) {
      assertThat(current).as("at %s", step).isNotNull();
      current = step instanceof Integer ? ((List<Object>) current).get((Integer) step)
          : ((Map<String, Object>) current).get(step);
    }
    return (T) current;
  }

  static Map<String, Object> deployment() throws IOException {
    return only("deployment.yaml", "Deployment");
  }

  static Map<String, Object> container() throws IOException {
    List<Object> containers = at(deployment(), "spec", "template", "spec", "containers");
    assertThat(containers).hasSize(1);
    return at(containers, 0);
  }

  static int containerPort(String name) throws IOException {
    List<Map<String, Object>> ports = at(container(), "ports");
    return ports.stream().filter(p -> name.equals(p.get("name"))).map(p -> (Integer) p.get("containerPort"))
        .findFirst().orElseThrow(() -> new AssertionError("no container port named " + name));
  }

  static JsonObject verticleConfig() throws IOException {
    return new JsonObject((String) at(only("configmap.yaml", "ConfigMap"), "data", "config.json"));
  }

  static int terminationGracePeriodSeconds() throws IOException {
    return at(deployment(), "spec", "template", "spec", "terminationGracePeriodSeconds");
  }

  @Test
  void everyManifestIsYamlWithAnApiVersionAKindAndAName() throws IOException {
    for (String file : manifestFiles()) {
      for (Map<String, Object> doc : documents(file)) {
        assertThat(doc.get("apiVersion")).as(file).isInstanceOf(String.class);
        assertThat(doc.get("kind")).as(file).isInstanceOf(String.class);
        if (!"Kustomization".equals(doc.get("kind"))) {
          assertThat((String) at(doc, "metadata", "name")).as(file).isNotBlank();
        }
      }
    }
  }

  @Test
  void theKustomizationAppliesEveryOtherManifest() throws IOException {
    List<String> resources = at(only("kustomization.yaml", "Kustomization"), "resources");

    assertThat(resources).containsExactlyInAnyOrderElementsOf(manifestFiles().stream()
        .filter(f -> !f.equals("kustomization.yaml")).collect(Collectors.toList()));
  }

  @Test
  void theDeploymentRunsSeveralReplicasOneAtATimeInARollingUpdate() throws IOException {
    Map<String, Object> deployment = deployment();

    assertThat((Integer) at(deployment, "spec", "replicas")).isEqualTo(3);
    Map<String, Object> labels = at(deployment, "spec", "template", "metadata", "labels");
    assertThat((Map<String, Object>) at(deployment, "spec", "selector", "matchLabels"))
        .isNotEmpty().isEqualTo(labels);
    assertThat((String) at(deployment, "spec", "strategy", "type")).isEqualTo("RollingUpdate");
    assertThat((Integer) at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable")).isZero();
    assertThat((Integer) at(deployment, "spec", "strategy", "rollingUpdate", "maxSurge")).isEqualTo(1);
  }

  @Test
  void everyProbeAsksForHealthOnTheHttpPort() throws IOException {
    Map<String, Object> container = container();

    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat((String) at(container, probe, "httpGet", "path")).as(probe).isEqualTo("/health");
      assertThat((String) at(container, probe, "httpGet", "port")).as(probe).isEqualTo("http");
    }
    JsonObject http = verticleConfig().getJsonObject("http");
    assertThat(containerPort("http")).isEqualTo(http.getInteger("port"));
    assertThat(http.getString("root", "/")).isEqualTo("/");
  }

  @Test
  void theGracePeriodOutlastsCloseTimeoutAndTheDemosOwnShutdown() throws IOException {
    Duration closeTimeout = new TasksVerticleOptions(verticleConfig()).getCloseTimeout();

    // DemoMain's shutdown hook waits closeTimeout + 5 s for the close, then 5 s for Vert.x.
    assertThat(Duration.ofSeconds(terminationGracePeriodSeconds()))
        .isGreaterThan(closeTimeout.plusSeconds(10));
    assertThat(Durations.format(closeTimeout)).isEqualTo("20s");
  }

  @Test
  void theEventBusHostIsThePodsIp() throws IOException {
    Map<String, Object> container = container();
    List<Map<String, Object>> env = at(container, "env");
    Map<String, Object> podIp = env.stream().filter(e -> "POD_IP".equals(e.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no POD_IP"));

    assertThat((String) at(podIp, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("status.podIP");
    List<String> args = at(container, "args");
    assertThat(args).containsSequence("--host", "$(POD_IP)");
    assertThat(args).containsSequence("-conf", "/etc/vertx-background/config.json");
    assertThat((String) at(container, "volumeMounts", 0, "mountPath")).isEqualTo("/etc/vertx-background");
    assertThat((String) at(deployment(), "spec", "template", "spec", "volumes", 0, "configMap", "name"))
        .isEqualTo(at(only("configmap.yaml", "ConfigMap"), "metadata", "name"));
  }

  @Test
  void theServiceIsHeadlessOverThePodsAndPublishesThemBeforeTheyAreReady() throws IOException {
    Map<String, Object> service = only("service.yaml", "Service");

    assertThat((String) at(service, "metadata", "name")).isEqualTo(HEADLESS_SERVICE);
    assertThat((String) at(service, "spec", "clusterIP")).isEqualTo("None");
    assertThat((Boolean) at(service, "spec", "publishNotReadyAddresses")).isTrue();
    assertThat((Map<String, Object>) at(service, "spec", "selector"))
        .isEqualTo(at(deployment(), "spec", "template", "metadata", "labels"));
  }

  @Test
  void theServiceListsTheHazelcastAndEventBusPortsTheNodesBind() throws IOException {
    List<Map<String, Object>> ports = at(only("service.yaml", "Service"), "spec", "ports");
    Config hazelcast = ShippedHazelcastFilesTest.load("conf/cluster-k8s.xml");
    ClusterOptions cluster = new ClusterOptions(verticleConfig().getJsonObject("cluster"));

    assertThat(ports).extracting(p -> p.get("name")).containsExactlyInAnyOrder("hazelcast", "eventbus");
    for (Map<String, Object> port : ports) {
      String name = (String) port.get("name");
      int expected = name.equals("hazelcast") ? hazelcast.getNetworkConfig().getPort()
          : cluster.getEventBusPort();
      assertThat(port.get("port")).as(name).isEqualTo(expected);
      assertThat(port.get("targetPort")).as(name).isEqualTo(name);
      assertThat(containerPort(name)).as(name).isEqualTo(expected);
    }
  }

  @Test
  void theDisruptionBudgetCoversTheDeploymentsPodsOneAtATime() throws IOException {
    Map<String, Object> pdb = only("pdb.yaml", "PodDisruptionBudget");

    assertThat((String) at(pdb, "apiVersion")).isEqualTo("policy/v1");
    assertThat((Map<String, Object>) at(pdb, "spec", "selector", "matchLabels"))
        .isEqualTo(at(deployment(), "spec", "template", "metadata", "labels"));
    assertThat((Integer) at(pdb, "spec", "maxUnavailable")).isEqualTo(1);
  }

  @Test
  void theConfigMapHoldsAValidClusteredConfigurationForKubernetes() throws IOException {
    JsonObject config = verticleConfig();
    new TasksVerticleOptions(config);
    ClusterOptions cluster = new ClusterOptions(config.getJsonObject("cluster"));

    assertThat(cluster.isEnabled()).isTrue();
    assertThat(cluster.getHazelcastConfig()).isEqualTo("conf/cluster-k8s.xml");
    assertThat(Files.isReadable(Paths.get(cluster.getHazelcastConfig()))).isTrue();
    assertThat(cluster.getEventBusPort()).isPositive();
  }

  @Test
  void theConfigMapServesHttpToTheProbesReadOnly() throws IOException {
    TasksWebOptions web = new TasksWebOptions(verticleConfig().getJsonObject("http")).validate();

    assertThat(web.isEnabled()).isTrue();
    assertThat(web.getHost()).isEqualTo("0.0.0.0");
    assertThat(web.isReadOnly()).isTrue();
  }

  @Test
  void theConfigMapsTasksAreClassesOfTheDemo() throws IOException, ClassNotFoundException {
    JsonArray tasks = verticleConfig().getJsonArray("tasks");

    assertThat(tasks).isNotEmpty();
    for (Object task : tasks) {
      Class.forName(((JsonObject) task).getString("class"));
    }
  }

  static List<String> manifestFiles() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml")).sorted()
          .collect(Collectors.toList());
    }
  }
}
