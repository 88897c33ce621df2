package dev.background.demo;

import dev.background.TaskState;
import dev.background.TaskStatus;
import dev.background.eventbus.TasksClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** The demo starts from the shipped {@code conf/config.json}, runs its six tasks (four run or once tasks, a cron and a fixed-rate schedule) and stops cleanly. */
@ExtendWith(VertxExtension.class)
class DemoMainTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** The shipped config, on a free port instead of 8080. */
  private static JsonObject shippedConfigOnAFreePort() {
    JsonObject config = DemoMain.readConfig(Paths.get(DemoMain.DEFAULT_CONF));
    config.getJsonObject("http").put("port", 0);
    return config;
  }

  @Test
  void theShippedConfigServesTheDashboardOnPort8080() {
    JsonObject http = DemoMain.readConfig(Paths.get(DemoMain.DEFAULT_CONF)).getJsonObject("http");
    assertThat(http.getBoolean("enabled")).isTrue();
    assertThat(http.getInteger("port")).isEqualTo(8080);
    assertThat(http.getString("host")).isEqualTo("127.0.0.1");
  }

  @Test
  void servesTheDashboardAndStatusOnARandomPort(Vertx vertx) {
    DemoMain demo = DemoMain.start(vertx, shippedConfigOnAFreePort(),
        new PrintStream(new ByteArrayOutputStream()), Duration.ofHours(1)).await();
    WebClient web = WebClient.create(vertx);
    try {
      assertThat(demo.httpPort()).isPositive();
      HttpResponse<Buffer> page = web.get(demo.httpPort(), "127.0.0.1", "/").send().await();
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.bodyAsString()).containsIgnoringCase("<html");
      await().atMost(WAIT).until(() -> web.get(demo.httpPort(), "127.0.0.1", "/tasks").send().await()
          .bodyAsJsonArray().size() == 6);
    } finally {
      web.close();
      demo.stop().await();
    }
  }

  /** GET /metrics of a running demo, once it answers 200 with {@code series}. */
  private static String metricsOnceTheyHold(Vertx vertx, DemoMain demo, String... series) {
    WebClient web = WebClient.create(vertx);
    try {
      return await().atMost(WAIT).until(() -> {
        HttpResponse<Buffer> r = web.get(demo.httpPort(), "127.0.0.1", "/metrics").send().await();
        return r.statusCode() + "\n" + r.bodyAsString();
      }, body -> body.startsWith("200\n") && List.of(series).stream().allMatch(body::contains));
    } finally {
      web.close();
    }
  }

  @Test
  void theDemoVertxServesTheTaskMetricsAndItsOwnOnMetrics() {
    JsonObject config = shippedConfigOnAFreePort();
    Vertx vertx = DemoMain.vertx(config).await();
    try {
      assertThat(vertx.isMetricsEnabled()).isTrue();
      DemoMain demo = DemoMain.start(vertx, config, new PrintStream(new ByteArrayOutputStream()),
          Duration.ofHours(1)).await();

      // The tasks' meters, and Vert.x's own: the tracker reports to the Vert.x registry.
      String metrics = metricsOnceTheyHold(vertx, demo, "background_tasks_running",
          "background_tasks_total", "once_tasks_total", "vertx_http_server");

      assertThat(metrics).contains("# TYPE background_tasks_running gauge");
      demo.stop().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void theClusteredDemoServesTheTaskMetricsToo() throws Exception {
    System.setProperty("bg.cluster.name", "vertx-background-demo-" + UUID.randomUUID());
    JsonObject config = shippedConfigOnAFreePort();
    config.getJsonObject("cluster").put("enabled", true).put("hazelcastConfig",
        Paths.get(DemoMainTest.class.getResource("/cluster-test.xml").toURI()).toString());
    Vertx vertx = DemoMain.vertx(config).await();
    try {
      assertThat(vertx.isClustered()).isTrue();
      DemoMain demo = DemoMain.start(vertx, config, new PrintStream(new ByteArrayOutputStream()),
          Duration.ofHours(1)).await();

      metricsOnceTheyHold(vertx, demo, "background_tasks_running", "background_tasks_total",
          "once_tasks_total");

      demo.stop().await();
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void cpLocksOnAVertxNotStartedByClusterVertxFailTheStartClearly(Vertx vertx) {
    JsonObject config = shippedConfigOnAFreePort();
    config.getJsonObject("cluster").put("enabled", true).put("locks", "cp");

    Throwable failure = catchThrowable(() -> DemoMain.start(vertx, config).await());

    assertThat(failure).hasMessageStartingWith("cluster.locks: \"cp\" needs a Vert.x started by "
        + "ClusterVertx.start");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  void startsFromTheShippedConfigPrintsTheTableAndStopsCleanly(Vertx vertx) {
    JsonObject config = shippedConfigOnAFreePort();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    DemoMain demo = DemoMain.start(vertx, config, out, Duration.ofMillis(100)).await();

    TasksClient client = TasksClient.create(vertx);
    await().atMost(WAIT).until(() -> {
      List<TaskStatus> all = client.list().await();
      return all.size() == 6 && all.stream().allMatch(s -> s.state() == TaskState.RUNNING
          || s.state() == TaskState.BACKING_OFF || s.state() == TaskState.SCHEDULED
          || s.name().equals("warm-up") && s.state() == TaskState.COMPLETED);
    });
    await().atMost(WAIT).until(() -> bytes.toString(StandardCharsets.UTF_8).contains("COMPLETED"));
    String table = bytes.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("NAME", "STATE", "RUNS", "RESTARTS", "NEXT RESTART",
        "cache-refresher", "flaky-poller", "heartbeat", "warm-up", "report-compactor",
        "partner-sync", "SCHEDULED");

    demo.stop().await();

    assertThat(vertx.deploymentIDs()).isEmpty();
    assertThat(demo.stop().succeeded()).isTrue();
    // The table stops with the demo.
    int printed = bytes.size();
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> bytes.size() == printed);
  }

  @Test
  void heartbeatsArePublished(Vertx vertx) {
    JsonObject config = shippedConfigOnAFreePort();
    config.getJsonArray("tasks").getJsonObject(0).put("config", new JsonObject().put("interval", "20ms"));
    List<Object> beats = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.eventBus().consumer(Heartbeat.ADDRESS, m -> beats.add(m.body())).completion().await();

    DemoMain demo = DemoMain.start(vertx, config, new PrintStream(new ByteArrayOutputStream()),
        Duration.ofHours(1)).await();

    await().atMost(WAIT).until(() -> beats.size() >= 3);
    demo.stop().await();
  }

  @Test
  void badConfigFailsTheStartWithTheKeyPath(Vertx vertx) {
    JsonObject config = new JsonObject().put("closeTimeout", "soon");

    Throwable failure = catchThrowable(() -> DemoMain.start(vertx, config).await());

    assertThat(failure).hasMessageStartingWith("closeTimeout: must be a duration");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  void argumentsNameTheConfigFile() {
    assertThat(DemoMain.confPath(new String[0])).isEqualTo(Paths.get("conf/config.json"));
    assertThat(DemoMain.confPath(new String[] {"-conf", "other.json"}))
        .isEqualTo(Paths.get("other.json"));
    assertThat(catchThrowable(() -> DemoMain.confPath(new String[] {"-x"})))
        .hasMessage("unexpected argument: -x");
  }

  @Test
  void clusterAndPortArgumentsOverrideTheConfig() {
    DemoMain.Arguments args = DemoMain.arguments(new String[] {"--cluster", "--port", "9090"});
    JsonObject config = DemoMain.applyArguments(
        DemoMain.readConfig(Paths.get(DemoMain.DEFAULT_CONF)), args);

    assertThat(config.getJsonObject("cluster").getBoolean("enabled")).isTrue();
    assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(9090);
    JsonObject cp = DemoMain.applyArguments(new JsonObject(), DemoMain.arguments(new String[] {"--cp"}))
        .getJsonObject("cluster");
    assertThat(cp.getString("locks")).isEqualTo("cp");
    assertThat(cp.getString("hazelcastConfig")).isEqualTo("conf/cluster-cp.xml");
    assertThat(catchThrowable(() -> DemoMain.arguments(new String[] {"--port", "x"})))
        .hasMessage("--port: must be a number, was x");
  }

  @Test
  void clusterEnabledOnAPlainVertxFailsTheStartClearly(Vertx vertx) {
    JsonObject config = shippedConfigOnAFreePort();
    config.getJsonObject("cluster").put("enabled", true);

    Throwable failure = catchThrowable(() -> DemoMain.start(vertx, config).await());

    assertThat(failure).hasMessageStartingWith("cluster.enabled: Vert.x is not clustered");
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  @Test
  void unreadableConfigIsReportedWithItsPath() throws Exception {
    Path bad = Files.createTempFile("config", ".json");
    Files.writeString(bad, "{ not json");

    assertThat(catchThrowable(() -> DemoMain.readConfig(bad)))
        .hasMessageStartingWith(bad + ": not a JSON object");
    assertThat(catchThrowable(() -> DemoMain.readConfig(Paths.get("no/such.json"))))
        .hasMessageStartingWith("no/such.json: no such file");
    Files.delete(bad);
  }
}
